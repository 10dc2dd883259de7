"""The registry's vocabulary, in one place: field labels, status, action, ground and route
labels, and the few numbers the law fixes. The kinds of record (folders, ids, labels, statuses,
actions) are declared in domain/kinds.py.

Every page, output, message and command takes its words from here, so that a label is never
spelled twice (render/, outputs/, validate/ and the CLI all import these).
"""

from __future__ import annotations

# Every date the registry computes from (periods of up to 5 years, the day after, the day
# before) must stay inside what `datetime.date` holds: 0001-01-01 or 9999-12-31 would validate
# and then crash the replay. No act of this regime falls outside these years.
YEARS = (1900, 2199)

DIRECT_GROUNDS = (
    "prohibited_by_law",
    "major_ethics_issue",
    "major_safety_efficacy_issue",
    "uncontrollable_risk",
)

REVIEW_GROUNDS = ("drug_approved", "device_approved", "technology_approved")

SUSPEND_GROUNDS = ("new_understanding", "serious_adverse_reaction", "social_stability", "other")

# Chinese labels of the fields, for people: `registry diff` and the editors' JSON Schemas share them
# (the `description`s above say more; these are the short names a reviewer reads).
FIELD_LABELS: dict[str, str] = {
    "id": "编号",
    "sample": "示例数据",
    "name": "名称",
    "aliases": "别名",
    "category": "分类",
    "references": "参考文献",
    "title": "标题",
    "url": "网址",
    "doc_no": "文号",
    "purpose": "医学目的",
    "mechanism": "机制原理",
    "indications": "适应症",
    "filing_requirements": "备案要求",
    "guidance_entry": "来源的备案指导清单条目",
    "applicant": "申请机构",
    "summary": "技术解读",
    "institution": "医疗机构条件",
    "personnel": "人员条件",
    "management": "技术管理要求",
    "training_qc": "培训与质量控制",
    "operating_spec": "临床应用操作规范",
    "effective": "施行日期",
    "versions": "技术条件版本",
    "announcement": "发布公告",
    "description": "描述",
    "scope": "范围",
    "number": "文号",
    "date": "日期",
    "body": "正文",
    "actions": "行为",
    "action": "行为",
    "record": "记录",
    "route": "调出途径",
    "ground": "理由",
    "note": "说明",
    "until": "截止日期",
    "risk_grade": "风险等级",
    "institutions": "参与研究的医疗机构",
    "grades": "风险等级",
    "exclusive_years": "限参与研究机构的年数",
    "categories": "分类",
    "authority": "发布机关",
    "disclaimer": "免责声明",
    "redirects": "重定向",
    "conditions": "技术条件",
    "attachments": "公告原件",
    "file": "文件名",
    "size": "文件大小",
    "sha256": "SHA-256",
    "license": "数据许可",
    "sponsor": "临床研究发起机构",
    "filed": "备案日期",
    "filing_no": "备案编号",
    "events": "研究进展",
    "event": "事件",
    "terms": "使用条款",
}


# --- statuses, actions, grounds ---------------------------------------------------------------

STATUS_LABELS = {
    "listed": "在清单内",
    "delisted": "已调出",
    "restricted": "限参与研究机构",
    "open": "其他符合条件的机构可参照限制类技术备案",
    "suspended": "再评估暂停",
    "banned": "已禁止",
    "emergency_use": "紧急应用",
    # research projects (界定指导原则 二(二)2)
    "ongoing": "进行中",
    "ethics_review_required": "须重新伦理审查",
    "terminate_required": "应当终止",
    "completed": "已结束",
    "terminated": "已终止",
}

# What a filing institution reports about its research project (models.ResearchEvent).
RESEARCH_EVENT_LABELS = {
    "filed": "备案",
    "completed": "研究结束",
    "terminated": "终止研究",
    "ethics_continued": "经重新伦理审查继续实施",
}

# A `banned` status that no ban made: the direct delisting of the guidance entry an approved
# technology grew out of (界定指导原则 二(二)2(1)). The API code stays `banned`; the label says
# what the article says, never a re-evaluation.
DERIVED_BAN_LABEL = "不再按《条例》开展（来源条目直接调出）"

# What an event that no action names is, on timelines, feeds and /changes/ (status/stream.py).
CONSEQUENCE_LABELS = {
    "derived": "不再按《条例》开展（来源清单条目直接调出的后果）",
    "opened": "限定期届满，其他符合条件的医疗机构可参照限制类医疗技术备案开展",
    "emergency_ended": "紧急应用期满",
    "terminate_required": "应当及时终止研究（来源清单条目直接调出的后果）",
    "ethics_review_required": "应重新进行伦理审查评估（来源清单条目论证后调出的后果）",
}


ACTION_LABELS = {
    "list": "纳入清单",
    "delist": "调出清单",
    "retain": "论证后保留",
    "emergency_use": "紧急应用",
    "approve": "批准临床转化应用",
    "open": "开放应用",
    "suspend": "暂停应用（再评估）",
    "resume": "恢复应用",
    "ban": "禁止临床应用",
    "amend": "修订",
}

GROUND_LABELS = {
    "prohibited_by_law": "法律、行政法规和国家有关规定明令禁止",
    "major_ethics_issue": "存在重大伦理问题",
    "major_safety_efficacy_issue": "安全性、有效性存在重大问题",
    "uncontrollable_risk": "临床研究过程中出现不可控制风险或产生重大社会不良影响",
    "drug_approved": "适应症、机制原理基本相同的药品已批准上市",
    "device_approved": "适应症、机制原理基本相同的医疗器械已批准上市",
    "technology_approved": "已作为医疗技术获批临床转化应用",
    "new_understanding": "对安全性、有效性有认识上的改变",
    "serious_adverse_reaction": "发生严重不良反应或出现不可控制的风险",
    "social_stability": "造成重大社会稳定风险或发生影响社会稳定重大事件",
    "other": "国家卫生健康委规定的其他情形",
}

ROUTE_LABELS = {"direct": "直接调出", "after_review": "论证后调出"}


PERIOD_TERM = (
    "限定期"  # 规范 第二十条第二款: 批准后N年内仅限在参与该技术临床研究且符合条件的医疗机构内开展
)

LEGAL_YEARS = {"high": 5, "medium": 3, "low": 1}  # 规范 第二十条第二款: law, not data
