"""Template helpers for draft text: numbered, bracketed Markdown."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from roundtable.core.text import render_markdown

register = template.Library()


def _wrap(html: str, prefix: str, suffix: str) -> str:
    """Put ``prefix`` just inside the first block and ``suffix`` inside the last one."""
    html = html.strip()
    if html.startswith("<p>"):
        html = "<p>" + prefix + html[3:]
    else:
        html = f"<p>{prefix}</p>" + html if prefix else html
    if html.endswith("</p>"):
        html = html[:-4] + suffix + "</p>"
    elif suffix:
        html = html + f"<p>{suffix}</p>"
    return html


def numbered_html(text: str, *, number: int | None = None, bracketed: bool = False) -> SafeString:
    """Markdown rendered (sanitised), with the paragraph number and brackets kept in the text
    itself, so they survive copying, screen readers and text extraction."""
    prefix = f'<span class="num">{int(number)}.</span> ' if number is not None else ""
    suffix = ""
    if bracketed:
        prefix += '<span class="bracket">[</span>'
        suffix = '<span class="bracket">]</span>'
    if not (text or "").strip():
        return mark_safe(f"<p>{prefix}{suffix}</p>" if prefix or suffix else "")
    return mark_safe(_wrap(str(render_markdown(text)), prefix, suffix))


@register.simple_tag
def paragraph_text(view: object, numbered: bool = True) -> SafeString:
    version = view.version
    return numbered_html(
        version.text,
        number=view.number if numbered else None,
        bracketed=version.status == "bracketed",
    )


@register.filter
def bracketed(text: str) -> SafeString:
    return numbered_html(text, bracketed=True)


@register.filter
def plain(value: object) -> str:
    return escape(str(value))
