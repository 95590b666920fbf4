from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from roundtable.core.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str) -> SafeString:
    return render_markdown(value or "")


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """0.4567 -> '46%'. None -> '–'."""
    if value is None:
        return "–"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.inclusion_tag("core/_process_nav.html", takes_context=True)
def process_nav(context: dict, process: object, current: str = "") -> dict:
    from roundtable.core.hooks import process_nav_items

    request = context["request"]
    return {
        "items": process_nav_items(request.user, process),
        "current": current,
        "process": process,
    }


@register.simple_tag(takes_context=True)
def process_home_panels(context: dict, process: object) -> SafeString:
    from django.utils.safestring import mark_safe

    from roundtable.core.hooks import process_home_panels as panels

    return mark_safe("".join(panels(context["request"], process)))
