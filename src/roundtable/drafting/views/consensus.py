"""Consensus calls, minority statements and silence procedures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.processes.models import Membership, Role

from .. import conf, policy, selectors, services
from ..export import annotate_paragraph
from ..forms import ConsensusForm, MinorityStatementForm, ObjectionForm, ReasonForm, SilenceForm
from ..models import MinorityStatement, ParagraphStatus, SilenceProcedure
from .common import document_for, flash_errors, int_or_none, paragraph_for, require, section_for


def _target(request, document):
    """The paragraph or section named by ?paragraph= or ?section=."""
    paragraph_id = int_or_none(request.GET.get("paragraph") or request.POST.get("paragraph"))
    section_id = int_or_none(request.GET.get("section") or request.POST.get("section"))
    if paragraph_id:
        return paragraph_for(document, paragraph_id), None
    if section_id:
        return None, section_for(document, section_id)
    from django.http import Http404

    raise Http404


def _members(document):
    return [
        m
        for m in Membership.objects.filter(process=document.process, role=Role.MEMBER)
        .select_related("person", "stakeholder_group")
        .order_by("stakeholder_group__position", "person__name")
        if m.is_current
    ]


def consensus_new(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    require(policy.can_call_consensus(request.user, document))
    paragraph, section = _target(request, document)
    options = []
    if paragraph is not None and paragraph.status == ParagraphStatus.ALTERNATIVES:
        options = [a["label"] for a in paragraph.current_version.alternatives]
    form = ConsensusForm(
        request.POST or None,
        members=_members(document),
        options=options,
        initial={"base_version": paragraph.version_number if paragraph else None},
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consensus_call(
                actor=request.user,
                document=document,
                paragraph=paragraph,
                section=section,
                finding=data["finding"],
                note=data["note"],
                adopted_option=data.get("adopted_option", ""),
                objections=[(m, data["objection_reason"]) for m in data["objections"]],
                ad_referendum=data["ad_referendum"],
                base_version=data.get("base_version"),
            )
        except services.StaleVersion as error:
            stale = error
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The consensus call was recorded."))
            return redirect(
                paragraph.get_absolute_url() if paragraph else document.get_absolute_url()
            )
    view = (
        annotate_paragraph(selectors.paragraph_view(paragraph)) if paragraph is not None else None
    )
    return render(
        request,
        "drafting/consensus_form.html",
        {
            "process": document.process,
            "document": document,
            "paragraph": paragraph,
            "section": section,
            "p": view,
            "form": form,
            "stale": stale,
            "nav_current": "drafting",
        },
        status=409 if stale else (400 if form.errors else 200),
    )


def calls(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    namer = selectors.Namer(document.process)
    numbers = selectors.paragraph_numbers(document)
    rows = [
        (call, numbers.get(call.paragraph_id), selectors.objections_named(call, namer))
        for call in document.consensus_calls.select_related(
            "paragraph", "section"
        ).prefetch_related("objections")
    ]
    return render(
        request,
        "drafting/calls.html",
        {
            "process": document.process,
            "document": document,
            "rows": rows,
            "nav_current": "drafting",
        },
    )


def minority_new(
    request: HttpRequest, slug: str, document_id: int, section_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    section = section_for(document, section_id)
    require(policy.can_write_minority_statement(request.user, document))
    form = MinorityStatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minority_statement_create(
                actor=request.user, section=section, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your minority statement was attached to the section."))
            return redirect(f"{document.get_absolute_url()}#s-{section.pk}")
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("Minority statement on “%(section)s”") % {"section": section.title},
            "intro": _(
                "A minority statement records dissent with this section in the report. Other "
                "members can join it."
            ),
            "submit": _("Attach the statement"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def minority_action(
    request: HttpRequest, slug: str, document_id: int, statement_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    statement = get_object_or_404(
        MinorityStatement.objects.select_related("section"),
        pk=statement_id,
        section__document=document,
    )
    statement.section.document = document
    action = request.POST.get("action")
    try:
        if action == "withdraw":
            require(policy.can_withdraw_minority_statement(request.user, statement))
            services.minority_statement_withdraw(actor=request.user, statement=statement)
            messages.success(request, _("Your statement was withdrawn."))
        else:
            require(policy.can_join_minority_statement(request.user, statement))
            services.minority_statement_join(
                actor=request.user, statement=statement, join=action != "leave"
            )
            messages.success(request, _("Done."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(f"{document.get_absolute_url()}#s-{statement.section_id}")


def silence_new(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    require(policy.can_start_silence(request.user, document))
    paragraph, section = _target(request, document)
    default = timezone.localtime() + dt.timedelta(days=7)
    form = SilenceForm(
        request.POST or None,
        initial={
            "deadline": default.replace(second=0, microsecond=0),
            "base_version": paragraph.version_number if paragraph else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            procedure = services.silence_start(
                actor=request.user,
                document=document,
                paragraph=paragraph,
                section=section,
                **form.cleaned_data,
            )
        except services.StaleVersion as error:
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The silence procedure started; members were notified."))
            return redirect(
                "drafting:silence", slug=slug, document_id=document.pk, procedure_id=procedure.pk
            )
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("Silence procedure"),
            "intro": _(
                "The text becomes agreed at the deadline unless a member objects before it. "
                "Members are told by e-mail. The shortest allowed is %(hours)d hours."
            )
            % {"hours": conf.min_silence_hours()},
            "quote": paragraph.current_version.text if paragraph else "",
            "hidden": {"paragraph": paragraph.pk} if paragraph else {"section": section.pk},
            "submit": _("Start the silence procedure"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


def silence_detail(
    request: HttpRequest, slug: str, document_id: int, procedure_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    procedure = get_object_or_404(
        SilenceProcedure.objects.select_related("paragraph", "section"),
        pk=procedure_id,
        document=document,
    )
    procedure.document = document
    namer = selectors.Namer(document.process)
    paragraphs = (
        [procedure.paragraph]
        if procedure.paragraph_id
        else list(procedure.section.paragraphs.filter(removed_revision__isnull=True))
    )
    numbers = selectors.paragraph_numbers(document)
    return render(
        request,
        "drafting/silence.html",
        {
            "process": document.process,
            "document": document,
            "procedure": procedure,
            "paragraphs": [(p, numbers.get(p.pk)) for p in paragraphs],
            "objections": [
                (o, namer.membership(o.membership_id)) for o in procedure.objections.all()
            ],
            "started_by": namer.person(procedure.started_by_id),
            "object_form": ObjectionForm()
            if policy.can_object_in_silence(request.user, procedure)
            else None,
            "cancel_form": ReasonForm()
            if policy.can_cancel_silence(request.user, procedure)
            else None,
            "nav_current": "drafting",
        },
    )


@require_POST
def silence_action(
    request: HttpRequest, slug: str, document_id: int, procedure_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    procedure = get_object_or_404(SilenceProcedure, pk=procedure_id, document=document)
    procedure.document = document
    reason = request.POST.get("reason", "")
    try:
        if request.POST.get("action") == "cancel":
            require(policy.can_cancel_silence(request.user, procedure))
            services.silence_cancel(actor=request.user, procedure=procedure, reason=reason)
            messages.success(request, _("The silence procedure was cancelled."))
        else:
            require(policy.can_object_in_silence(request.user, procedure))
            services.silence_object(actor=request.user, procedure=procedure, reason=reason)
            messages.success(
                request,
                _("Your objection was recorded: the silence is broken and the text stays open."),
            )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(
        "drafting:silence", slug=slug, document_id=document.pk, procedure_id=procedure.pk
    )
