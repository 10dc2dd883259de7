"""The error catalogue: every problem the registry can report, as data.

Errors are collected, never raised: each check returns a list of `Problem`s and the caller decides
what to do with them. The catalogue below is the single source of codes and messages: `registry
errors` prints it, a test keeps the table in docs/errors.md in step, and tests/bad_inputs/ has a case per code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# code -> (title, message template). Templates are Chinese and say how to fix the problem;
# `{...}` placeholders are filled from the keyword arguments given to `problem()`.
CATALOGUE: dict[str, tuple[str, str]] = {
    # Reading files (E1xx)
    "E101": ("文件过大", "文件大小 {size} 字节，超过 1 MiB 上限；请拆分或精简内容"),
    "E102": (
        "不是 UTF-8 编码",
        "第 {lineno} 行含有非 UTF-8 字节（{detail}）；请用 UTF-8 编码重新保存文件",
    ),
    "E103": ("YAML 语法错误", "YAML 无法解析：{detail}"),
    "E104": (
        "重复的键",
        "键 “{key}” 在同一映射中重复出现（首次在第 {first_line} 行）；请删除或合并其中一个",
    ),
    "E105": ("不允许 YAML 标签", "不允许使用 YAML 标签 “{tag}”；请删除标签，直接写值"),
    "E106": ("不允许锚点或别名", "不允许使用 YAML 锚点（&）或别名（*）“{name}”；请把内容完整写出"),
    "E107": ("文件结构错误", "{detail}"),
    "E108": ("嵌套过深", "嵌套层级超过 {limit} 层；记录文件不需要这么深的结构，请检查缩进"),
    "E109": ("键必须是文本", "映射的键必须是普通文本，这里是 {detail}"),
    "E110": ("空文件", "文件为空；请按 `registry new` 生成的模板填写"),
    "E111": (
        "不允许的字符",
        "含有不允许的字符 {char}：控制字符、代理项和非字符无法写入网页、JSON 和订阅（XML）；"
        "请删除它（常见于双引号字符串中的 \\x、\\u 转义）",
    ),
    "E112": (
        "隐藏文件或目录",
        "{name} 是隐藏文件或目录（以 . 开头）；data/ 中不允许隐藏文件，"
        "它们（如 .gitattributes、.gitignore）会改变 git 对数据的处理。请删除它",
    ),
    "E113": (
        "不是普通文件",
        "{name} 是{what}，不是普通文件；data/ 中只允许普通文件，不读取也不跟随链接。"
        "请把它换成文件本身",
    ),
    "E114": (
        "数据目录不是真实目录",
        "记录目录 {name} {what}；记录目录必须是项目中的真实目录，不能是（也不能经过）符号链接，"
        "否则校验、--base 检查和写入都会落到另一个目录。未读取任何文件；请把它换成目录本身",
    ),
    # Single-file schema (E2xx)
    "E201": ("未知字段", "未知字段 “{key}”；允许的字段：{allowed}。请检查拼写或删除该字段"),
    "E202": ("缺少必填字段", "缺少必填字段 {key}；请补充"),
    "E203": ("类型错误", "应为{expected}，实际是 {actual}{hint}"),
    "E204": ("编号格式错误", "编号 “{value}” 格式不正确；应符合 {pattern}（例如 {example}）"),
    "E205": (
        "日期无效",
        "“{value}” 不是有效日期；请写成 YYYY-MM-DD 格式的真实日期（例如 2026-06-15）",
    ),
    "E206": ("链接无效", "链接 “{value}” 无效；只允许 http:// 或 https:// 开头的网址{extra}"),
    "E207": ("取值不在允许范围", "“{value}” 不是允许的取值；可选：{allowed}"),
    "E208": ("不能为空", "{what}不能为空；{advice}"),
    "E209": (
        "文本中的链接不安全",
        "Markdown 链接 “{value}” 不允许；链接只能是 http(s) 网址或站内路径（以 / 开头）",
    ),
    "E210": ("列表项重复", "列表中 “{value}” 重复出现；请删除重复项"),
    "E211": (
        "不允许图片",
        "Markdown 图片 “{value}” 不允许：图片会让浏览器向其他网站发出请求，记录也没有存放图片的目录；"
        "请改为链接 [说明](https://…)",
    ),
    "E212": (
        "不可见的格式字符",
        "含有不可见的格式字符 {char}：它让两个看起来相同的名称不同，或颠倒文字的显示顺序；"
        "名称、别名、机构、文号和标题中不允许，任何文本中都不允许双向控制字符。请删除它",
    ),
    "E213": (
        "日期超出范围",
        "日期 {value} 超出允许的范围（{low} 年至 {high} 年）；请检查年份",
    ),
    "E214": (
        "模板占位文字未替换",
        "“{value}” 是 registry new 模板里的占位文字；请换成真实内容{hint}",
    ),
    "E215": (
        "Markdown 嵌套过深",
        "Markdown 结构嵌套超过 {limit} 层（引用 >、列表、强调 * 等层层套叠）；"
        "网页无法在有限时间内处理这样的结构。请减少嵌套层数",
    ),
    "E216": (
        "数字过长",
        "数字有 {digits} 位，超过 {limit} 位上限；记录中的整数只用于年限等小数值。"
        "如果这是文本（如编号），请加引号",
    ),
    "E217": (
        "文本过长",
        "{what}共 {length} 个字符，超过 {limit} 个字符的上限：Excel 单元格最多容纳这么多字符，"
        "数据表中的文字不能被截断。请精简{hint}",
    ),
    # Across files (E3xx)
    "E301": (
        "编号与文件名不一致",
        "编号 “{value}” 与文件名 “{stem}” 不一致；请把文件改名为 {value}.yaml 或改正编号",
    ),
    "E303": (
        "未知分类",
        "分类 “{value}” 未在 data/registry.yaml 的 categories 中定义；可选：{allowed}",
    ),
    "E304": (
        "未知风险等级",
        "风险等级 “{value}” 未在 data/risk-grades.yaml 中定义；可选：{allowed}",
    ),
    "E305": ("引用不存在", "引用的{what} “{value}” 不存在；请检查编号，或先添加该记录"),
    "E306": (
        "缺少技术条件文件",
        "已批准技术 {value} 没有对应的技术条件文件；请添加 data/conditions/{value}.yaml",
    ),
    "E307": (
        "技术条件没有对应技术",
        "技术条件 {value} 没有对应的已批准技术；请添加 data/approved/{value}.yaml 或删除本文件",
    ),
    "E308": (
        "记录未被公告提及",
        "记录 {value} 没有出现在任何公告的 actions 中；请在公告中加入对它的行为（如 list、approve、ban）",
    ),
    "E309": (
        "名称重复",
        "名称 “{value}” 与 {other} 重复（不区分全角半角、大小写、空白和标点后比较）；同类记录名称必须唯一",
    ),
    "E310": (
        "别名与其他记录名称相同",
        "别名 “{value}” 与 {other} 的名称相同；请删除该别名或改用更具体的名称",
    ),
    "E311": ("文件位置不对", "{detail}"),
    "E312": ("缺少必需文件", "缺少 {value}；请按 DESIGN.md 创建该文件"),
    "E313": ("公告文号重复", "公告文号 “{value}” 已被 {other} 使用；请核对文号"),
    "E314": ("重定向无效", "{detail}"),
    "E315": (
        "风险等级与规范不符",
        "{detail}；风险等级及其年限由规范 第二十条第二款规定（高风险 high 5 年、中风险 medium 3 年、"
        "低风险 low 1 年），不是可编辑的数据，请按此改正 data/risk-grades.yaml",
    ),
    "E316": (
        "技术条件的两种写法混用",
        "文件已有 versions，又在顶层写了 “{key}”；请把各版本的内容都写在 versions 下，"
        "或去掉 versions，只保留一个版本的顶层写法",
    ),
    "E317": ("技术条件版本的公告不符", "{detail}"),
    "E318": (
        "同一公告发布了两个条件版本",
        "公告 {value} 已发布了第 {first} 个版本；一份公告只能发布一个条件版本，请合并这两个版本",
    ),
    # 公告原件 in data/attachments/ (validate/attachments.py)
    "E319": (
        "附件文件不存在",
        "公告登记的附件 {value} 在 data/attachments/ 中找不到；请把公告原件（PDF 或 OFD）放到 "
        "data/attachments/{value}，或删除这一项附件登记",
    ),
    "E320": (
        "附件与登记不符",
        "附件 data/attachments/{value} 的{what}与登记不符：登记为 {declared}，实际文件为 {actual}；"
        "附件必须是公告原件本身。请核对文件，确认无误后按实际文件改正 {key}"
        "（SHA-256 用 sha256sum 计算，大小为字节数）",
    ),
    "E321": ("附件登记不正确", "附件的{what} “{value}” 不允许：{allowed}"),
    # Legal transitions (E4xx), replayed in announcement date order
    "E401": ("行为与记录类型不符", "行为 {action} 不能用于{kind}记录 {record}；{hint}"),
    "E402": ("不允许的状态变更", "{record} 当前为“{state}”，不能执行 {action}；{hint}"),
    "E403": (
        "禁止后仍有行为",
        "{record} 已于 {date} 被禁止（{announcement}），其后不能再有任何行为；如需更正请联系主管部门",
    ),
    "E404": (
        "重复批准",
        "{record} 已于 {date} 批准（{announcement}），不能再次 approve；修订条件请用 amend",
    ),
    "E405": ("记录尚未生效", "{record} 尚未{needed}，不能执行 {action}；请先发布 {first} 公告"),
    "E406": ("行为字段错误", "{detail}"),
    "E407": ("日期顺序错误", "{detail}"),
    "E408": (
        "禁止技术与允许的技术同名",
        "禁止技术 {ban} 与{other}共用名称或别名 “{name}”，而后者此时为{state}；"
        "法律法规明令禁止的技术不能同时列入清单或批准应用（界定指导原则 二（一）1、二（二）2（1））。"
        "请先调出或禁止后者，或改正名称",
    ),
    "E409": (
        "来源清单条目不在清单内",
        "{record} 于 {date} 批准，但其来源清单条目 {source} 当日为“{state}”；只有已列入备案指导清单的"
        "技术才能纳入临床转化应用审批范围（规范 第三条）。请先发布 list 公告，或改正 guidance_entry",
    ),
    "E410": (
        "备案时清单条目不在清单内",
        "项目于 {date} 备案，但所依据的清单条目 {source} 当日为“{state}”；临床研究发起机构应参照《备案指导清单》"
        "的规范技术名称和备案要求备案（界定指导原则 二）。请改正 filed 或 guidance_entry",
    ),
    "E411": ("研究事件不符合规则", "{detail}"),
    # Public record guard against a base revision (E5xx)
    "E501": (
        "删除了已发布的记录",
        "与 {base} 相比删除了记录文件；公示记录不能删除，{advice}",
    ),
    "E502": (
        "更改了已发布的记录文件名",
        "与 {base} 相比，记录文件由 {old} 改名为 {new}；公示记录不能改名，请保留原文件",
    ),
    "E503": (
        "修改了已发布的公告",
        "公告 {value} 在 {base} 时已发布，不能修改；更正请发布新的 amend 公告",
    ),
    "E504": (
        "修改了已发布的技术条件版本",
        "技术条件 {value} 由公告 {announcement} 发布的版本在 {base} 时已发布（{what}），不能修改或删除；"
        "更正请发布新的 amend 公告，并在 versions 末尾追加新版本",
    ),
    "E505": (
        "修改了已公示项目的研究进展事件",
        "临床研究备案项目 {value} 在 {base} 时已公示，已有的研究进展事件不能修改或删除（{what}）；"
        "events 只能在末尾按日期追加新的事件，请恢复原事件",
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: where it is and what to do about it."""

    code: str
    file: str
    line: int
    column: int
    message: str
    path: str = ""
    # the values the message was made from (value, allowed, expected …), for tools that want them
    # apart from the sentence; not compared, so a problem found twice is still one problem
    fields: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def text(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.message}{where}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "path": self.path,
        }


# Characters a message must not carry as such: controls (a NUL or ESC in a terminal or CI log),
# bidi controls and invisible format characters (they could reorder or hide what a reviewer reads).
_UNPRINTABLE = re.compile(
    # line feed and the Unicode line and paragraph separators too: a file name holding one
    # could otherwise fake a line of `registry validate` (one problem, one line)
    "[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)


def _visible(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def problem(
    code: str, file: str, line: int = 1, column: int = 1, path: str = "", **kw: Any
) -> Problem:
    """Build a Problem from the catalogue; unknown placeholders are a programming error."""
    _title, template = CATALOGUE[code]
    # Contract: each error is one line. Values quoted from the data may hold line breaks.
    message = _visible("\\n".join(template.format(**kw).splitlines()))
    shown = _visible("\\n".join(path.splitlines()))
    fields = tuple((k, _visible(str(v))) for k, v in sorted(kw.items()))
    return Problem(code, _visible(file), max(line, 1), max(column, 1), message, shown, fields)


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.file, p.line, p.column, p.code)
