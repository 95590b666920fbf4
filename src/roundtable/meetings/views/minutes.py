"""Minutes: the published record, its exports, and the secretariat's editor.

The published record and its exports name speakers only through the
session's attribution rule (``Speakers.for_record``), for every viewer. The
editor, for the secretariat before publication, names them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.core.pdf import html_to_pdf
from roundtable.people.models import Person
from roundtable.processes.models import Membership

from .. import policy, selectors, services
from ..forms import (
    ActionForm,
    OutcomeForm,
    StatementEditForm,
    StatementForm,
    TranscriptForm,
)
from ..models import ActionItem, AgendaItem, FloorStatus, Statement
from ._common import act, require, session_for


def _editor_url(session) -> str:
    return reverse(
        "meetings:minutes_edit", kwargs={"slug": session.process.slug, "session_id": session.pk}
    )


def _record(request: HttpRequest, slug: str, session_id: int):
    session = session_for(request, slug, session_id)
    require(policy.can_view_minutes(request.user, session))
    speakers = (
        selectors.Speakers.for_record(session)
        if session.minutes_published
        else selectors.Speakers.for_draft(session, request.user)
    )
    return session, selectors.minutes(session=session, speakers=speakers)


def minutes(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session, items = _record(request, slug, session_id)
    return render(
        request,
        "meetings/minutes.html",
        {
            "process": session.process,
            "session": session,
            "items": items,
            "can_edit": policy.can_record_minutes(request.user, session),
            "nav_current": "meetings",
        },
    )


def minutes_txt(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session, items = _record(request, slug, session_id)
    text = render_to_string(
        "meetings/minutes.txt",
        {"session": session, "process": session.process, "items": items},
        request=request,
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="minutes-session-{session.pk}.txt"'
    return response


def minutes_pdf(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session, items = _record(request, slug, session_id)
    html = render_to_string(
        "meetings/minutes_print.html",
        {"session": session, "process": session.process, "items": items},
        request=request,
    )
    response = HttpResponse(
        html_to_pdf(html, base_url=settings.SITE_URL), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-session-{session.pk}.pdf"'
    return response


def _speaker_choices(session) -> list[tuple[int, str]]:
    return [(person.pk, person.name) for person in selectors.possible_speakers(session=session)]


def _owner_choices(session) -> list[tuple[int, str]]:
    memberships = (
        Membership.objects.filter(process_id=session.process_id)
        .select_related("person")
        .order_by("person__name")
    )
    return [(m.person_id, m.person.name) for m in memberships if m.is_current]


def minutes_edit(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """The secretariat's editor: record a statement (this page's form), and links to the rest."""
    session = session_for(request, slug, session_id)
    require(policy.can_record_minutes(request.user, session))
    items = list(session.agenda_items.all())
    # Suggest the last person given the floor: the statement is most likely theirs.
    last_turn = (
        session.floor_requests.filter(status__in=[FloorStatus.SPEAKING, FloorStatus.DONE])
        .order_by("-granted_at")
        .first()
    )
    form = StatementForm(
        request.POST or None,
        speakers=_speaker_choices(session),
        items=items,
        initial={
            "speaker": last_turn.person_id if last_turn else None,
            "agenda_item": session.current_agenda_item_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        speaker = Person.objects.filter(pk=form.cleaned_data["speaker"]).first()
        item = next((i for i in items if i.pk == form.cleaned_data["agenda_item"]), None)
        try:
            services.statement_add(
                actor=request.user,
                session=session,
                speaker=speaker,
                text=form.cleaned_data["text"],
                agenda_item=item,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The statement was recorded."))
            return redirect(_editor_url(session))
    return _editor(request, session, items, statement_form=form)


def _editor(request, session, items, *, statement_form=None, transcript_form=None, status=None):
    speakers = selectors.Speakers.for_draft(session, request.user)
    statement_form = statement_form or StatementForm(
        speakers=_speaker_choices(session), items=items
    )
    transcript_form = transcript_form or TranscriptForm(items=items)
    owners = _owner_choices(session)
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "process": session.process,
            "session": session,
            "minutes": selectors.minutes(session=session, speakers=speakers),
            "statement_form": statement_form,
            "transcript_form": transcript_form,
            "outcome_forms": {
                item.pk: OutcomeForm(initial={"outcome": item.outcome}, prefix=f"item{item.pk}")
                for item in items
            },
            "action_forms": {
                item.pk: ActionForm(owners=owners, prefix=f"action{item.pk}") for item in items
            },
            "nav_current": "meetings",
        },
        status=status or (400 if statement_form.errors or transcript_form.errors else 200),
    )


@require_POST
def minutes_import(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    require(policy.can_record_minutes(request.user, session))
    items = list(session.agenda_items.all())
    form = TranscriptForm(request.POST, request.FILES, items=items)
    if form.is_valid():
        upload = form.cleaned_data.get("transcript")
        content = upload.read() if upload else form.cleaned_data["text"]
        item = next((i for i in items if i.pk == form.cleaned_data["agenda_item"]), None)
        try:
            created = services.transcript_import(
                actor=request.user, session=session, content=content, agenda_item=item
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d statement was imported from the transcript.",
                    "%(count)d statements were imported from the transcript.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect(_editor_url(session))
    return _editor(request, session, items, transcript_form=form, status=400)


def statement_edit(
    request: HttpRequest, slug: str, session_id: int, statement_id: int
) -> HttpResponse:
    session = session_for(request, slug, session_id)
    require(policy.can_record_minutes(request.user, session))
    statement = get_object_or_404(Statement, pk=statement_id, session=session)
    items = list(session.agenda_items.all())
    form = StatementEditForm(
        request.POST or None,
        items=items,
        initial={"text": statement.text, "agenda_item": statement.agenda_item_id},
    )
    if request.method == "POST" and form.is_valid():
        item = next((i for i in items if i.pk == form.cleaned_data["agenda_item"]), None)
        try:
            services.statement_update(
                actor=request.user,
                statement=statement,
                text=form.cleaned_data["text"],
                agenda_item=item,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The statement was corrected."))
            return redirect(_editor_url(session))
    speakers = selectors.Speakers.for_draft(session, request.user)
    return render(
        request,
        "meetings/statement_edit.html",
        {
            "process": session.process,
            "session": session,
            "statement": statement,
            "speaker": speakers.attribution(statement.speaker_id).label,
            "form": form,
            "nav_current": "meetings",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def statement_delete(
    request: HttpRequest, slug: str, session_id: int, statement_id: int
) -> HttpResponse:
    session = session_for(request, slug, session_id)
    statement = get_object_or_404(Statement, pk=statement_id, session=session)
    return act(
        request,
        lambda: services.statement_delete(actor=request.user, statement=statement),
        success=_("The statement was deleted."),
        then=_editor_url(session),
        process=session.process,
    )


@require_POST
def outcome(request: HttpRequest, slug: str, session_id: int, item_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=session)
    form = OutcomeForm(request.POST, prefix=f"item{item.pk}")
    text = form.data.get(f"item{item.pk}-outcome", "")
    return act(
        request,
        lambda: services.agenda_item_set_outcome(actor=request.user, item=item, outcome=text),
        success=_("The outcome was saved."),
        then=_editor_url(session) + f"#item-{item.pk}",
        process=session.process,
    )


@require_POST
def action_add(request: HttpRequest, slug: str, session_id: int, item_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    require(policy.can_record_minutes(request.user, session))
    item = get_object_or_404(AgendaItem, pk=item_id, session=session)
    form = ActionForm(request.POST, owners=_owner_choices(session), prefix=f"action{item.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_editor_url(session) + f"#item-{item.pk}")
    owner = (
        Person.objects.filter(pk=form.cleaned_data["owner"]).first()
        if form.cleaned_data["owner"]
        else None
    )
    return act(
        request,
        lambda: services.action_item_add(
            actor=request.user,
            agenda_item=item,
            text=form.cleaned_data["text"],
            owner=owner,
            due_date=form.cleaned_data["due_date"],
        ),
        success=_("The action was added."),
        then=_editor_url(session) + f"#item-{item.pk}",
        process=session.process,
    )


@require_POST
def action_done(request: HttpRequest, slug: str, session_id: int, action_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    action = get_object_or_404(ActionItem, pk=action_id, agenda_item__session=session)
    done = request.POST.get("done") == "1"
    return act(
        request,
        lambda: services.action_item_set_done(actor=request.user, action=action, done=done),
        success=None,
        then=_editor_url(session) + f"#item-{action.agenda_item_id}",
        process=session.process,
    )


@require_POST
def action_remove(request: HttpRequest, slug: str, session_id: int, action_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    action = get_object_or_404(ActionItem, pk=action_id, agenda_item__session=session)
    return act(
        request,
        lambda: services.action_item_remove(actor=request.user, action=action),
        success=_("The action was removed."),
        then=_editor_url(session) + f"#item-{action.agenda_item_id}",
        process=session.process,
    )


@require_POST
def minutes_publish(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    return act(
        request,
        lambda: services.minutes_publish(actor=request.user, session=session),
        success=_("The minutes are published and were sent to the participants."),
        then=reverse("meetings:minutes", kwargs={"slug": slug, "session_id": session.pk}),
        process=session.process,
    )


@require_POST
def minutes_withdraw(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    return act(
        request,
        lambda: services.minutes_withdraw(actor=request.user, session=session),
        success=_("The minutes are back in draft."),
        then=_editor_url(session),
        process=session.process,
    )
