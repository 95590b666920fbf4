"""Tabulation of survey responses, with one cross-tabulation and suppression. No Django.

Per question: how many answered and skipped; per option the count and the
percentage **of those who answered** (rounded to two decimals, half up); for
``select_multiple`` the percentage of respondents choosing each option. With
``by``, every select question is also broken down by one ``select_one``
question, with small cells and their complements hidden
(:mod:`roundtable.surveys.suppression`). Open answers are grouped into
themes by ``roundtable.analysis.find_themes`` and are never broken down by
group. Numbers get their distribution and summary statistics.

Responses arrive in chunks of columns (``add_columns``), so a file of any
length streams through in constant memory apart from open and numeric
answers. ``tabulate_file`` reads a CSV or XLSX file that way.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .expressions import gettext_noop
from .responses import (
    MAX_PROBLEMS,
    ColumnMap,
    ResponseError,
    ResponseProblem,
    csv_rows_from_file,
    map_columns,
    normalise_answer,
    rows_of,
)
from .results import (
    Cell,
    Group,
    OptionResult,
    QuestionResult,
    Tabulation,
    ThemeFinder,
    ThemeResult,
    build_dates,
    build_numbers,
    build_themes,
    percent,
)
from .suppression import protect
from .xlsform import (
    DATE,
    DECIMAL,
    INTEGER,
    SELECT_MULTIPLE,
    SELECT_ONE,
    TEXT,
    Element,
    Form,
    column_letter,
)

CHUNK_ROWS = 10_000


# --- Accumulators ---------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[ResponseProblem] = []
        self.more = False

    def add(self, row: int, column: str | None, header: str | None, problem: Any) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.more = True
            raise ResponseError(self.items, more=True)
        self.items.append(ResponseProblem(row, column, header, problem.message, problem.params))


@dataclass
class _Where:
    first_row: int
    column: str | None
    header: str | None


class _Accumulator:
    def __init__(self, form: Form, element: Element, groups: int, max_text_chars: int):
        self.form = form
        self.element = element
        self.groups = groups
        self.answered = 0
        self.max_text_chars = max_text_chars

    def slow(self, value: Any, where: _Where, offset: int, problems: _Problems) -> str:
        normal, problem = normalise_answer(
            self.form, self.element, value, max_text_chars=self.max_text_chars
        )
        if problem is not None:
            problems.add(where.first_row + offset, where.column, where.header, problem)
        return normal


def _positions(column: Sequence[Any], value: Any) -> int:
    """The first offset of ``value`` in ``column`` (for naming the row of a problem)."""
    for offset, item in enumerate(column):
        if item == value:
            return offset
    return 0


class _SelectOne(_Accumulator):
    """Codes every distinct value once, then maps the column in C (``map`` over a dict)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.index = self.form.choice_index(self.element)
        size = len(self.index)
        self.counts = np.zeros(size, dtype=np.int64)
        self.joint = np.zeros((size, max(self.groups, 1)), dtype=np.int64)
        self.missing = np.zeros(size, dtype=np.int64)
        self.lookup: dict[Any, int] = {**self.index, "": -1, None: -1}

    def codes(self, column: Sequence[Any], where: _Where, problems: _Problems) -> np.ndarray:
        lookup = self.lookup
        for value in set(column) - lookup.keys():
            # A value seen for the first time that is not a choice name as written:
            # normalised (spaces, 3.0 for 3) or reported with its first row.
            normal = self.slow(value, where, _positions(column, value), problems)
            lookup[value] = self.index.get(normal, -1)
        return np.fromiter(map(lookup.__getitem__, column), dtype=np.int64, count=len(column))

    def add(self, column: Sequence[Any], where: _Where, problems: _Problems, group: Any) -> None:
        codes = self.codes(column, where, problems)
        answered = codes >= 0
        self.answered += int(answered.sum())
        size = len(self.index)
        self.counts += np.bincount(codes[answered], minlength=size)
        if group is not None:
            both = answered & (group >= 0)
            joint = np.bincount(
                codes[both] * self.groups + group[both], minlength=size * self.groups
            )
            self.joint += joint.reshape(size, self.groups)
            self.missing += np.bincount(codes[answered & (group < 0)], minlength=size)


