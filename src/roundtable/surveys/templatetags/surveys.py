"""Template helpers for survey results: charts and localised percentages."""

from __future__ import annotations

from django import template
from django.utils import formats, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..charts import Bar, bars_svg, score_svg
from ..results import QuestionResult
from ..scorecard import KIND_LABELS, RATINGS

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """47.0588 -> '47.06%' in the viewer's number format; None -> '–'."""
    if value is None:
        return "–"
    return _("%(value)s%%") % {"value": formats.number_format(value, 2)}


@register.filter
def bars(question: QuestionResult) -> SafeString:
    """The question's options as an SVG bar chart (every text escaped by the renderer)."""
    return mark_safe(
        bars_svg(
            [Bar(option.label, option.percent, option.count) for option in question.options or []],
            title=_(
                "Percentage of those who answered choosing each answer; the same figures are in "
                "the table."
            ),
            rtl=translation.get_language_bidi(),
            value_text=lambda bar: f"{pct(bar.percent)} ({bar.count})",
        )
    )


@register.filter
def gauge(score: float | None) -> SafeString:
    label = "–" if score is None else formats.number_format(score, 0)
    return mark_safe(score_svg(score, title=label))


@register.filter
def cell(option: object, group: str) -> object:
    by = getattr(option, "by", None) or {}
    return by.get(group)


@register.filter
def answered_in(question: QuestionResult, group: str) -> object:
    return (question.by_answered or {}).get(group)


@register.filter
def translate_message(message: str) -> str:
    """A message marked with gettext_noop in Django-free code, in the current language."""
    return _(message) if message else ""


@register.filter
def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


@register.filter
def rating_label(rating: str | None) -> str:
    return _(RATINGS[rating]) if rating in RATINGS else "–"
