"""Answering: page by page, skip logic on the server, in the respondent's language.

The link is the permission (an invitation token, or the resume key of an
open-link respondent), so none of these pages needs an account, and none
of them writes anything but the respondent's own draft and, at the end,
the anonymous response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from roundtable.core.text import render_markdown

from .. import answering, conf, selectors, services
from ..models import Survey
from ..xlsform import LANGUAGE_LABELS, SELECT_TYPES, Element, Form
from .manage import survey_for

ACTIONS = ("next", "back", "save", "submit")


def _survey(slug: str, pk: int) -> Survey:
    # Not process_for(): a respondent holding a link may have no account at all.
    return get_object_or_404(Survey.objects.select_related("process"), pk=pk, process__slug=slug)


def _language(request: HttpRequest, form: Form, *preferred: str) -> str:
    wanted = request.GET.get("lang") or request.POST.get("lang")
    if wanted and form.language(wanted).lower() == wanted.lower():
        return form.language(wanted)
    for choice in (*preferred, translation.get_language()):
        if choice:
            return form.language(choice)
    return form.default_language


def _languages(form: Form) -> list[dict[str, str]]:
    return [
        {
            "code": code,
            "name": LANGUAGE_LABELS.get(code, code),
            "ui": services.ui_language(code) or code,
        }
        for code in form.languages
        if code != "default"
    ]


@dataclass
class Field:
    """A question or note as the page template shows it."""

    element: Element
    label: str
    hint: str
    value: str
    values: list[str]
    choices: list[tuple[str, str]]
    error: str
    relevant: bool

    @property
    def name(self) -> str:
        return self.element.name

    @property
    def kind(self) -> str:
        return self.element.kind

    @property
    def is_choice(self) -> bool:
        return self.element.kind in SELECT_TYPES


def _fields(
    form: Form,
    page: answering.Page,
    answers: dict[str, str],
    errors: dict[str, str],
    language: str,
    submitted: dict[str, Any] | None,
) -> list[Field]:
    today = timezone.localdate()
    fields = []
    for element in page.elements:
        if not form.is_relevant(element, answers, today):
            continue
        if submitted is not None and element.name in submitted:
            value = submitted[element.name]
        else:
            value = answers.get(element.name, "")
        fields.append(
            Field(
                element=element,
                label=form.label(element, language),
                hint=form.text(element.hints, language),
                value=value,
                values=value.split() if element.kind == "select_multiple" else [value],
                choices=[
                    (choice.name, form.choice_label(choice, language))
                    for choice in form.choices_for(element)
                ],
                error=errors.get(element.name, ""),
                relevant=True,
            )
        )
    return fields


def _redirect(survey: Survey, key: str, page: int, language: str) -> HttpResponse:
    url = reverse(
        "surveys:answer", kwargs={"slug": survey.process.slug, "pk": survey.pk, "key": key}
    )
    return redirect(f"{url}?{urlencode({'page': page, 'lang': language})}")


@never_cache
def answer(request: HttpRequest, slug: str, pk: int, key: str) -> HttpResponse:
    survey = _survey(slug, pk)
    try:
        access = services.answer_key(survey=survey, key=key)
    except ValidationError as error:
        return render(
            request,
            "surveys/answer_invalid.html",
            {"survey": survey, "errors": error.messages},
            status=410 if error.code in ("used", "closed") else 404,
        )
    form = survey.form
    draft = access.draft
    language = _language(
        request,
        form,
        draft.language if draft else "",
        access.invitation.language if access.invitation else "",
    )
    ui = services.ui_language(language) or translation.get_language()
    with translation.override(ui):
        return _answer_page(request, survey, access, key, language)


def _current_page(
    request: HttpRequest,
    access: services.AnswerKey,
    form: Form,
    all_pages: list[answering.Page],
    answers: dict[str, str],
    today: Any,
) -> int:
    """The page asked for if it applies; else the next one that does; else the first."""
    raw = request.POST.get("page") or request.GET.get("page") or ""
    try:
        wanted = int(raw)
    except ValueError:
        wanted = -1
    if wanted < 0 and access.draft is not None:
        wanted = access.draft.page  # resuming: where the respondent left off
    if 0 <= wanted < len(all_pages) and answering.page_is_relevant(
        form, all_pages[wanted], answers, today
    ):
        return wanted
    if 0 <= wanted < len(all_pages):
        following = answering.next_page(form, all_pages, wanted, answers, today)
        if following is not None:
            return following
    return answering.first_page(form, all_pages, answers, today)


def _answer_page(
    request: HttpRequest, survey: Survey, access: services.AnswerKey, key: str, language: str
) -> HttpResponse:
    form = survey.form
    today = timezone.localdate()
    all_pages = answering.pages(form)
    answers: dict[str, str] = dict(access.draft.answers) if access.draft else {}
    wanted = _current_page(request, access, form, all_pages, answers, today)
    page = all_pages[wanted]
    errors: dict[str, str] = {}
    submitted: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action not in ACTIONS:
            action = "next"
        values, problems = answering.read_page(
            form, page, request.POST, answers, today, max_text_chars=conf.max_answer_chars()
        )
        for element in page.questions:
            answers.pop(element.name, None)
        answers.update({name: value for name, value in values.items() if value})
        if action == "save":
            # Saving unfinished work: a question not yet answered is no reason to refuse.
            problems = {n: p for n, p in problems.items() if p.message is not answering.REQUIRED}
        errors = {name: problem.render(form, language, _) for name, problem in problems.items()}
        if action == "back" or (action == "save" and not errors):
            target = wanted
            if action == "back":
                target = answering.previous_page(form, all_pages, wanted, answers, today)
                target = wanted if target is None else target
            valid = {k: v for k, v in answers.items() if k not in problems}
            services.draft_save(access=access, answers=valid, page=target, language=language)
            if action == "save":
                messages.success(
                    request,
                    _(
                        "Your answers are saved. Come back with the same link to go on: "
                        "bookmark this page or keep the e-mail."
                    ),
                )
            return _redirect(survey, key, target, language)
        if not errors:
            following = answering.next_page(form, all_pages, wanted, answers, today)
            if action == "next" and following is not None:
                services.draft_save(
                    access=access, answers=answers, page=following, language=language
                )
                return _redirect(survey, key, following, language)
            # The last page: everything relevant must be answered as the rules say.
            answers = answering.prune(form, answers, today)
            missing = answering.missing(form, answers, today)
            if missing:
                first = answering.page_of(all_pages, next(iter(missing)))
                services.draft_save(access=access, answers=answers, page=first, language=language)
                messages.error(request, _("Some questions still need an answer."))
                return _redirect(survey, key, first, language)
            try:
                services.response_submit(access=access, answers=answers)
            except ValidationError as error:
                return render(
                    request,
                    "surveys/answer_invalid.html",
                    {"survey": survey, "errors": error.messages},
                    status=410,
                )
            return redirect(
                reverse("surveys:thanks", kwargs={"slug": survey.process.slug, "pk": survey.pk})
                + "?"
                + urlencode({"lang": language})
            )
        submitted = {
            element.name: (
                " ".join(request.POST.getlist(element.name))
                if element.kind == "select_multiple"
                else request.POST.get(element.name, "")
            )
            for element in page.questions
        }
        status = 400
    relevant_pages = [
        p.index for p in all_pages if answering.page_is_relevant(form, p, answers, today)
    ]
    position = relevant_pages.index(page.index) + 1 if page.index in relevant_pages else 1
    is_last = answering.next_page(form, all_pages, page.index, answers, today) is None
    group = form.by_name.get(page.group) if page.group else None
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "process": survey.process,
            "key": key,
            "language": language,
            "languages": _languages(form),
            "page": page,
            "page_title": form.label(group, language) if group else "",
            "fields": _fields(form, page, answers, errors, language, submitted),
            "errors": errors,
            "position": position,
            "page_count": len(relevant_pages),
            "is_first": answering.previous_page(form, all_pages, page.index, answers, today)
            is None,
            "is_last": is_last,
            "introduction": render_markdown(survey.description)
            if survey.description and position == 1
            else "",
            "by_invitation": access.invitation is not None,
            "min_cell": survey.min_cell,
        },
        status=status,
    )


@never_cache
def open_link(request: HttpRequest, slug: str, pk: int, open_key: str) -> HttpResponse:
    """The open link's first page: starting gives the respondent their own resume link."""
    survey = _survey(slug, pk)
    form = survey.form
    language = _language(request, form)
    valid = bool(survey.open_link and survey.open_key and survey.open_key == open_key)
    with translation.override(services.ui_language(language) or translation.get_language()):
        if request.method == "POST":
            try:
                key = services.open_link_start(survey=survey, open_key=open_key, language=language)
            except ValidationError as error:
                return render(
                    request,
                    "surveys/answer_invalid.html",
                    {"survey": survey, "errors": error.messages},
                    status=410,
                )
            return _redirect(survey, key, 0, language)
        if not valid or not survey.is_open:
            return render(
                request,
                "surveys/answer_invalid.html",
                {
                    "survey": survey,
                    "errors": [
                        _("This survey is closed. Thank you for your interest.")
                        if valid
                        else _("This link is not valid.")
                    ],
                },
                status=410 if valid else 404,
            )
        return render(
            request,
            "surveys/open_link.html",
            {
                "survey": survey,
                "language": language,
                "languages": _languages(form),
                "introduction": render_markdown(survey.description) if survey.description else "",
                "min_cell": survey.min_cell,
            },
        )


def thanks(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = _survey(slug, pk)
    language = _language(request, survey.form)
    with translation.override(services.ui_language(language) or translation.get_language()):
        return render(request, "surveys/thanks.html", {"survey": survey})


def answer_start(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A logged-in invitee's way in: to their own link (the same one as in the e-mail)."""
    survey = survey_for(request, slug, pk)
    invitation = selectors.invitation_for(person=request.user, survey=survey)
    if invitation is None or invitation.used or not survey.is_open:
        messages.error(request, _("You have no unanswered invitation to this survey."))
        return redirect(survey)
    return _redirect(
        survey,
        services.invitation_token(invitation),
        -1,
        invitation.language or settings.LANGUAGE_CODE,
    )
