"""The results of a tabulation, and how they are built from what was counted. No Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from .xlsform import TEXT

ThemeFinder = Callable[[list[str]], list[Any]]

MAX_DISTINCT_NUMBERS = 20
MAX_QUOTES = 3
MAX_QUOTE_CHARS = 400


def percent(count: int, total: int) -> float | None:
    """``count`` of ``total`` as a percentage rounded half up to two decimals."""
    if total <= 0:
        return None
    value = (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return float(value)


# --- Results -------------------------------------------------------------------------


@dataclass
class Cell:
    count: int
    percent: float | None


@dataclass
class OptionResult:
    value: str
    label: str
    count: int
    percent: float | None
    score: float | None = None
    by: dict[str, Cell | None] | None = None


@dataclass
class ThemeResult:
    label: str
    terms: list[str]
    count: int
    percent: float | None
    quotes: list[str]


@dataclass
class QuestionResult:
    name: str
    label: str
    type: str
    answered: int
    skipped: int
    options: list[OptionResult] | None = None
    themes: list[ThemeResult] | None = None
    stats: dict[str, float | str | None] | None = None
    by_answered: dict[str, int | None] | None = None
    withheld: bool = False  # the cross-tabulation could not be shown safely
    group: str = ""  # label of the group (page) it sits in
    scorecard: list[str] = field(default_factory=list)

    @property
    def hidden_cells(self) -> int:
        return sum(
            1
            for option in self.options or []
            for cell in (option.by or {}).values()
            if cell is None
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``roundtable survey tabulate``."""
        out: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "answered": self.answered,
            "skipped": self.skipped,
        }
        if self.type == TEXT:
            out["themes"] = [
                {
                    "label": theme.label,
                    "terms": theme.terms,
                    "count": theme.count,
                    "percent": theme.percent,
                    "quotes": theme.quotes,
                }
                for theme in self.themes or []
            ]
            return out
        options = []
        for option in self.options or []:
            item: dict[str, Any] = {
                "value": option.value,
                "label": option.label,
                "count": option.count,
                "percent": option.percent,
            }
            if option.by is not None:
                item["by"] = {
                    group: None if cell is None else {"count": cell.count, "percent": cell.percent}
                    for group, cell in option.by.items()
                }
            options.append(item)
        out["options"] = options
        if self.by_answered is not None:
            out["by_answered"] = self.by_answered
        if self.stats is not None:
            out["stats"] = self.stats
        if self.withheld:
            out["withheld"] = True
        return out


@dataclass
class Group:
    value: str
    label: str
    size: int


@dataclass
class Tabulation:
    title: str
    language: str
    respondents: int
    questions: list[QuestionResult]
    min_cell: int
    by: str | None = None
    by_label: str = ""
    groups: list[Group] = field(default_factory=list)

    def as_list(self) -> list[dict[str, Any]]:
        return [question.as_dict() for question in self.questions]

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "language": self.language,
            "respondents": self.respondents,
            "min_cell": self.min_cell,
            "by": self.by,
            "groups": [
                {"value": group.value, "label": group.label, "count": group.size}
                for group in self.groups
            ],
            "questions": self.as_list(),
        }

    def question(self, name: str) -> QuestionResult:
        for question in self.questions:
            if question.name == name:
                return question
        raise KeyError(name)


def build_themes(texts: list[str], finder: ThemeFinder | None) -> list[ThemeResult]:
    answered = len(texts)
    if not texts:
        return []
    if finder is None:
        # Without the analysis engine: the most frequent answers, exactly as written.
        counts: dict[str, int] = {}
        for text in texts:
            key = " ".join(text.split()).casefold()
            counts[key] = counts.get(key, 0) + 1
        firsts: dict[str, str] = {}
        for text in texts:
            firsts.setdefault(" ".join(text.split()).casefold(), text)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]
        return [
            ThemeResult(
                label=_quote(firsts[key]),
                terms=[],
                count=count,
                percent=percent(count, answered),
                quotes=[_quote(firsts[key])],
            )
            for key, count in ranked
        ]
    themes = finder(texts)
    results = []
    for theme in themes:
        terms = list(getattr(theme, "terms", []))
        quotes = []
        for index in list(getattr(theme, "representatives", []))[:MAX_QUOTES]:
            quotes.append(_quote(texts[index]))
        size = int(getattr(theme, "size", len(getattr(theme, "members", []))))
        results.append(
            ThemeResult(
                label=", ".join(terms[:3]) or (quotes[0] if quotes else ""),
                terms=terms,
                count=size,
                percent=percent(size, answered),
                quotes=quotes,
            )
        )
    results.sort(key=lambda theme: -theme.count)
    return results


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


def build_numbers(values: Any, kind: str) -> tuple[list[OptionResult], dict[str, Any]]:
    answered = len(values)
    if answered == 0:
        return [], {"mean": None, "median": None, "min": None, "max": None}
    array = np.asarray(values, dtype=float)
    stats = {
        "mean": round(float(array.mean()), 2),
        "median": round(float(np.median(array)), 2),
        "min": float(array.min()),
        "max": float(array.max()),
    }
    distinct, counts = np.unique(array, return_counts=True)
    options = []
    if len(distinct) <= MAX_DISTINCT_NUMBERS:
        options = [
            OptionResult(
                value=_format_number(value),
                label=_format_number(value),
                count=int(count),
                percent=percent(int(count), answered),
            )
            for value, count in zip(distinct, counts, strict=True)
        ]
    return options, stats


def build_dates(values: list[int]) -> tuple[list[OptionResult], dict[str, Any]]:
    if not values:
        return [], {"min": None, "max": None, "median": None}
    array = np.sort(np.asarray(values))
    median = int(array[len(array) // 2])
    stats = {
        "min": dt.date.fromordinal(int(array[0])).isoformat(),
        "max": dt.date.fromordinal(int(array[-1])).isoformat(),
        "median": dt.date.fromordinal(median).isoformat(),
    }
    distinct, counts = np.unique(array, return_counts=True)
    options = []
    if len(distinct) <= MAX_DISTINCT_NUMBERS:
        options = [
            OptionResult(
                value=dt.date.fromordinal(int(day)).isoformat(),
                label=dt.date.fromordinal(int(day)).isoformat(),
                count=int(count),
                percent=percent(int(count), len(values)),
            )
            for day, count in zip(distinct, counts, strict=True)
        ]
    return options, stats
