"""SVG bar charts for results pages and reports. No Django.

Plain SVG with presentation attributes (no inline style, no script), so it
passes the site's Content Security Policy and prints in PDFs. Every text is
escaped. Right-to-left pages get the mirror image: labels on the right, bars
growing to the left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

BAR_COLOUR = "#15589a"
TRACK_COLOUR = "#e6eaee"
MAX_LABEL_CHARS = 42


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float | None  # 0-100
    count: int


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bars_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    rtl: bool = False,
    width: int = 640,
    label_width: int = 250,
    bar_height: int = 20,
    gap: int = 6,
    value_text: Callable[[Bar], str] | None = None,
) -> str:
    """A horizontal bar per option, its length the percentage of those who answered."""
    value_text = value_text or (
        lambda bar: "–" if bar.percent is None else f"{bar.percent:.2f}% ({bar.count})"
    )
    value_room = 110
    scale = width - label_width - value_room
    height = len(bars) * (bar_height + gap) + gap
    text_y = bar_height // 2 + 5
    parts = [
        # direction="ltr": the geometry below is already mirrored for right-to-left
        # pages; an inherited rtl direction would swap every text anchor again.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" direction="ltr" role="img">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = round(max(bar.percent or 0.0, 0.0) / 100 * scale, 1)
        # Labels are right-aligned in their column: at the left in LTR, at the right in RTL.
        if rtl:
            origin = width - label_width
            label_x = width - 8
            track_x = origin - scale
            bar_x = origin - length
            value_x, value_anchor = origin - length - 6, "end"
        else:
            label_x = label_width - 8
            track_x = bar_x = label_width
            value_x, value_anchor = label_width + length + 6, "start"
        parts.append(
            f'<g transform="translate(0 {y})">'
            f"<title>{escape(bar.label)}: {escape(value_text(bar))}</title>"
            f'<text x="{label_x}" y="{text_y}" text-anchor="end" font-size="13" '
            f'fill="#1d2125">{escape(_short(bar.label))}</text>'
            f'<rect x="{track_x}" y="0" width="{scale}" height="{bar_height}" '
            f'fill="{TRACK_COLOUR}"/>'
            f'<rect x="{bar_x}" y="0" width="{length}" height="{bar_height}" fill="{BAR_COLOUR}"/>'
            f'<text x="{value_x}" y="{text_y}" text-anchor="{value_anchor}" font-size="13" '
            f'fill="#1d2125">{escape(value_text(bar))}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def score_svg(score: float | None, *, title: str, width: int = 160, height: int = 14) -> str:
    """A small 0-100 gauge for the scorecard."""
    length = round(max(min(score or 0.0, 100.0), 0.0) / 100 * width, 1)
    value = score or 0.0
    colour = "#1e6b3a" if value >= 200 / 3 else "#8a5a00" if value >= 100 / 3 else "#a4262c"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gauge" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" direction="ltr" role="img"><title>{escape(title)}</title>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{TRACK_COLOUR}"/>'
        f'<rect x="0" y="0" width="{length}" height="{height}" fill="{colour}"/></svg>'
    )
