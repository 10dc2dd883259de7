"""The field types the models are made of (`Text`, `Markdown`, `Date`, ids …) and the checks one field can make on its own: real dates inside YEARS, http(s) links, safe Markdown, unique list items. Custom errors are `PydanticCustomError`s whose type names validate/schema.py maps to catalogue codes."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from generator.domain import ids
from generator.domain.ids import IdFormat, union_help, union_pattern
from generator.domain.markdown import MAX_NESTING, inspect, nesting_possible
from generator.domain.vocabulary import YEARS

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_SPACE = re.compile(r"\s")

# Markdown link destinations: inline `](dest)`, reference definitions `[x]: dest` (also inside
# block quotes and list items: `> [x]: dest`, `- [x]: dest`), autolinks `<a:b>`. Linear: a
# definition's label stays on its line and an autolink holds no `<` (each attempt stops at the end
# of its line or at the next `<`; a label that crossed lines made this quadratic: 9 s on 1 MiB).
# The parse (`inspect`) is the root check and sees whatever this quick look misses.
_MD_LINKS = re.compile(
    r"\]\(\s*<?([^)\s>]*)"
    r"|^(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)]))*[ \t]*\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?(\S*?)>?(?:\s|$)"
    r"|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>",
    re.M,
)


# constraint pattern -> (the patterns as shown in messages, an example): E204 says what is allowed
ID_HELP: dict[str, tuple[str, str]] = {}


def id_type(*formats: IdFormat) -> Any:
    """An id field accepting `formats`, checked in pydantic-core (no Python call per value)."""
    pattern = union_pattern(*formats)
    ID_HELP[pattern] = union_help(*formats)
    return Annotated[str, StringConstraints(pattern=pattern)]


NON_BLANK = r"\S"  # at least one visible character: blank text is an error (E208)


def _real_date(value: Any) -> Any:
    """Dates arrive as text from the loader; accept only YYYY-MM-DD naming a real day."""
    if isinstance(value, date):
        day = value
    elif not isinstance(value, str) or not DATE.match(value):
        raise PydanticCustomError("invalid_date", "bad date", {"value": str(value)})
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("invalid_date", "bad date", {"value": value}) from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise PydanticCustomError("date_range", "date range", {"value": day.isoformat()})
    return day


def _http_url(value: str) -> str:
    lowered = value.strip().lower()
    if not (lowered.startswith("https://") or lowered.startswith("http://")) or len(lowered) < 10:
        raise PydanticCustomError("url_scheme", "bad url", {"value": value})
    if _SPACE.search(value.strip()):
        raise PydanticCustomError("url_scheme", "bad url", {"value": value})
    return value.strip()


def safe_link(dest: str) -> bool:
    """Links in Markdown may go to http(s) sites, or stay on this site."""
    d = dest.strip().lower()
    return d.startswith(("http://", "https://", "/", "#")) and not d.startswith("//")


def _markdown(value: str) -> str:
    found = _markdown_problem(value)
    if found is not None:
        kind, message, ctx = found
        raise PydanticCustomError(kind, message, dict(ctx))
    return value


@lru_cache(maxsize=1 << 14)
def _markdown_problem(value: str) -> tuple[str, str, tuple[tuple[str, Any], ...]] | None:
    """What is wrong with a Markdown field, or None. Cached: condition items, notes and
    requirements repeat across records, and each distinct text is checked once per process."""
    links = "](" in value or "]:" in value or "<" in value
    if links:  # no link, image, reference definition or autolink without one of these
        # First a source-level look: it quotes the whole link as written, where it stands (and
        # sees `<javascript:…>`, which the renderer shows as text).
        for match in _MD_LINKS.finditer(value):
            dest = next((g for g in match.groups() if g is not None), "")
            if dest and not safe_link(dest):
                start, end = _link_span(value, match)
                # the whole link, and where it starts in the text (validation turns that into a line)
                return "markdown_link", "bad link", (("value", value[start:end]), ("offset", start))
    deep = nesting_possible(value)
    if not links and not deep:
        return None
    # The root check: the syntax tree of the very parse the build renders (one parse, linear).
    found = inspect(value, depth_possible=deep)
    for line, kind, url in found.bad[:1]:
        if kind == "image" and safe_link(url):
            return "markdown_image", "image", (("value", url), ("line", line))
        return "markdown_link", "bad link", (("value", url), ("line", line))
    if found.too_deep is not None:
        return "markdown_nesting", "too deep", (("line", found.too_deep), ("limit", MAX_NESTING))
    return None


def _link_span(text: str, match: re.Match[str]) -> tuple[int, int]:
    """Start and end of the whole link around a destination match: `[text](dest (with) parens)`."""
    start, end = match.start(), match.end()
    if match.group(3) is not None:  # autolink <scheme:…>
        return start, end
    if match.group(2) is not None:  # reference definition `[x]: dest`, after any `>` or `-`
        return text.index("[", start), start + len(match.group(0).rstrip())
    line_start = text.rfind("\n", 0, start) + 1
    bracket = text.rfind("[", line_start, start)
    depth, i = 0, start + 1  # text[start + 1] is the "(" after "]"
    while i < len(text) and text[i] != "\n":
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            break
    return (bracket if bracket >= 0 else start), i


def _unique(items: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            raise PydanticCustomError("duplicate_item", "dup", {"value": str(item)})
        seen.add(item)
    return items


# Excel's limit for one cell (xlsxwriter cuts a longer string without a word). Every plain-text
# value can become a workbook cell, a list joined with "；" (aliases, institutions) one cell too:
# refused here, so the workbook never holds a shortened text (the 1 MiB file limit allows 30×).
CELL_LIMIT = 32_767

CELL_JOIN = "；"


def _fits_cell(items: list[Any]) -> list[Any]:
    length = sum(len(str(item)) for item in items) + len(CELL_JOIN) * max(len(items) - 1, 0)
    if length > CELL_LIMIT:
        raise PydanticCustomError("cell_too_long", "too long", {"length": length})
    return items


Text = Annotated[str, StringConstraints(pattern=NON_BLANK, max_length=CELL_LIMIT)]

Markdown = Annotated[str, StringConstraints(pattern=NON_BLANK), AfterValidator(_markdown)]

Date = Annotated[date, BeforeValidator(_real_date)]

Url = Annotated[str, AfterValidator(_http_url)]

Slug = Annotated[
    str, Field(pattern=SLUG.pattern, description="小写字母、数字和连字符，例如 cell-therapy")
]

TextList = Annotated[list[Text], AfterValidator(_unique), AfterValidator(_fits_cell)]

GLId = id_type(ids.GL)

BMTId = id_type(ids.BMT)

BANId = id_type(ids.BAN)

ANNId = id_type(ids.ANN)

CRId = id_type(ids.CR)

# what an announcement's action may name: the records announcements act on (not research
# projects, which are filings of institutions; an action naming one is E401 by the kind spec)
RecordId = id_type(ids.GL, ids.BMT, ids.BAN)


class Strict(BaseModel):
    """Unknown keys are errors everywhere (contract: 'Unknown keys are errors')."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def matching(rx: re.Pattern[str], allowed: str) -> Any:
    def check(value: str) -> str:
        if not rx.fullmatch(value):
            raise PydanticCustomError("site_info_format", "{allowed}", {"allowed": allowed})
        return value

    return AfterValidator(check)