class _SelectMultiple(_Accumulator):
    """Each distinct answer (a set of choices) is parsed once and gets an id; rows are
    counted by id, and an id-by-choice indicator matrix turns those into choice counts."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.index = self.form.choice_index(self.element)
        size = len(self.index)
        self.counts = np.zeros(size, dtype=np.int64)
        self.joint = np.zeros((size, max(self.groups, 1)), dtype=np.int64)
        self.missing = np.zeros(size, dtype=np.int64)
        self.group_answered = np.zeros(max(self.groups, 1), dtype=np.int64)
        self.missing_answered = 0
        # id 0 is "no answer"; row i of the indicator lists the choices of answer id i.
        self.ids: dict[Any, int] = {"": 0, None: 0}
        self.rows: list[np.ndarray] = [np.zeros(size, dtype=np.int64)]

    def _register(
        self, value: Any, column: Sequence[Any], where: _Where, problems: _Problems
    ) -> None:
        picks: set[int] = set()
        if isinstance(value, str):
            picks = {self.index.get(token, -1) for token in value.split()}
        if not isinstance(value, str) or -1 in picks:
            normal = self.slow(value, where, _positions(column, value), problems)
            picks = {self.index[token] for token in normal.split()}
        row = np.zeros(len(self.index), dtype=np.int64)
        row[sorted(picks)] = 1
        self.ids[value] = 0 if not picks else len(self.rows)
        if picks:
            self.rows.append(row)

    def add(self, column: Sequence[Any], where: _Where, problems: _Problems, group: Any) -> None:
        for value in set(column) - self.ids.keys():
            self._register(value, column, where, problems)
        ids = np.fromiter(map(self.ids.__getitem__, column), dtype=np.int64, count=len(column))
        indicator = np.vstack(self.rows)
        distinct = len(self.rows)
        per_answer = np.bincount(ids, minlength=distinct)
        answered = ids > 0
        self.answered += int(answered.sum())
        self.counts += per_answer[1:] @ indicator[1:]
        if group is not None:
            both = answered & (group >= 0)
            joint = np.bincount(
                ids[both] * self.groups + group[both], minlength=distinct * self.groups
            ).reshape(distinct, self.groups)
            self.joint += indicator.T @ joint
            self.missing += np.bincount(ids[answered & (group < 0)], minlength=distinct) @ indicator
            self.group_answered += np.bincount(group[both], minlength=self.groups)
            self.missing_answered += int((answered & (group < 0)).sum())


class _Text(_Accumulator):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.texts: list[str] = []

    def add(self, column: Sequence[Any], where: _Where, problems: _Problems, group: Any) -> None:
        limit = self.max_text_chars
        for offset, value in enumerate(column):
            if value is None:
                continue
            text = value.strip() if isinstance(value, str) else str(value).strip()
            if not text:
                continue
            if len(text) > limit:
                self.slow(text, where, offset, problems)
                continue
            self.texts.append(text)
        self.answered = len(self.texts)


class _Number(_Accumulator):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.values: list[np.ndarray] = []
        self.answered = 0

    def add(self, column: Sequence[Any], where: _Where, problems: _Problems, group: Any) -> None:
        given = [value for value in column if value not in ("", None)]
        try:
            # numpy parses the strings in C; anything odd takes the checked path below.
            numbers = np.array(given, dtype=np.float64)
            ok = np.isfinite(numbers).all() and (
                self.element.kind != INTEGER or (numbers == np.round(numbers)).all()
            )
        except (TypeError, ValueError):
            ok = False
        if not ok:
            checked = []
            for offset, value in enumerate(column):
                if value in ("", None):
                    continue
                normal = self.slow(value, where, offset, problems)
                if normal:
                    checked.append(float(normal))
            numbers = np.array(checked, dtype=np.float64)
        self.values.append(numbers)
        self.answered += len(numbers)

    @property
    def all_values(self) -> np.ndarray:
        return np.concatenate(self.values) if self.values else np.zeros(0)


class _Date(_Accumulator):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.values: list[int] = []

    def add(self, column: Sequence[Any], where: _Where, problems: _Problems, group: Any) -> None:
        for offset, value in enumerate(column):
            if value is None or value == "":
                continue
            normal = self.slow(value, where, offset, problems)
            if normal:
                self.values.append(dt.date.fromisoformat(normal).toordinal())
        self.answered = len(self.values)


_ACCUMULATORS: dict[str, type[_Accumulator]] = {
    SELECT_ONE: _SelectOne,
    SELECT_MULTIPLE: _SelectMultiple,
    TEXT: _Text,
    INTEGER: _Number,
    DECIMAL: _Number,
    DATE: _Date,
}


def default_theme_finder(texts: list[str]) -> list[Any]:
    from roundtable.analysis import find_themes

    return find_themes(texts)


class ByError(ValueError):
    def __init__(self, message: str, params: Mapping[str, Any]):
        self.message = message
        self.params = dict(params)
        super().__init__(message % self.params)

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        return gettext(self.message) % self.params


def check_by(form: Form, by: str | None) -> Element | None:
    if not by:
        return None
    element = form.by_name.get(by)
    if element is None or not element.is_question:
        raise ByError(
            gettext_noop("There is no question named “%(name)s” to break the results down by."),
            {"name": by},
        )
    if element.kind != SELECT_ONE:
        raise ByError(
            gettext_noop(
                "Results can only be broken down by a select_one question; “%(name)s” is %(type)s."
            ),
            {"name": by, "type": element.kind},
        )
    return element


class Tabulator:
    """Feed responses in chunks, then ask for the :class:`Tabulation`."""

    def __init__(
        self,
        form: Form,
        *,
        by: str | None = None,
        max_text_chars: int = 20_000,
    ) -> None:
        self.form = form
        self.by = check_by(form, by)
        self.group_count = len(form.choices_for(self.by)) if self.by else 0
        self.respondents = 0
        self.accumulators = {
            element.name: _ACCUMULATORS[element.kind](
                form, element, self.group_count, max_text_chars
            )
            for element in form.questions
        }
        self.problems = _Problems()

    def add_columns(
        self,
        columns: Mapping[str, Sequence[Any]],
        rows: int,
        *,
        first_row: int = 2,
        where: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Add ``rows`` responses given as ``{question name: values}``.

        Columns may hold more values than ``rows`` when blank lines are among
        them (blank lines carry no answer and are not counted).

        ``first_row`` is the file row of the first value and ``where`` each
        column's letter and heading, so that problems can name them.
        """
        where = where or {}
        group = None
        if self.by is not None:
            by_column = columns.get(self.by.name)
            if by_column is None:
                length = len(next(iter(columns.values()))) if columns else rows
                group = np.full(length, -1, dtype=np.int64)
            else:
                accumulator = self.accumulators[self.by.name]
                assert isinstance(accumulator, _SelectOne)
                letter, header = where.get(self.by.name, (None, None))
                group = accumulator.codes(
                    by_column, _Where(first_row, letter, header), self.problems
                )
        for name, accumulator in self.accumulators.items():
            column = columns.get(name)
            if column is None:
                continue
            letter, header = where.get(name, (None, None))
            accumulator.add(column, _Where(first_row, letter, header), self.problems, group)
        self.respondents += rows
        if self.problems.items:
            raise ResponseError(self.problems.items, more=self.problems.more)

    def add_answers(self, answers: Iterable[Mapping[str, str]]) -> None:
        """Add stored responses (``{name: answer}``), in chunks."""
        iterator = iter(answers)
        names = list(self.accumulators)
        while True:
            chunk = list(itertools.islice(iterator, CHUNK_ROWS))
            if not chunk:
                return
            columns = {name: [row.get(name, "") for row in chunk] for name in names}
            self.add_columns(columns, len(chunk))

    def result(
        self,
        *,
        language: str | None = None,
        min_cell: int = 3,
        themes: ThemeFinder | None = default_theme_finder,
        audit: bool = True,
    ) -> Tabulation:
        form = self.form
        lang = form.language(language)
        by = self.by
        groups: list[Group] = []
        group_sizes = None
        missing_size = 0
        if by is not None:
            by_accumulator = self.accumulators[by.name]
            assert isinstance(by_accumulator, _SelectOne)
            group_sizes = by_accumulator.counts
            missing_size = self.respondents - int(group_sizes.sum())
            groups = [
                Group(choice.name, form.choice_label(choice, lang), int(size))
                for choice, size in zip(form.choices_for(by), group_sizes, strict=True)
            ]
        results = []
        for element in form.questions:
            accumulator = self.accumulators[element.name]
            result = QuestionResult(
                name=element.name,
                label=form.label(element, lang),
                type=element.kind,
                answered=accumulator.answered,
                skipped=self.respondents - accumulator.answered,
                group=" / ".join(
                    form.label(form.by_name[name], lang)
                    for name in element.path
                    if name in form.by_name
                ),
                scorecard=list(element.scorecard),
            )
            if isinstance(accumulator, _SelectOne | _SelectMultiple):
                self._options(
                    result, accumulator, lang, groups, group_sizes, missing_size, min_cell, audit
                )
            elif isinstance(accumulator, _Text):
                result.themes = build_themes(accumulator.texts, themes)
            elif isinstance(accumulator, _Number):
                result.options, result.stats = build_numbers(accumulator.all_values, element.kind)
            elif isinstance(accumulator, _Date):
                result.options, result.stats = build_dates(accumulator.values)
            results.append(result)
        return Tabulation(
            title=form.title,
            language=lang,
            respondents=self.respondents,
            questions=results,
            min_cell=min_cell,
            by=by.name if by else None,
            by_label=form.label(by, lang) if by else "",
            groups=groups,
        )

    def _options(
        self,
        result: QuestionResult,
        accumulator: _SelectOne | _SelectMultiple,
        lang: str,
        groups: list[Group],
        group_sizes: np.ndarray | None,
        missing_size: int,
        min_cell: int,
        audit: bool,
    ) -> None:
        form = self.form
        choices = form.choices_for(accumulator.element)
        result.options = [
            OptionResult(
                value=choice.name,
                label=form.choice_label(choice, lang),
                count=int(count),
                percent=percent(int(count), accumulator.answered),
                score=choice.score,
            )
            for choice, count in zip(choices, accumulator.counts, strict=True)
        ]
        by = self.by
        if by is None or accumulator.element.name == by.name:
            return
        joint = accumulator.joint
        if isinstance(accumulator, _SelectOne):
            group_answered = joint.sum(axis=0)
            additive = True
        else:
            group_answered = accumulator.group_answered
            additive = False
        protection = protect(
            joint,
            missing=accumulator.missing,
            group_answered=group_answered,
            group_sizes=group_sizes,
            missing_size=missing_size,
            k=min_cell,
            additive=additive,
            audit=audit,
        )
        result.withheld = protection.withheld
        result.by_answered = {
            group.value: None if protection.hidden_groups[g] else int(group_answered[g])
            for g, group in enumerate(groups)
        }
        for o, option in enumerate(result.options):
            option.by = {
                group.value: None
                if protection.hidden[o, g]
                else Cell(int(joint[o, g]), percent(int(joint[o, g]), int(group_answered[g])))
                for g, group in enumerate(groups)
            }


