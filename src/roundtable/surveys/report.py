"""Results as files: an HTML report (also the PDF's source), CSV and XLSX. No Django.

The caller passes ``gettext``/``ngettext`` (Django's in the web app, the
standard library's with our catalogues in the CLI) and a number formatter,
so one renderer serves the CLI, the web exports and the PDF.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .charts import Bar, bars_svg, score_svg
from .results import QuestionResult, Tabulation
from .scorecard import KIND_LABELS, RATINGS, DimensionScore
from .xlsform import TEXT


def _identity(message: str) -> str:
    return message


def _plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _number(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


@dataclass
class Texts:
    """Translation and number formatting for one report."""

    gettext: Callable[[str], str] = _identity
    ngettext: Callable[[str, str, int], str] = _plural
    number: Callable[[float, int], str] = _number
    language: str = "en"
    rtl: bool = False

    def percent(self, value: float | None) -> str:
        return (
            "–" if value is None else self.gettext("%(value)s%%") % {"value": self.number(value, 2)}
        )


@dataclass
class ReportContext:
    title: str
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)


STYLE = """
body { font-family: "Noto Sans", "DejaVu Sans", system-ui, sans-serif; color: #1d2125;
  margin: 2rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-block-end: 2px solid #d5d9dd; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
th, td { border: 1px solid #d5d9dd; padding: .25rem .45rem; text-align: start;
  vertical-align: top; }
th { background: #f4f6f8; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
.muted, .hidden-cell { color: #5b636b; }
blockquote { margin: .25rem 0; padding-inline-start: .75rem;
  border-inline-start: 3px solid #d5d9dd; }
.question { break-inside: avoid; }
svg { max-width: 100%; height: auto; }
.rating-strong { color: #1e6b3a; font-weight: 600; }
.rating-mixed { color: #8a5a00; font-weight: 600; }
.rating-weak { color: #a4262c; font-weight: 600; }
@page { size: A4; margin: 1.5cm; }
"""


def _question_table(question: QuestionResult, tabulation: Tabulation, t: Texts) -> str:
    _ = t.gettext
    rows: list[str] = []
    groups = tabulation.groups if question.options and question.options[0].by is not None else []
    head = [
        f'<th scope="col">{escape(_("Answer"))}</th>',
        f'<th scope="col" class="num">{escape(_("Count"))}</th>',
        f'<th scope="col" class="num">{escape(_("Percent"))}</th>',
    ]
    for group in groups:
        head.append(f'<th scope="col" class="num">{escape(group.label)}</th>')
    for option in question.options or []:
        cells = [
            f'<th scope="row" dir="auto">{escape(option.label)}</th>',
            f'<td class="num">{option.count}</td>',
            f'<td class="num">{escape(t.percent(option.percent))}</td>',
        ]
        for group in groups:
            cell = (option.by or {}).get(group.value)
            if cell is None:
                cells.append(
                    f'<td class="num hidden-cell"><abbr title="{escape(_("hidden"))}">—</abbr></td>'
                )
            else:
                cells.append(
                    f'<td class="num">{escape(t.percent(cell.percent))} ({cell.count})</td>'
                )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    foot = ""
    if groups and question.by_answered is not None:
        cells = [
            f'<th scope="row">{escape(_("Answered"))}</th>',
            f'<td class="num">{question.answered}</td>',
            "<td></td>",
        ]
        for group in groups:
            value = question.by_answered.get(group.value)
            cells.append(f'<td class="num">{"—" if value is None else value}</td>')
        foot = f"<tfoot><tr>{''.join(cells)}</tr></tfoot>"
    head_html = "".join(head)
    return f"<table><thead><tr>{head_html}</tr></thead><tbody>{''.join(rows)}</tbody>{foot}</table>"


def question_html(question: QuestionResult, tabulation: Tabulation, t: Texts) -> str:
    _ = t.gettext
    parts = [f'<section class="question" id="q-{escape(question.name)}">']
    parts.append(f'<h3 dir="auto">{escape(question.label)}</h3>')
    parts.append(
        '<p class="muted">'
        + escape(
            _("%(answered)s answered, %(skipped)s skipped")
            % {"answered": question.answered, "skipped": question.skipped}
        )
        + "</p>"
    )
    if question.type == TEXT:
        if not question.themes:
            parts.append(f"<p>{escape(_('No answers.'))}</p>")
        for theme in question.themes or []:
            parts.append(
                f'<h4 dir="auto">{escape(theme.label)} '
                f'<span class="muted">{escape(t.percent(theme.percent))} '
                f"({theme.count})</span></h4>"
            )
            for quote in theme.quotes:
                parts.append(f'<blockquote dir="auto">{escape(quote)}</blockquote>')
        if tabulation.by:
            never = _(
                "Open answers are never shown by group: a quotation could identify its author."
            )
            parts.append(f'<p class="muted">{escape(never)}</p>')
    else:
        if question.withheld:
            withheld = _(
                "The breakdown of this question cannot be shown without revealing small groups."
            )
            parts.append(f"<p>{escape(withheld)}</p>")
        if question.options:
            parts.append(_question_table(question, tabulation, t))
            parts.append(
                bars_svg(
                    [Bar(o.label, o.percent, o.count) for o in question.options],
                    title=_(
                        "Percentage of those who answered choosing each answer; the same figures "
                        "are in the table."
                    ),
                    rtl=t.rtl,
                    value_text=lambda bar: f"{t.percent(bar.percent)} ({bar.count})",
                )
            )
        if question.stats and question.stats.get("mean") is not None:
            parts.append(
                "<p>"
                + escape(
                    _("Mean %(mean)s, median %(median)s, lowest %(min)s, highest %(max)s")
                    % {
                        key: t.number(float(question.stats[key]), 2)
                        for key in ("mean", "median", "min", "max")
                    }
                )
                + "</p>"
            )
        elif question.stats and question.stats.get("min"):
            parts.append(
                "<p>"
                + escape(
                    _("From %(min)s to %(max)s, median %(median)s")
                    % {key: question.stats[key] for key in ("min", "max", "median")}
                )
                + "</p>"
            )
    parts.append("</section>")
    return "".join(parts)


def scorecard_html(scores: Sequence[DimensionScore], t: Texts) -> str:
    _ = t.gettext
    if not scores:
        return ""
    parts = [f"<section><h2>{escape(_('Scorecard'))}</h2>"]
    explanation = _(
        "Scores run from 0 to 100: the mean answer on each question’s scale. Answers such as "
        "“don’t know” are not scored."
    )
    parts.append(f'<p class="muted">{escape(explanation)}</p>')
    kind = None
    for item in scores:
        if item.dimension.kind != kind:
            if kind is not None:
                parts.append("</tbody></table>")
            kind = item.dimension.kind
            parts.append(
                f"<h3>{escape(_(KIND_LABELS[kind]))}</h3><table><thead><tr>"
                f'<th scope="col">{escape(_("Dimension"))}</th>'
                f'<th scope="col" class="num">{escape(_("Score"))}</th>'
                f'<th scope="col">{escape(_("Rating"))}</th>'
                f'<th scope="col">{escape(_("Evidence"))}</th></tr></thead><tbody>'
            )
        score = "–" if item.score is None else t.number(item.score, 0)
        rating = item.rating
        evidence = "".join(
            f'<li dir="auto">{escape(e.label)}: '
            + escape(
                _("mean %(mean)s on a scale of %(low)s to %(high)s, %(count)s scored answers")
                % {
                    "mean": "–" if e.mean is None else t.number(e.mean, 2),
                    "low": t.number(e.scale[0], 0) if e.scale else "–",
                    "high": t.number(e.scale[1], 0) if e.scale else "–",
                    "count": e.answered - e.unscored,
                }
            )
            + "</li>"
            for e in item.evidence
        )
        rating_text = _(RATINGS[rating]) if rating else "–"
        parts.append(
            f'<tr><th scope="row">{escape(_(item.dimension.label))}</th>'
            f'<td class="num">{escape(score)} {score_svg(item.score, title=score)}</td>'
            f'<td class="rating-{rating or "none"}">{escape(rating_text)}</td>'
            f"<td><ul>{evidence}</ul></td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


def summary_html(tabulation: Tabulation, t: Texts) -> str:
    _ = t.gettext
    parts = [
        "<p>"
        + escape(
            t.ngettext("%(count)s response.", "%(count)s responses.", tabulation.respondents)
            % {"count": tabulation.respondents}
        )
        + " "
        + escape(_("Percentages are of those who answered each question."))
        + "</p>"
    ]
    if tabulation.by:
        parts.append(
            "<p>"
            + escape(
                _(
                    "Broken down by “%(question)s”. A dash (—) hides a figure for fewer than "
                    "%(k)s respondents, or one that would let a hidden figure be worked out from "
                    "the totals."
                )
                % {"question": tabulation.by_label, "k": tabulation.min_cell}
            )
            + "</p>"
        )
    return "".join(parts)


def render_html(
    tabulation: Tabulation,
    scores: Sequence[DimensionScore],
    *,
    context: ReportContext,
    texts: Texts | None = None,
) -> str:
    """A complete, self-contained HTML report (print styles included)."""
    t = texts or Texts()
    _ = t.gettext
    body = [
        f'<header><h1 dir="auto">{escape(context.title)}</h1>',
        f'<p class="muted" dir="auto">{escape(context.subtitle)}</p>' if context.subtitle else "",
        "</header>",
        summary_html(tabulation, t),
    ]
    body.extend(f'<p class="muted">{escape(note)}</p>' for note in context.notes)
    body.append(scorecard_html(scores, t))
    body.append(f"<h2>{escape(_('Results by question'))}</h2>")
    group = None
    for question in tabulation.questions:
        if question.group and question.group != group:
            group = question.group
            body.append(f'<h2 dir="auto">{escape(group)}</h2>')
        body.append(question_html(question, tabulation, t))
    return (
        f'<!doctype html><html lang="{escape(t.language)}" dir="{"rtl" if t.rtl else "ltr"}">'
        f'<head><meta charset="utf-8"><title>{escape(context.title)}</title>'
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>"
    )


# --- Tables ---------------------------------------------------------------------------

CSV_COLUMNS = (
    "question",
    "question_label",
    "type",
    "answered",
    "skipped",
    "answer",
    "answer_label",
    "count",
    "percent",
    "group",
    "group_label",
    "suppressed",
)


def result_rows(tabulation: Tabulation) -> list[dict[str, Any]]:
    """One row per question x answer (x group): the long format of the CSV and XLSX files."""
    rows: list[dict[str, Any]] = []
    labels = {group.value: group.label for group in tabulation.groups}
    for question in tabulation.questions:
        base = {
            "question": question.name,
            "question_label": question.label,
            "type": question.type,
            "answered": question.answered,
            "skipped": question.skipped,
        }
        if question.type == TEXT:
            for theme in question.themes or []:
                rows.append(
                    base
                    | {
                        "answer": "; ".join(theme.terms),
                        "answer_label": theme.label,
                        "count": theme.count,
                        "percent": theme.percent,
                        "group": "",
                        "group_label": "",
                        "suppressed": "",
                    }
                )
            if not question.themes:
                rows.append(base | dict.fromkeys(CSV_COLUMNS[5:], ""))
            continue
        if not question.options:
            rows.append(base | dict.fromkeys(CSV_COLUMNS[5:], ""))
        for option in question.options or []:
            rows.append(
                base
                | {
                    "answer": option.value,
                    "answer_label": option.label,
                    "count": option.count,
                    "percent": option.percent,
                    "group": "",
                    "group_label": "",
                    "suppressed": "",
                }
            )
            for group, cell in (option.by or {}).items():
                rows.append(
                    base
                    | {
                        "answer": option.value,
                        "answer_label": option.label,
                        "count": "" if cell is None else cell.count,
                        "percent": "" if cell is None or cell.percent is None else cell.percent,
                        "group": group,
                        "group_label": labels.get(group, group),
                        "suppressed": "yes" if cell is None else "",
                    }
                )
    return rows


def render_csv(tabulation: Tabulation) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in result_rows(tabulation):
        writer.writerow({key: "" if row.get(key) is None else row.get(key) for key in CSV_COLUMNS})
    return buffer.getvalue()


def render_xlsx(
    tabulation: Tabulation, scores: Sequence[DimensionScore], *, texts: Texts | None = None
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = texts or Texts()
    _ = t.gettext
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    headings = {
        "question": _("Question"),
        "question_label": _("Question text"),
        "type": _("Type"),
        "answered": _("Answered"),
        "skipped": _("Skipped"),
        "answer": _("Answer"),
        "answer_label": _("Answer text"),
        "count": _("Count"),
        "percent": _("Percent"),
        "group": _("Group"),
        "group_label": _("Group name"),
        "suppressed": _("Hidden"),
    }
    sheet.append([headings[column] for column in CSV_COLUMNS])
    for row in result_rows(tabulation):
        values = [row.get(column, "") for column in CSV_COLUMNS]
        if row.get("suppressed"):
            values[CSV_COLUMNS.index("suppressed")] = _("yes")
        sheet.append([None if value == "" else value for value in values])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if scores:
        card = workbook.create_sheet(_("Scorecard")[:31])
        card.append(
            [_("Dimension"), _("Score"), _("Rating"), _("Question"), _("Mean"), _("Scored answers")]
        )
        for cell in card[1]:
            cell.font = Font(bold=True)
        for item in scores:
            for evidence in item.evidence:
                card.append(
                    [
                        _(item.dimension.label),
                        item.score,
                        _(RATINGS[item.rating]) if item.rating else None,
                        evidence.label,
                        evidence.mean,
                        evidence.answered - evidence.unscored,
                    ]
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
