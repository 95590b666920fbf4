from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def clock(seconds: float | int | None) -> str:
    """Seconds as a clock: 75 -> '1:15', 3725 -> '1:02:05'."""
    if seconds is None:
        return "–"
    total = max(round(float(seconds)), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@register.filter
def bar_width(share: float | None) -> int:
    """A share as a width class step (0-20), for the CSS bars (no inline styles: CSP)."""
    if not share:
        return 0
    return max(1, min(20, round(float(share) * 20)))
