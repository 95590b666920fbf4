"""Amendment pages: propose, list, read with positions, decide, withdraw, revise."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error

from .. import policy, selectors, services
from ..forms import AmendmentForm, DecisionForm, PositionForm, ReviseForm
from ..models import AmendmentKind, AmendmentStatus, Position
from ..text import diff_html
from .common import (
    amendment_for,
    document_for,
    flash_errors,
    paragraph_for,
    require,
    section_for,
)
from .documents import paragraph_after_choices


def _propose(request, document, form, *, paragraph=None, section=None):
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        after = None
        if section is not None and data.get("after"):
            after = section.paragraphs.filter(pk=data["after"]).first()
        try:
            amendment = services.amendment_propose(
                actor=request.user,
                document=document,
                kind=data["kind"],
                paragraph=paragraph,
                base_version=data.get("base_version"),
                section=section,
                after=after,
                at_start=section is not None and after is None,
                text=data["text"],
                rationale=data["rationale"],
            )
        except services.StaleVersion as error:
            stale = error
            form.add_error(None, error.messages[0])
            values = request.POST.copy()
            values["base_version"] = str(error.current.number)
            form.data = values
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Amendment %(number)d was proposed. Members can now support or oppose it.")
                % {"number": amendment.number},
            )
            return None, amendment
    return stale, None


def amend_paragraph(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_propose_amendment(request.user, document))
    current = paragraph.current_version
    form = AmendmentForm(
        request.POST or None,
        initial={"text": current.text, "base_version": current.number},
    )
    stale, amendment = _propose(request, document, form, paragraph=paragraph)
    if amendment is not None:
        return redirect(amendment)
    return render(
        request,
        "drafting/amendment_form.html",
        {
            "process": document.process,
            "document": document,
            "paragraph": paragraph,
            "number": selectors.paragraph_numbers(document).get(paragraph.pk),
            "current": stale.current if stale else current,
            "stale": stale,
            "form": form,
            "nav_current": "drafting",
        },
        status=409 if stale else (400 if form.errors else 200),
    )


def amend_section(
    request: HttpRequest, slug: str, document_id: int, section_id: int
) -> HttpResponse:
    """Propose a new paragraph in a section."""
    document = document_for(request, slug, document_id)
    section = section_for(document, section_id)
    require(policy.can_propose_amendment(request.user, document))
    choices = paragraph_after_choices(section)
    form = AmendmentForm(
        request.POST or None,
        insert=True,
        after_choices=choices,
        initial={"after": choices[-1][0] if choices else None},
    )
    _stale, amendment = _propose(request, document, form, section=section)
    if amendment is not None:
        return redirect(amendment)
    return render(
        request,
        "drafting/amendment_form.html",
        {
            "process": document.process,
            "document": document,
            "section": section,
            "form": form,
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


def amendment_list(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    status = request.GET.get("status") or AmendmentStatus.OPEN
    if status not in [*AmendmentStatus.values, "all"]:
        status = AmendmentStatus.OPEN
    amendments = selectors.amendments_for(document, status=None if status == "all" else status)
    page = Paginator(amendments, 50).get_page(request.GET.get("page"))
    namer = selectors.Namer(document.process)
    numbers = selectors.paragraph_numbers(document)
    rows = [
        {
            "amendment": a,
            "author": namer.membership(a.membership_id)
            if a.membership_id
            else namer.person(a.author_id),
            "number": numbers.get(a.paragraph_id) if a.paragraph_id else None,
        }
        for a in page
    ]
    return render(
        request,
        "drafting/amendments.html",
        {
            "process": document.process,
            "document": document,
            "rows": rows,
            "page": page,
            "status": status,
            "statuses": [*AmendmentStatus.choices, ("all", _("all"))],
            "nav_current": "drafting",
        },
    )


def amendment_detail(
    request: HttpRequest, slug: str, document_id: int, amendment_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    user = request.user
    namer = selectors.Namer(document.process)
    base = amendment.base_version
    current = amendment.paragraph.current_version if amendment.paragraph else None
    stale = (
        amendment.is_open
        and amendment.paragraph is not None
        and current is not None
        and current.pk != amendment.base_version_id
    )
    mine = (
        Position.objects.filter(amendment=amendment, person=user).first()
        if user.is_authenticated
        else None
    )
    positions = [
        (
            position,
            namer.membership(position.membership_id)
            if position.membership_id
            else namer.person(position.person_id),
        )
        for position in amendment.positions.all()
    ]
    show_diff = amendment.kind == AmendmentKind.REPLACE and base is not None
    return render(
        request,
        "drafting/amendment.html",
        {
            "process": document.process,
            "document": document,
            "amendment": amendment,
            "author": namer.membership(amendment.membership_id)
            if amendment.membership_id
            else namer.person(amendment.author_id),
            "decided_by": namer.person(amendment.decided_by_id)
            if amendment.decided_by_id
            else None,
            "number": selectors.paragraph_numbers(document).get(amendment.paragraph_id),
            "diff": diff_html(base.text, amendment.text) if show_diff else None,
            "stale": stale,
            "stale_diff": diff_html(base.text, current.text) if stale and base else None,
            "positions": positions,
            "by_group": selectors.positions_by_group(amendment),
            "position_form": PositionForm(
                initial={"stance": mine.stance, "comment": mine.comment} if mine else None
            )
            if policy.can_take_position(user, amendment)
            else None,
            "my_position": mine,
            "decision_form": DecisionForm()
            if policy.can_decide_amendment(user, amendment)
            else None,
            "can_withdraw": policy.can_withdraw_amendment(user, amendment),
            "nav_current": "drafting",
        },
    )


@require_POST
def amendment_position(
    request: HttpRequest, slug: str, document_id: int, amendment_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_take_position(request.user, amendment))
    try:
        if request.POST.get("action") == "remove":
            services.position_remove(actor=request.user, amendment=amendment)
            messages.success(request, _("Your position was removed."))
        else:
            form = PositionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose support or oppose."))
            services.position_set(actor=request.user, amendment=amendment, **form.cleaned_data)
            messages.success(request, _("Your position was recorded."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(amendment)


@require_POST
def amendment_decide(
    request: HttpRequest, slug: str, document_id: int, amendment_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_decide_amendment(request.user, amendment))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
        return redirect(amendment)
    try:
        if form.cleaned_data["decision"] == "accept":
            services.amendment_accept(
                actor=request.user, amendment=amendment, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The amendment was accepted: the text has a new version."))
        else:
            services.amendment_decline(
                actor=request.user, amendment=amendment, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The amendment was declined."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(amendment)


@require_POST
def amendment_withdraw(
    request: HttpRequest, slug: str, document_id: int, amendment_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_withdraw_amendment(request.user, amendment))
    services.amendment_withdraw(actor=request.user, amendment=amendment)
    messages.success(request, _("Your amendment was withdrawn."))
    return redirect(amendment)


def amendment_revise(
    request: HttpRequest, slug: str, document_id: int, amendment_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_withdraw_amendment(request.user, amendment))
    current = amendment.paragraph.current_version if amendment.paragraph else None
    form = ReviseForm(
        request.POST or None,
        initial={
            "text": amendment.text,
            "rationale": amendment.rationale,
            "base_version": current.number if current else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_revise(actor=request.user, amendment=amendment, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your amendment was revised."))
            return redirect(amendment)
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("Revise amendment %(number)d") % {"number": amendment.number},
            "quote": current.text if current else "",
            "quote_label": _("The paragraph now reads:"),
            "submit": _("Save the revised amendment"),
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )
