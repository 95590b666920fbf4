"""Untrusted Markdown becomes safe HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.core.text import markdown_to_plain, render_markdown

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
]

ALLOWED = {"p", "a", "em", "strong", "code", "pre", "br", "ul", "ol", "li", "blockquote", "h2", "h3",
           "h4", "h5", "h6", "hr", "del", "s", "table", "thead", "tbody", "tr", "td", "th", "sub", "sup",
           "abbr", "b", "i"}  # fmt: skip


class ActiveContentFinder(HTMLParser):
    """Collects anything a browser would act on: unknown tags, handlers, styles, bad URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcdoc"}:
                self.problems.append(f"attribute {name}")
            if (
                name == "href"
                and value
                and not re.match(r"^(https?:|mailto:|#|/|[^:]*$)", value.strip(), re.I)
            ):
                self.problems.append(f"href {value}")


def active_content(html: str) -> list[str]:
    finder = ActiveContentFinder()
    finder.feed(html)
    return finder.problems


def test_markdown_renders_formatting_and_safe_links():
    html = render_markdown("**Bold** and [a link](https://example.org)\n\n- one\n- two")
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<li>one</li>" in html


def test_known_attacks_are_inert():
    for attack in ATTACKS:
        html = render_markdown(attack)
        assert active_content(html) == [], (attack, html)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *ATTACKS,
                "<",
                ">",
                '"',
                "'",
                "`",
                "[",
                "](",
                ")",
                "**",
                "\n\n",
                "<a href=",
                "onerror=",
                "x",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_no_combination_of_attack_fragments_produces_active_content(text):
    assert active_content(render_markdown(text)) == []


def test_plain_rendering_for_mail_and_feeds():
    # Text, not HTML: a template escapes it once; a plain-text e-mail shows it as typed.
    assert markdown_to_plain("**Hello** <script>x</script> & co") == "Hello <script>x</script> & co"
