"""Checks of types, scorecard keys and expressions, mixed into the reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import expressions
from ..expressions import ExpressionError, gettext_noop
from .model import (
    IGNORED_TYPES,
    QUESTION_TYPES,
    SELECT_MULTIPLE,
    SELECT_ONE,
    TYPE_ALIASES,
    UNSUPPORTED_TYPES,
    Element,
    FormProblem,
    clean_heading,
)

if TYPE_CHECKING:
    from .reader import _Sheet


class Checks:
    """Methods of the reader that check one thing each."""

    problems: list[FormProblem]
    problem: Callable[..., None]  # the reader's method that records one problem

    def check_scorecard(
        self, sheet: _Sheet, index: int, heading: str | None, element: Element
    ) -> None:
        from ..scorecard import DIMENSIONS, unknown_keys

        unknown = unknown_keys(element.scorecard)
        if unknown:
            self.problem(
                sheet,
                index,
                heading,
                gettext_noop("Unknown scorecard dimension “%(key)s”. Known: %(known)s."),
                key=unknown[0],
                known=", ".join(dimension.key for dimension in DIMENSIONS),
            )
        elif element.kind != SELECT_ONE:
            self.problem(
                sheet,
                index,
                heading,
                gettext_noop("Only select_one questions can count towards the scorecard."),
            )

    def parse_type(
        self, sheet: _Sheet, index: int, heading: str, raw: str
    ) -> tuple[str | None, str]:
        lowered = raw.lower()
        parts = lowered.split(" ")
        # "select_one list", "select one list", "select_multiple list"
        for prefix, kind in (
            ("select_one", SELECT_ONE),
            ("select one", SELECT_ONE),
            ("select_multiple", SELECT_MULTIPLE),
            ("select multiple", SELECT_MULTIPLE),
            ("select all that apply", SELECT_MULTIPLE),
        ):
            if lowered == prefix:
                self.problem(
                    sheet,
                    index,
                    heading,
                    gettext_noop("“%(type)s” needs the name of a choice list after it."),
                    type=raw,
                )
                return None, ""
            if lowered.startswith(prefix + " "):
                rest = raw[len(prefix) + 1 :].strip().split(" ")
                if len(rest) > 1 and rest[-1].lower() == "or_other":
                    self.problem(
                        sheet,
                        index,
                        heading,
                        gettext_noop(
                            "“or_other” is not supported: add an “other” choice and a text "
                            "question shown when it is selected."
                        ),
                    )
                    return None, ""
                if len(rest) > 1:
                    self.problem(
                        sheet,
                        index,
                        heading,
                        gettext_noop("“%(type)s” is not a type Roundtable knows."),
                        type=raw,
                    )
                    return None, ""
                return kind, rest[0]
        kind = TYPE_ALIASES.get(lowered, lowered.replace(" ", "_") if len(parts) > 1 else lowered)
        if kind in QUESTION_TYPES or kind in ("begin_group", "end_group") or kind in IGNORED_TYPES:
            return kind, ""
        if kind in UNSUPPORTED_TYPES:
            self.problem(
                sheet,
                index,
                heading,
                gettext_noop(
                    "The type “%(type)s” is not supported. Supported types: %(supported)s."
                ),
                type=raw,
                supported=", ".join([*QUESTION_TYPES, "begin_group", "end_group"]),
            )
            return None, ""
        self.problem(
            sheet,
            index,
            heading,
            gettext_noop("Unknown type “%(type)s”. Supported types: %(supported)s."),
            type=raw,
            supported=", ".join([*QUESTION_TYPES, "begin_group", "end_group"]),
        )
        return None, ""

    def check_expressions(self, sheet: _Sheet, elements: list[Element]) -> None:
        headings = {clean_heading(h): h for h in sheet.columns}
        names = {element.name for element in elements if element.kind != "group"}
        for element in elements:
            for attribute in ("relevant", "constraint"):
                text = getattr(element, attribute)
                if not text:
                    continue
                row_index = element.row - 2
                heading = headings.get(attribute)
                if len(text) > self.limits.max_expression_chars:
                    self.problem(
                        sheet,
                        row_index,
                        heading,
                        gettext_noop("The expression is longer than %(limit)d characters."),
                        limit=self.limits.max_expression_chars,
                    )
                    continue
                try:
                    node = expressions.parse(text)
                except ExpressionError as error:
                    self.problems.append(
                        FormProblem(
                            sheet.name,
                            element.row,
                            sheet.columns.get(heading) if heading else None,
                            heading,
                            gettext_noop("The expression “%(expression)s” does not parse: "),
                            {"expression": text},
                        )
                    )
                    # Keep the parser's own message (and its parameters) translatable.
                    self.problems[-1] = _joined(self.problems[-1], error)
                    continue
                for reference in sorted(expressions.references(node)):
                    if reference not in names:
                        self.problem(
                            sheet,
                            row_index,
                            heading,
                            gettext_noop(
                                "The expression refers to ${%(name)s}, but no question has "
                                "that name."
                            ),
                            name=reference,
                        )
                    elif reference == element.name and attribute == "relevant":
                        self.problem(
                            sheet,
                            row_index,
                            heading,
                            gettext_noop(
                                "“%(name)s” cannot depend on its own answer; use “.” in a "
                                "constraint instead."
                            ),
                            name=reference,
                        )
                if attribute == "relevant" and expressions.uses_current(node):
                    self.problem(
                        sheet,
                        row_index,
                        heading,
                        gettext_noop("“.” (this answer) can only be used in a constraint."),
                    )


def _joined(problem: FormProblem, error: ExpressionError) -> FormProblem:
    """One problem whose message is the prefix followed by the parser's message."""
    return _ExpressionProblem(
        problem.sheet,
        problem.row,
        problem.column,
        problem.header,
        problem.message,
        dict(problem.params),
        error,
    )


@dataclass(frozen=True)
class _ExpressionProblem(FormProblem):
    error: ExpressionError | None = None

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        head = gettext(self.message) % dict(self.params)
        tail = self.error.render(gettext) if self.error else ""
        where = self.where(gettext)
        return f"{where}: {head}{tail}" if where else f"{head}{tail}"
