"""domain/markdown.py against cmark-gfm's own behaviour (issues 23 and 27).

The only hand-written step before cmark is the stand-in for `<` (shown as text, never as a tag);
whatever cmark makes of the rest must be what cmark itself makes: code blocks fenced and indented,
code spans, tables, nested lists. Compared with cmarkgfm's own renderer, not with expectations
written here."""

from __future__ import annotations

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from generator.domain.markdown import MAX_NESTING, inspect, markdown, render


def library(text: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_DEFAULT, extensions=["table", "strikethrough"]
    )


# `<` only where cmark itself shows it as text (code), so the library's output is the reference.
SAME_AS_LIBRARY = [
    "    x = <b>\n",
    "para\n\n    x = <b>\n    y = </i>\n",
    "```\nx = <b>\n```\n",
    "~~~~ python\n<script>\n~~~~\n",
    "````\n```\n<b>\n````\n",
    "a `<b>` and ``x ` <i>`` c\n",
    "`a\n<b>` multi-line span\n",
    "- a\n  - b\n    - c `<i>`\n\n          code <b>\n",
    "> quote\n>\n>     code <b>\n",
    "| a | `<b>` |\n|---|---|\n| 1 | 2 |\n",
    "1. one\n2. two\n   * nested\n",
    "**strong** _em_ ~~del~~ [l](/x) <https://e.example/>\n",
]


@pytest.mark.parametrize("text", SAME_AS_LIBRARY)
def test_render_is_the_library_s_own_output(text: str) -> None:
    assert render(text) == library(text)


def test_indented_code_shows_the_tag_as_written() -> None:
    """Issue 27: `    x = <b>` rendered as `&amp;lt;b&gt;` (the tag escaped twice)."""
    html = str(markdown("text\n\n    x = <b>\n"))
    assert "x = &lt;b&gt;" in html and "&amp;lt;" not in html


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a <script>alert(1)</script> b", "a &lt;script&gt;alert(1)&lt;/script&gt; b"),
        ("<div>\n*x*\n</div>", "&lt;div&gt;\n<em>x</em>\n&lt;/div&gt;"),
        ("| <b> |\n|---|\n| <i> |", "<th>&lt;b&gt;</th>"),
        ("- a <b>\n  - c <i>", "<li>c &lt;i&gt;</li>"),
    ],
)
def test_tags_outside_code_are_text(text: str, shown: str) -> None:
    assert shown in str(markdown(text))


def test_stand_in_never_collides_with_the_text() -> None:
    text = "\ue000 <b> \ue001"
    assert str(markdown(text)).strip() == "<p>\ue000 &lt;b&gt; \ue001</p>"


def test_a_link_destination_keeps_its_angle_bracket() -> None:
    assert 'href="/p%3Cq"' in str(markdown("[l](/p<q)"))


def test_lines_come_from_one_parse() -> None:
    text = (
        "a\n\n> b\n> ![i](https://t.example/p.png)\n\n[x](//evil)\n\n[r][d]\n\n[d]: javascript:x\n"
    )
    assert inspect(text).bad == [
        (4, "image", "https://t.example/p.png"),
        (6, "link", "//evil"),
        (8, "link", "javascript:x"),
    ]


@pytest.mark.parametrize(
    ("ok", "deep"),
    [
        ("> " * 4 + "x", "> " * (MAX_NESTING + 1) + "x"),
        ("- " * 4 + "x", "- " * MAX_NESTING + "x"),  # two levels each: list and item
        ("1. " * 4 + "x", "1. " * MAX_NESTING + "x"),
        ("> - " * 4 + "x", "> - " * MAX_NESTING + "x"),
        ("*" * 8 + "x" + "*" * 8, "*" * (2 * MAX_NESTING + 2) + "x" + "*" * (2 * MAX_NESTING + 2)),
    ],
)
def test_nesting_limit(ok: str, deep: str) -> None:
    assert inspect(ok).too_deep is None
    assert inspect("first\n\n" + deep).too_deep == 3


def test_prose_that_reads_like_an_href_stays_as_written() -> None:
    """The href check runs on attributes (nh3's attribute_filter), never as a search over the HTML:
    a sentence with `href="…"` in it was cut out of the page before (issue 23)."""
    from generator.domain.markdown import markdown, sanitise

    html = str(markdown('text href="/approved/x and <x> "q"'))
    assert 'href="/approved/x and &lt;x&gt; "q"' in html
    cleaned = sanitise('<a href="//evil.example">a</a><a href="/\\evil">b</a><a href="/ok/">c</a>')
    assert cleaned == '<a>a</a><a>b</a><a href="/ok/">c</a>'


def test_the_cheap_nesting_bound_never_lets_a_deep_text_through() -> None:
    """`nesting_possible` skips the parse only when the text cannot nest past the limit: checked
    against the parse itself on generated Markdown of every nesting kind (quotes, lists by marker
    and by indentation across blank lines, emphasis, links, tables)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from generator.domain.markdown import inspect, nesting_possible

    piece = st.sampled_from(
        [
            "> ",
            "- ",
            "* ",
            "1. ",
            "  ",
            "    ",
            "*",
            "_",
            "~~",
            "[",
            "](/x)",
            "| a |",
            "x",
            "\n",
            "\n\n",
        ]
    )

    @settings(max_examples=400, deadline=None)
    @given(st.lists(piece, max_size=80).map("".join))
    def check(text: str) -> None:
        if not nesting_possible(text):
            assert inspect(text).too_deep is None, text

    check()
    deep = "".join("  " * i + "- x\n\n" for i in range(40))  # nested by indentation only
    assert nesting_possible(deep) and inspect(deep).too_deep is not None