# --- Files ---------------------------------------------------------------------------


def _chunks(
    columns: ColumnMap, rows: Iterator[Sequence[Any]], size: int
) -> Iterator[tuple[dict[str, list[Any]], int, int]]:
    """Column chunks of ``size`` rows: (``{name: values}``, responses, first row number).

    Blank lines stay in the chunk (so problems name the right row) but are not
    counted as responses: all their values are empty.
    """
    first_row = 2
    indices = list(columns.questions.items())
    rebuild = columns.missing_main
    width = len(columns.headers)
    while True:
        block = list(itertools.islice(rows, size))
        if not block:
            return
        responses = sum(1 for row in block if any(value not in (None, "") for value in row))
        if any(len(row) < width for row in block):
            block = [
                row if len(row) >= width else [*row, *([""] * (width - len(row)))] for row in block
            ]
        # One transposition in C instead of a Python loop per cell.
        transposed = list(zip(*block, strict=False))
        chunk: dict[str, Any] = {element.name: transposed[index] for index, element in indices}
        if rebuild:
            for index, (element, option) in columns.option_columns.items():
                if element.name not in rebuild:
                    continue
                values = list(chunk.get(element.name, [""] * len(block)))
                for i, flag in enumerate(transposed[index]):
                    if str(flag).strip().lower() in ("1", "true", "1.0"):
                        values[i] = f"{values[i]} {option}".strip()
                chunk[element.name] = values
        yield chunk, responses, first_row
        first_row += len(block)


