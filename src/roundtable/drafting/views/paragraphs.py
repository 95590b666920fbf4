"""A paragraph's page: text, history and diffs, amendments, comments, and the actions on it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.core.hooks import collect
from roundtable.processes.roles import membership_of

from .. import policy, selectors, services
from ..export import annotate_paragraph
from ..forms import AlternativesForm, BracketForm, CommentForm, ParagraphForm, RemoveForm
from ..models import Comment, ParagraphVersion
from ..text import diff_html, diff_text
from .common import document_for, flash_errors, int_or_none, paragraph_for, require


def _numbers(document):
    return selectors.paragraph_numbers(document)


def paragraph_detail(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    user = request.user
    namer = selectors.Namer(document.process)
    history = selectors.paragraph_history(paragraph, namer)
    numbers = _numbers(document)
    versions = {item.version.number: item.version for item in history}
    latest = paragraph.version_number
    newer = int_or_none(request.GET.get("to")) or latest
    older = int_or_none(request.GET.get("from")) or _last_change_before(versions, newer)
    diff = None
    if older in versions and newer in versions and older != newer:
        old, new = versions[older], versions[newer]
        diff = {
            "from": old,
            "to": new,
            "html": diff_html(old.text, new.text),
            "options": [
                (a.get("label"), diff_html(_option_text(old, a.get("label")), a.get("text", "")))
                for a in new.alternatives
                if _option_text(old, a.get("label")) != a.get("text", "")
            ],
        }
        if request.GET.get("format") == "text":
            return HttpResponse(
                diff_text(old.text, new.text), content_type="text/plain; charset=utf-8"
            )
    membership = membership_of(user, document.process)
    view = annotate_paragraph(selectors.paragraph_view(paragraph, namer=namer))
    sidebar = [
        mark_safe(html)
        for answer in collect("paragraph_sidebar", paragraph=paragraph, person=user)
        for html in (answer or [])
    ]
    comments = [
        (comment, namer.person(comment.author_id), policy.can_delete_comment(user, comment))
        for comment in paragraph.comments.all()
    ]
    current = paragraph.current_version
    return render(
        request,
        "drafting/paragraph.html",
        {
            "process": document.process,
            "document": document,
            "paragraph": paragraph,
            "number": numbers.get(paragraph.pk),
            "p": view,
            "history": history,
            "diff": diff,
            "diff_from": older,
            "diff_to": newer,
            "amendments": selectors.amendments_for(document, paragraph=paragraph),
            "comments": comments,
            "comment_form": CommentForm() if policy.can_comment(user, paragraph) else None,
            "sidebar": sidebar,
            "calls": [
                (call, selectors.objections_named(call, namer))
                for call in paragraph.consensus_calls.prefetch_related("objections")
            ],
            "silence": selectors.open_silences(document).filter(paragraph=paragraph).first()
            or selectors.open_silences(document).filter(section=paragraph.section).first(),
            "my_membership": membership,
            "my_bracket": membership is not None
            and any(e["membership"] == membership.pk for e in current.brackets),
            "my_option": next(
                (
                    a["label"]
                    for a in current.alternatives
                    if membership is not None and membership.pk in a["sponsors"]
                ),
                None,
            ),
            "bracket_form": BracketForm(),
            "can": {
                "edit": policy.can_edit_paragraph(user, paragraph),
                "amend": policy.can_propose_amendment(user, document) and not paragraph.is_removed,
                "bracket": policy.can_request_brackets(user, paragraph),
                "sponsor": policy.can_sponsor_alternative(user, paragraph),
                "confirm": policy.can_confirm_ad_referendum(user, paragraph),
                "call": policy.can_call_consensus(user, document) and not paragraph.is_removed,
                "silence": policy.can_start_silence(user, document) and not paragraph.is_removed,
            },
            "nav_current": "drafting",
        },
    )


def _last_change_before(versions: dict[int, ParagraphVersion], newer: int) -> int:
    """By default compare with the latest version whose words differ (sponsors and status
    changes make versions too, with the same words)."""
    target = versions.get(newer)
    for number in range(newer - 1, 0, -1):
        version = versions.get(number)
        if target is None or version is None:
            break
        words = lambda v: (v.text, [a.get("text") for a in v.alternatives])  # noqa: E731
        if words(version) != words(target):
            return number
    return max(1, newer - 1)


def _option_text(version: ParagraphVersion, label: str | None) -> str:
    for alternative in version.alternatives or []:
        if alternative.get("label") == label:
            return alternative.get("text", "")
    return ""


def paragraph_edit(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int
) -> HttpResponse:
    """The secretariat's edit, with optimistic locking: a stale edit is refused with the diff."""
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_edit_paragraph(request.user, paragraph))
    current = paragraph.current_version
    form = ParagraphForm(
        request.POST or None,
        initial={
            "text": current.text,
            "is_recommendation": current.is_recommendation,
            "base_version": current.number,
        },
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_edit(
                actor=request.user,
                paragraph=paragraph,
                base_version=form.cleaned_data["base_version"],
                text=form.cleaned_data["text"],
                is_recommendation=form.cleaned_data["is_recommendation"],
                reason=form.cleaned_data["reason"],
            )
        except services.StaleVersion as error:
            stale = error
            # Keep the person's text; move them onto the current version.
            data = request.POST.copy()
            data["base_version"] = str(error.current.number)
            form = ParagraphForm(data)
            form.is_valid()
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The paragraph was saved as a new version."))
            return redirect(paragraph.get_absolute_url())
    return render(
        request,
        "drafting/paragraph_edit.html",
        {
            "process": document.process,
            "document": document,
            "paragraph": paragraph,
            "number": _numbers(document).get(paragraph.pk),
            "form": form,
            "stale": stale,
            "current": paragraph.current_version if stale is None else stale.current,
            "nav_current": "drafting",
        },
        status=409 if stale else (400 if form.errors else 200),
    )


def paragraph_remove(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_edit_paragraph(request.user, paragraph))
    form = RemoveForm(request.POST or None, initial={"base_version": paragraph.version_number})
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_remove(actor=request.user, paragraph=paragraph, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The paragraph was removed."))
            return redirect(document)
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "title": _("Remove paragraph %(number)s")
            % {"number": _numbers(document).get(paragraph.pk)},
            "quote": paragraph.current_version.text,
            "submit": _("Remove the paragraph"),
            "danger": True,
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


def alternatives_edit(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_edit_paragraph(request.user, paragraph))
    current = paragraph.current_version
    existing = current.alternatives or []
    slots = max(4, len(existing) + 1)
    initial = {"lead": current.text, "base_version": current.number}
    if not existing:
        initial = {"lead": "", "option_0": current.text, "base_version": current.number}
    for index, alternative in enumerate(existing):
        initial[f"option_{index}"] = alternative["text"]
    form = AlternativesForm(request.POST or None, initial=initial, slots=slots)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.alternatives_set(
                actor=request.user,
                paragraph=paragraph,
                base_version=form.cleaned_data["base_version"],
                lead=form.cleaned_data["lead"],
                options=form.options(),
                reason=form.cleaned_data["reason"],
            )
        except services.StaleVersion as error:
            stale = error
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The options were saved as a new version."))
            return redirect(paragraph.get_absolute_url())
    return render(
        request,
        "drafting/form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "stale": stale,
            "title": _("Alternatives for paragraph %(number)s")
            % {"number": _numbers(document).get(paragraph.pk)},
            "intro": _(
                "Write two or more options (A, B, C…). Members then sponsor the option they "
                "support. Leave every option empty to turn the paragraph back into one text "
                "(the lead-in)."
            ),
            "submit": _("Save the options"),
            "nav_current": "drafting",
        },
        status=409 if stale else (400 if form.errors else 200),
    )


@require_POST
def brackets(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_request_brackets(request.user, paragraph))
    try:
        if request.POST.get("action") == "withdraw":
            services.brackets_withdraw(actor=request.user, paragraph=paragraph)
            messages.success(request, _("Your request for brackets was withdrawn."))
        else:
            services.brackets_request(
                actor=request.user, paragraph=paragraph, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The paragraph is now in brackets at your request."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(paragraph.get_absolute_url())


@require_POST
def sponsor(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_sponsor_alternative(request.user, paragraph))
    label = request.POST.get("label", "")
    joining = request.POST.get("action") != "withdraw"
    try:
        services.alternative_sponsor(
            actor=request.user, paragraph=paragraph, label=label, sponsor=joining
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("You now sponsor option %(label)s.") % {"label": label}
            if joining
            else _("You no longer sponsor option %(label)s.") % {"label": label},
        )
    return redirect(request.POST.get("next") or paragraph.get_absolute_url())


@require_POST
def comment(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_comment(request.user, paragraph))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                actor=request.user, paragraph=paragraph, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(f"{paragraph.get_absolute_url()}#comments")


@require_POST
def comment_delete(
    request: HttpRequest, slug: str, document_id: int, comment_id: int
) -> HttpResponse:
    document = document_for(request, slug, document_id)
    comment_obj = get_object_or_404(
        Comment.objects.select_related("paragraph"), pk=comment_id, paragraph__document=document
    )
    comment_obj.paragraph.document = document
    require(policy.can_delete_comment(request.user, comment_obj))
    services.comment_delete(actor=request.user, comment=comment_obj)
    messages.success(request, _("The comment was deleted."))
    return redirect(f"{comment_obj.paragraph.get_absolute_url()}#comments")


@require_POST
def confirm(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_confirm_ad_referendum(request.user, paragraph))
    try:
        services.ad_referendum_confirm(actor=request.user, paragraph=paragraph)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Your confirmation was recorded."))
    return redirect(paragraph.get_absolute_url())
