"""Our HTML is searched for markup only inside tags (render/page.py): a record's text that spells a
link or an attribute is text and stays as it was written (issue 23: data is never scanned as
markup)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.domain.markdown import markdown
from generator.render.page import has_attribute, in_tags, relativize


def test_links_in_tags_are_made_relative() -> None:
    html = '<a href="/approved/">x</a><link rel=x href="/feeds/a.xml">'
    assert (
        relativize(html, 2)
        == '<a href="../../approved/">x</a><link rel=x href="../../feeds/a.xml">'
    )
    assert relativize(html, 0) == html.replace('href="/', 'href="./')


def test_text_that_spells_a_link_is_left_as_written() -> None:
    """cmark writes `"` in text as `&quot;`, but the sanitiser serialises text with a raw `"`."""
    html = str(markdown('见（href="/approved/x）与`href="/y`\n\n    href="/z'))
    assert html.count('href="/') == 3  # the text, raw quotes and all
    assert relativize(html, 2) == html
    linked = str(markdown('[记录](/approved/x) 与 href="/y'))
    assert relativize(linked, 2) == linked.replace('<a href="/', '<a href="../../')


def test_an_attribute_is_found_in_tags_only() -> None:
    assert has_attribute('<main class="x" data-pagefind-body>', "data-pagefind-body")
    assert has_attribute('<div\ndata-pagefind-body=""></div>', "data-pagefind-body")
    assert not has_attribute("<p>data-pagefind-body</p>", "data-pagefind-body")
    assert not has_attribute(f"<p>{escape('<b data-pagefind-body>')}</p>", "data-pagefind-body")
    assert not has_attribute('<p title="a data-pagefind-body">', "data-pagefind-body")
    assert not has_attribute('<p title="a data-pagefind-body b">', "data-pagefind-body")
    assert has_attribute('<p title="a" data-pagefind-body>', "data-pagefind-body")
    assert not has_attribute("<p data-pagefind-body-x>", "data-pagefind-body")
    title = str(markdown('[a](/x "t<b data-pagefind-body>")'))  # the sanitiser escapes < in values
    assert not has_attribute(title, "data-pagefind-body")


def test_a_long_text_of_links_costs_one_pass() -> None:
    """Each occurrence looks back only to the one before: 100,000 in one paragraph."""
    html = "<p>" + 'href="/x ' * 100_000 + '</p><a href="/y">'
    out = relativize(html, 1)
    assert out.count('href="../y"') == 1 and out.count('href="/x') == 100_000


PIECES = st.sampled_from(['href="/', "<", ">", '"', "a", " ", "data-x", "\n", "/", "=", "&"])


@settings(max_examples=300, deadline=None)
@given(text=st.lists(PIECES | st.text(max_size=2), max_size=20).map("".join))
def test_any_text_escaped_or_rendered_is_never_rewritten(text: str) -> None:
    """Text through Jinja's escaping or the Markdown renderer, around a real link: only the link
    changes."""
    link = '<a href="/approved/">链接</a>'
    for body in (str(escape(text)), str(markdown(text))):
        html = f"<div>{body}{link}{body}</div>"
        assert relativize(html, 2) == html.replace(link, link.replace('="/', '="../../'))
        assert not has_attribute(f"<p>{body}</p>", "data-x")
        assert not has_attribute(f'<p title="{escape(text)}">', "data-x")
        assert list(in_tags(html, 'href="/')) == [len(f"<div>{body}<a ")]