def tabulate_rows(
    form: Form,
    rows: Iterator[Sequence[Any]],
    *,
    by: str | None = None,
    max_text_chars: int = 20_000,
) -> Tabulator:
    header = next(rows, None)
    if header is None:
        raise ResponseError([ResponseProblem(None, None, None, gettext_noop("The file is empty."))])
    columns = map_columns(form, [str(h) if h is not None else "" for h in header])
    tabulator = Tabulator(form, by=by, max_text_chars=max_text_chars)
    where = {
        element.name: (column_letter(index), columns.headers[index])
        for index, element in columns.questions.items()
    }
    for chunk, count, first_row in _chunks(columns, rows, CHUNK_ROWS):
        tabulator.add_columns(chunk, count, first_row=first_row, where=where)
    return tabulator


def tabulate_file(
    form: Form,
    path: str | Path,
    *,
    by: str | None = None,
    max_text_chars: int = 20_000,
) -> Tabulator:
    """Stream a CSV file (or read an XLSX file) of responses into a Tabulator."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return tabulate_rows(
            form, iter(rows_of(path.read_bytes(), path.name)), by=by, max_text_chars=max_text_chars
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return tabulate_rows(
                form, csv_rows_from_file(handle), by=by, max_text_chars=max_text_chars
            )
    except UnicodeDecodeError:
        raise ResponseError(
            [
                ResponseProblem(
                    None,
                    None,
                    None,
                    gettext_noop(
                        "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."
                    ),
                )
            ]
        ) from None


def tabulate(
    form: Form,
    answers: Iterable[Mapping[str, str]],
    *,
    by: str | None = None,
    language: str | None = None,
    min_cell: int = 3,
    themes: ThemeFinder | None = default_theme_finder,
) -> Tabulation:
    """Tabulate stored responses (``{question name: answer}`` each)."""
    tabulator = Tabulator(form, by=by)
    tabulator.add_answers(answers)
    return tabulator.result(language=language, min_cell=min_cell, themes=themes)


__all__ = [
    "ByError",
    "Cell",
    "Group",
    "OptionResult",
    "QuestionResult",
    "Tabulation",
    "Tabulator",
    "ThemeResult",
    "check_by",
    "default_theme_finder",
    "percent",
    "tabulate",
    "tabulate_file",
    "tabulate_rows",
]
