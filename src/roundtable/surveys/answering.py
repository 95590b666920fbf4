"""Answering a form page by page, with skip logic evaluated on the server. No Django.

Pages: each top-level group is a page, and top-level questions between
groups share one. A question whose ``relevant`` depends on an answer given
on the same page starts a new page, so that every page can be shown
knowing all the answers it depends on: no JavaScript is needed, and the
form behaves the same on a slow link, a screen reader or a text browser.

Answers are ``{question name: answer}`` as stored (see
``responses.normalise_answer``); answers to questions that stop being
relevant are dropped, as ODK does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import expressions
from .expressions import gettext_noop
from .responses import AnswerProblem, normalise_answer
from .xlsform import NOTE, SELECT_MULTIPLE, Element, Form


class PostData(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass
class Page:
    index: int
    group: str  # name of the top-level group, or ""
    elements: list[Element] = field(default_factory=list)

    @property
    def questions(self) -> list[Element]:
        return [element for element in self.elements if element.is_question]


def pages(form: Form) -> list[Page]:
    result: list[Page] = []
    current: Page | None = None
    on_page: set[str] = set()
    for element in form.elements:
        if element.kind == "group":
            continue
        group = element.path[0] if element.path else ""
        depends = set()
        for name in [*element.path, element.name]:
            node = form.by_name[name].relevant_node if name in form.by_name else None
            if node is not None:
                depends |= expressions.references(node)
        if current is None or group != current.group or depends & on_page:
            current = Page(len(result), group)
            result.append(current)
            on_page = set()
        current.elements.append(element)
        on_page.add(element.name)
    return result


def page_is_relevant(form: Form, page: Page, answers: Mapping[str, str], today: dt.date) -> bool:
    return any(form.is_relevant(element, answers, today) for element in page.questions) or (
        not page.questions
        and any(form.is_relevant(element, answers, today) for element in page.elements)
    )


def next_page(
    form: Form, all_pages: list[Page], after: int, answers: Mapping[str, str], today: dt.date
) -> int | None:
    for page in all_pages[after + 1 :]:
        if page_is_relevant(form, page, answers, today):
            return page.index
    return None


def previous_page(
    form: Form, all_pages: list[Page], before: int, answers: Mapping[str, str], today: dt.date
) -> int | None:
    for page in reversed(all_pages[:before]):
        if page_is_relevant(form, page, answers, today):
            return page.index
    return None


def first_page(
    form: Form, all_pages: list[Page], answers: Mapping[str, str], today: dt.date
) -> int:
    found = next_page(form, all_pages, -1, answers, today)
    return 0 if found is None else found


def prune(form: Form, answers: Mapping[str, str], today: dt.date) -> dict[str, str]:
    """The answers without those to questions that are not (or no longer) relevant."""
    kept: dict[str, str] = {}
    for element in form.questions:
        value = answers.get(element.name, "")
        if value and form.is_relevant(element, kept, today):
            kept[element.name] = value
    return kept


@dataclass
class Problem:
    """Why an answer is refused: the form's own message, or one of ours to translate."""

    own: dict[str, str] | None = None  # the form's message, by language
    message: AnswerProblem | None = None

    def render(self, form: Form, language: str, gettext: Callable[[str], str]) -> str:
        if self.own:
            return form.text(self.own, language)
        return self.message.render(gettext) if self.message else ""


REQUIRED = AnswerProblem(gettext_noop("This question needs an answer."))
NOT_ALLOWED = AnswerProblem(gettext_noop("This answer is not allowed."))


def check(
    form: Form,
    element: Element,
    value: str,
    answers: Mapping[str, str],
    today: dt.date,
) -> Problem | None:
    """The required and constraint rules for one (normalised) answer."""
    if not value:
        if element.required:
            return Problem(own=element.required_messages or None, message=REQUIRED)
        return None
    node = element.constraint_node
    if node is not None:
        context = expressions.Context(
            answers={**answers, element.name: value}, current=value, today=today
        )
        if not expressions.is_true(node, context):
            return Problem(own=element.constraint_messages or None, message=NOT_ALLOWED)
    return None


def read_page(
    form: Form,
    page: Page,
    data: PostData,
    answers: Mapping[str, str],
    today: dt.date,
    *,
    max_text_chars: int = 5000,
) -> tuple[dict[str, str], dict[str, Problem]]:
    """The page's answers from a submitted form, and the problems by question name.

    ``answers`` are those given so far; the page's questions are relevant or
    not according to them (pages are cut so that this is enough).
    """
    values: dict[str, str] = {}
    problems: dict[str, Problem] = {}
    for element in page.questions:
        if not form.is_relevant(element, answers, today):
            continue
        raw: Any
        if element.kind == SELECT_MULTIPLE:
            raw = " ".join(str(value) for value in data.getlist(element.name))
        else:
            raw = data.get(element.name, "")
        value, problem = normalise_answer(form, element, raw, max_text_chars=max_text_chars)
        if problem is not None:
            problems[element.name] = Problem(message=problem)
            continue
        values[element.name] = value
    merged = {**answers, **values}
    for name, value in values.items():
        found = check(form, form.question(name), value, merged, today)
        if found is not None:
            problems[name] = found
    return values, problems


def missing(form: Form, answers: Mapping[str, str], today: dt.date) -> dict[str, Problem]:
    """Every relevant question whose answer is missing or breaks a rule (before submitting)."""
    problems: dict[str, Problem] = {}
    for element in form.questions:
        if not form.is_relevant(element, answers, today):
            continue
        found = check(form, element, answers.get(element.name, ""), answers, today)
        if found is not None:
            problems[element.name] = found
    return problems


def page_of(all_pages: list[Page], name: str) -> int:
    for page in all_pages:
        if any(element.name == name for element in page.elements):
            return page.index
    return 0


def is_note(element: Element) -> bool:
    return element.kind == NOTE
