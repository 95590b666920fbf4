"""The partnership scorecard: questions mapped to the five marks and the ODI factors. No Django.

A question joins a dimension through the survey sheet's ``scorecard`` column
(``mark_purpose``, ``factor_equity``, ``constraint_power``...; a leading
``-`` reverses a question worded the other way round). Its score is the mean
answer on the choice list's scores (the choices sheet's ``score`` column, or
choice names that are numbers), put on a 0-100 scale; answers without a
score ("don't know") count apart. A dimension's score is the mean of its
questions' scores, and its evidence lists them.

Constraints are asked as "how much did this hold the work back", so their
score is turned round: for every dimension, higher is better.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .expressions import gettext_noop
from .results import QuestionResult, Tabulation
from .xlsform import SELECT_ONE, Form

MARK = "mark"
FACTOR = "factor"
CONSTRAINT = "constraint"


@dataclass(frozen=True)
class Dimension:
    key: str
    kind: str
    label: str  # English, marked for translation


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("mark_purpose", MARK, gettext_noop("It does what it set out to do")),
    Dimension("mark_reach", MARK, gettext_noop("It has an effect beyond its own stakeholders")),
    Dimension("mark_sustainability", MARK, gettext_noop("Its work or its effects will last")),
    Dimension("mark_value", MARK, gettext_noop("It adds value for each partner")),
    Dimension("mark_fit", MARK, gettext_noop("A partnership was the right way to do the job")),
    Dimension("factor_openness", FACTOR, gettext_noop("Openness and clear communication")),
    Dimension("factor_equity", FACTOR, gettext_noop("Equity between partners")),
    Dimension(
        "factor_competencies", FACTOR, gettext_noop("Contributions based on what each does best")
    ),
    Dimension("factor_flexibility", FACTOR, gettext_noop("Flexibility")),
    Dimension("factor_roles", FACTOR, gettext_noop("Clear roles and ground rules")),
    Dimension("factor_respect", FACTOR, gettext_noop("Respect for differences")),
    Dimension("factor_benefit", FACTOR, gettext_noop("Mutual benefit")),
    Dimension("factor_champions", FACTOR, gettext_noop("Strong champions")),
    Dimension("constraint_suspicion", CONSTRAINT, gettext_noop("Suspicion between sectors")),
    Dimension("constraint_cultures", CONSTRAINT, gettext_noop("Clashing organisational cultures")),
    Dimension("constraint_roles", CONSTRAINT, gettext_noop("Unclear roles")),
    Dimension("constraint_skills", CONSTRAINT, gettext_noop("Missing skills")),
    Dimension("constraint_power", CONSTRAINT, gettext_noop("Power imbalances")),
    Dimension("constraint_bureaucracy", CONSTRAINT, gettext_noop("Bureaucracy")),
    Dimension("constraint_funding", CONSTRAINT, gettext_noop("An underfunded start")),
    Dimension(
        "constraint_evaluation", CONSTRAINT, gettext_noop("Results that are hard to evaluate")
    ),
)
BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}
KIND_LABELS = {
    MARK: gettext_noop("The five marks of a successful partnership"),
    FACTOR: gettext_noop("Success factors"),
    CONSTRAINT: gettext_noop("Constraints (a higher score means it held the work back less)"),
}
RATINGS = {
    "strong": gettext_noop("strong"),
    "mixed": gettext_noop("mixed"),
    "weak": gettext_noop("weak"),
}


def rating(score: float | None) -> str | None:
    """Green, amber, red in words: at least 2/3 strong, at least 1/3 mixed, else weak."""
    if score is None:
        return None
    if score >= 200 / 3:
        return "strong"
    if score >= 100 / 3:
        return "mixed"
    return "weak"


def parse_key(raw: str) -> tuple[str, bool]:
    """``-constraint_power`` -> (``constraint_power``, reversed)."""
    return (raw[1:], True) if raw.startswith("-") else (raw, False)


def unknown_keys(keys: list[str]) -> list[str]:
    return [key for key in keys if parse_key(key)[0] not in BY_KEY]


@dataclass
class Evidence:
    name: str
    label: str
    answered: int
    unscored: int  # answers with no score ("don't know")
    mean: float | None  # on the choice list's own scale
    scale: tuple[float, float] | None
    score: float | None  # 0-100, higher is better
    reversed: bool = False
    distribution: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DimensionScore:
    dimension: Dimension
    score: float | None
    evidence: list[Evidence]

    @property
    def rating(self) -> str | None:
        return rating(self.score)

    @property
    def answered(self) -> int:
        return sum(item.answered - item.unscored for item in self.evidence)

    def as_dict(self, gettext: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
        return {
            "key": self.dimension.key,
            "kind": self.dimension.kind,
            "label": gettext(self.dimension.label),
            "score": self.score,
            "rating": self.rating,
            "evidence": [
                {
                    "question": item.name,
                    "label": item.label,
                    "answered": item.answered,
                    "unscored": item.unscored,
                    "mean": item.mean,
                    "scale": list(item.scale) if item.scale else None,
                    "score": item.score,
                    "reversed": item.reversed,
                }
                for item in self.evidence
            ],
        }


def _choice_scores(form: Form, question_name: str) -> dict[str, float]:
    element = form.by_name[question_name]
    scores: dict[str, float] = {}
    for choice in form.choices_for(element):
        if choice.score is not None:
            scores[choice.name] = choice.score
    if scores:
        return scores
    for choice in form.choices_for(element):
        try:
            scores[choice.name] = float(choice.name)
        except ValueError:
            continue
    return scores


def _evidence(form: Form, result: QuestionResult, reverse: bool) -> Evidence:
    scores = _choice_scores(form, result.name)
    distribution = [
        {"value": o.value, "label": o.label, "count": o.count, "percent": o.percent}
        for o in result.options or []
    ]
    if not scores:
        return Evidence(result.name, result.label, result.answered, result.answered, None, None,
                        None, reverse, distribution)  # fmt: skip
    low, high = min(scores.values()), max(scores.values())
    total = 0.0
    scored = 0
    for option in result.options or []:
        if option.value in scores:
            total += scores[option.value] * option.count
            scored += option.count
    mean = total / scored if scored else None
    score = None
    if mean is not None and high > low:
        score = (mean - low) / (high - low) * 100
        if reverse:
            score = 100 - score
    return Evidence(
        name=result.name,
        label=result.label,
        answered=result.answered,
        unscored=result.answered - scored,
        mean=round(mean, 2) if mean is not None else None,
        scale=(low, high),
        score=round(score, 1) if score is not None else None,
        reversed=reverse,
        distribution=distribution,
    )


def scorecard(form: Form, tabulation: Tabulation) -> list[DimensionScore]:
    """Every dimension some question maps to, in the order of :data:`DIMENSIONS`."""
    mapped: dict[str, list[Evidence]] = {}
    for result in tabulation.questions:
        element = form.by_name.get(result.name)
        if element is None or element.kind != SELECT_ONE:
            continue
        for raw in element.scorecard:
            key, reverse = parse_key(raw)
            dimension = BY_KEY.get(key)
            if dimension is None:
                continue
            # Constraint questions measure the hindrance: turned round so higher is better.
            flip = reverse != (dimension.kind == CONSTRAINT)
            mapped.setdefault(key, []).append(_evidence(form, result, flip))
    out = []
    for dimension in DIMENSIONS:
        evidence = mapped.get(dimension.key)
        if not evidence:
            continue
        scores = [item.score for item in evidence if item.score is not None]
        score = round(sum(scores) / len(scores), 1) if scores else None
        out.append(DimensionScore(dimension, score, evidence))
    return out
