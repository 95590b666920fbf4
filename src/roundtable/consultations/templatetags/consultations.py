from __future__ import annotations

from typing import Any

from django import template

from .. import policy

register = template.Library()


@register.inclusion_tag("consultations/_call_tabs.html", takes_context=True)
def call_tabs(context: dict[str, Any], call: Any, tab: str = "") -> dict[str, Any]:
    person = context["request"].user
    return {
        "call": call,
        "process": call.process,
        "tab": tab,
        "can_view_unpublished": policy.can_view_unpublished(person, call),
        "can_view_report": policy.can_view_report(person, call),
    }


@register.filter
def excerpt(text: str, length: int = 300) -> str:
    """Plain text, cut at a word boundary."""
    import html

    from roundtable.core.text import markdown_to_plain

    # nh3 leaves entities (&lt;) in its text output; templates escape again.
    plain = html.unescape(markdown_to_plain(text or ""))
    if len(plain) <= length:
        return plain
    cut = plain[:length].rsplit(" ", 1)[0]
    return cut + " …"
