"""A self-contained HTML report of an analysis, for a secretariat to read.

One file, inline CSS, no script, no external resource: it opens from a
mail attachment or a USB stick. Every text from the input is escaped (it is
untrusted) and carries ``dir="auto"`` so Arabic reads right to left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

MAX_CAMPAIGNS = 50
MAX_ADDITIONS = 5
QUOTE_CHARS = 1200

# Colour-blind-safe palette (Okabe-Ito) for group shares, then greys.
_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #ddd}
h3{font-size:1.05rem;margin:.2rem 0}
.stats{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:0;list-style:none}
.stats li{background:#f3f5f7;border-radius:4px;padding:.3rem .7rem}
.stats b{font-size:1.2rem}
section.item{border:1px solid #ddd;border-radius:6px;padding:.7rem 1rem;margin:.8rem 0}
blockquote{margin:.4rem 0;padding:.3rem .8rem;border-inline-start:4px solid #9ab;
background:#f8fafb;white-space:pre-wrap;overflow-wrap:anywhere}
.meta{color:#555;font-size:.9rem}
.terms span{display:inline-block;background:#eef3e8;border-radius:3px;padding:0 .4rem;margin:.1rem}
.bar{display:flex;height:1rem;border-radius:3px;overflow:hidden;margin:.4rem 0;background:#eee}
.bar span{display:block;height:100%}
.legend{font-size:.85rem;color:#333}.legend i{display:inline-block;width:.8rem;height:.8rem;
margin:0 .25rem 0 .6rem;vertical-align:-.1rem;border-radius:2px}
details{margin:.3rem 0}summary{cursor:pointer;color:#034}
ol.additions li{margin:.2rem 0}
"""


def _quote(text: str) -> str:
    text = text.strip()
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS].rstrip() + " …"
    return f'<blockquote dir="auto">{escape(text)}</blockquote>'


def _bar(by_group: Mapping[str, int], colours: Mapping[str, str]) -> str:
    total = sum(by_group.values())
    if not total:
        return ""
    parts = []
    legend = []
    for name, count in by_group.items():
        share = 100.0 * count / total
        colour = colours.get(name, "#999")
        label = escape(f"{name}: {count:,} ({share:.0f}%)")
        parts.append(
            f'<span style="width:{share:.2f}%;background:{colour}" title="{label}"></span>'
        )
        legend.append(f'<i style="background:{colour}"></i><span dir="auto">{label}</span>')
    return (
        f'<div class="bar" role="img" aria-label="share by group">{"".join(parts)}</div>'
        f'<div class="legend">{"".join(legend)}</div>'
    )


def render_html(
    result: Mapping[str, Any],
    text_of: Callable[[Any], str],
    *,
    title: str = "Consultation analysis",
    source: str = "",
    group_column: str | None = None,
) -> str:
    """The report for a JSON-shaped ``result`` (see ``engine.analyse``);
    ``text_of(row_id)`` gives a row's original text."""
    stats = result["stats"]
    names: dict[str, int] = {}
    for item in [*result["campaigns"], *result["themes"]]:
        for name, count in item.get("by_group", {}).items():
            names[name] = names.get(name, 0) + count
    ordered = sorted(names, key=lambda n: (-names[n], n))
    colours = {n: _PALETTE[i] if i < len(_PALETTE) else "#999" for i, n in enumerate(ordered)}
    grouped = bool(group_column) and bool(names)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
    ]
    if source:
        out.append(f'<p class="meta">Source: <span dir="auto">{escape(source)}</span></p>')
    in_campaigns = stats.get("in_campaigns", sum(c["size"] for c in result["campaigns"]))
    out.append('<ul class="stats">')
    for label, value in (
        ("comments", stats["rows"]),
        ("distinct texts", stats["distinct"]),
        ("campaigns", len(result["campaigns"])),
        ("comments in campaigns", in_campaigns),
        ("themes", len(result["themes"])),
    ):
        out.append(f"<li><b>{value:,}</b> {escape(label)}</li>")
    out.append("</ul>")
    if grouped:
        out.append(
            f'<p class="meta">Shares are by <b dir="auto">{escape(str(group_column))}</b>.</p>'
        )

    out.append("<h2>Themes</h2>")
    if not result["themes"]:
        out.append("<p>No themes: no comment had words to compare.</p>")
    for theme in result["themes"]:
        terms = "".join(f'<span dir="auto">{escape(t)}</span>' for t in theme["terms"])
        out.append('<section class="item">')
        out.append(
            f"<h3>Theme {theme['id']}: {theme['size']:,} comments "
            f"({theme.get('distinct', theme['size']):,} distinct)</h3>"
        )
        out.append(f'<div class="terms">{terms or "<i>no common terms</i>"}</div>')
        if grouped:
            out.append(_bar(theme["by_group"], colours))
        for row_id in theme["representatives"]:
            out.append(_quote(text_of(row_id)))
        out.append("</section>")

    out.append("<h2>Largest campaigns</h2>")
    campaigns = result["campaigns"]
    if not campaigns:
        out.append("<p>No campaign: no two comments are copies of one text.</p>")
    elif len(campaigns) > MAX_CAMPAIGNS:
        out.append(f'<p class="meta">The {MAX_CAMPAIGNS} largest of {len(campaigns):,}.</p>')
    for campaign in campaigns[:MAX_CAMPAIGNS]:
        sim = campaign.get("similarity", {})
        out.append('<section class="item">')
        out.append(f"<h3>Campaign {campaign['id']}: {campaign['size']:,} comments</h3>")
        details = []
        if "exact_copies" in campaign:
            details.append(f"{campaign['exact_copies']:,} exact copies of the text below")
        if sim:
            details.append(f"similarity to it: mean {sim['mean']:.2f}, lowest {sim['min']:.2f}")
        additions = campaign.get("additions", {})
        details.append(f"{len(additions):,} add text of their own")
        out.append(f'<p class="meta">{escape("; ".join(details))}</p>')
        if grouped:
            out.append(_bar(campaign["by_group"], colours))
        out.append(_quote(text_of(campaign["representative"])))
        if additions:
            shown = list(additions.items())[:MAX_ADDITIONS]
            out.append(
                f"<details><summary>What copies add ({len(shown)} of {len(additions):,})"
                '</summary><ol class="additions">'
            )
            for row_id, text in shown:
                out.append(
                    f'<li><span class="meta">{escape(str(row_id))}:</span> '
                    f'<span dir="auto">{escape(text[:QUOTE_CHARS])}</span></li>'
                )
            out.append("</ol></details>")
        out.append("</section>")
    out.append(
        f'<p class="meta">{stats["rows"]:,} comments analysed in {stats["seconds"]:.1f} s '
        "by roundtable analyse.</p></body></html>"
    )
    return "\n".join(out)
