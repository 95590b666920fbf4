"""Untrusted text in, safe HTML out: Markdown rendered, then sanitised with nh3."""

from __future__ import annotations

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Raw HTML in Markdown is escaped, not passed through: authors write Markdown.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_markdown.enable("strikethrough")


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to put in a page or an e-mail."""
    return mark_safe(sanitise_html(_markdown.render(text or "")))


def markdown_to_plain(text: str) -> str:
    """A plain-text rendering for e-mails and feeds: tags stripped, text kept.

    The result is text, not HTML (entities decoded): templates escape it once
    where it goes into HTML, and plain-text e-mails show it as written.
    """
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
