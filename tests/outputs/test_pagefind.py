"""The index-only pages leave out what Pagefind would skip, and nothing it would read."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from generator.outputs.pagefind import drop_ignored, index_page, search_document

IGNORE = " data-pagefind-ignore"


def test_an_ignored_element_goes_with_everything_inside_it() -> None:
    html = f'<h1>名称</h1>\n<section class="a"{IGNORE}><p{IGNORE}>状态单</p><section>x</section></section>\n<p>正文</p>'
    assert drop_ignored(html) == "<h1>名称</h1>\n\n<p>正文</p>"


def test_neighbours_of_the_same_tag_are_told_apart() -> None:
    html = f"<p{IGNORE}>a<p>b</p></p><p>c</p><p{IGNORE}>d</p><p>e</p>"
    assert drop_ignored(html) == "<p>c</p><p>e</p>"


def test_an_element_holding_a_filter_or_metadata_stays() -> None:
    # Pagefind reads filters and metadata inside ignored elements
    html = f'<div{IGNORE}><span data-pagefind-filter="类型:公告"></span></div><p{IGNORE}>x</p>'
    assert (
        drop_ignored(html) == f'<div{IGNORE}><span data-pagefind-filter="类型:公告"></span></div>'
    )


def test_ignore_all_and_longer_names_are_left_to_pagefind() -> None:
    html = f'<div{IGNORE}="all">a</div><div{IGNORE}-x>b</div>'
    assert drop_ignored(html) == html


def test_the_words_in_text_or_in_an_attribute_value_are_not_an_attribute() -> None:
    text = "<p>写 data-pagefind-ignore&gt; 的说明</p>"
    value = f'<p><a href="/x" title="a{IGNORE}">链接</a></p>'
    assert drop_ignored(text) == text
    assert drop_ignored(value) == value


def test_an_element_never_closed_stays() -> None:
    html = f"<p>a</p><p{IGNORE}>b"
    assert drop_ignored(html) == html


def test_the_search_document_is_a_bare_page_with_the_language() -> None:
    doc = search_document(f"<h1>名</h1><p{IGNORE}>x</p>", "zh").decode()
    assert doc.startswith('<!doctype html><html lang="zh">') and "<h1>名</h1></body>" in doc


def test_only_a_page_whose_body_is_marked_gets_an_index_only_page() -> None:
    marked = '<article class="reg-record" data-pagefind-body><h1>名</h1></article>'
    assert index_page(marked, "zh") == search_document(marked, "zh")
    # a guidance entry searched as its approval: no marked body, nothing for Pagefind to read
    assert index_page('<article class="reg-record"><h1>名</h1></article>', "zh") is None
    # the words in text are no attribute
    assert index_page("<p>见 data-pagefind-body 说明</p>", "zh") is None


class _Reference(HTMLParser):
    """What a real HTML parser leaves after removing the ignored elements (nesting followed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or ("data-pagefind-ignore", None) in attrs:
            self.skip += 1
        else:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
        else:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")


def _reference(html: str) -> str:
    parser = _Reference()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


_TAGS = st.sampled_from(["p", "div", "section", "span", "dd", "dt"])
_TEXT = st.sampled_from(["文字", " ", "\n", "a&amp;b", "data-pagefind-ignore", ""])


@st.composite
def _html(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(_TAGS)
            attrs = draw(st.sampled_from(["", IGNORE, ' class="x"', f' class="y"{IGNORE}']))
            parts.append(f"<{tag}{attrs}>{draw(_html(depth + 1))}</{tag}>")
        else:
            parts.append(draw(_TEXT))
    return "".join(parts)


@given(_html())
def test_the_same_as_a_parser_on_well_formed_bodies(html: str) -> None:
    assert drop_ignored(html) == _reference(html)
