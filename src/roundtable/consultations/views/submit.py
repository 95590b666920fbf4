"""Submitting, reading, editing and withdrawing submissions; magic links; downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.processes.selectors import stakeholder_group_sizes

from .. import policy, selectors, services
from ..conf import limit
from ..forms import (
    DispositionForm,
    ModerationForm,
    ReactionForm,
    SubmissionForm,
    VerificationForm,
)
from ..models import Attachment, SubmissionStatus
from .common import (
    author_token,
    call_for,
    client_ip,
    forget_verified,
    remember_author_token,
    remember_verified,
    require,
    submission_for,
    verified_secret,
)


@require_POST
def verify_request(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    form = VerificationForm(request.POST)
    if form.is_valid():
        try:
            services.verification_request(
                call=call,
                email=form.cleaned_data["email"],
                ip=client_ip(request),
                language=get_language(),
                honeypot=form.cleaned_data.get("website", ""),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            return render(
                request,
                "consultations/verify_sent.html",
                {
                    "process": call.process,
                    "call": call,
                    "email": form.cleaned_data["email"],
                    "valid_hours": limit("CONSULTATION_VERIFICATION_VALID_HOURS"),
                    "nav_current": "consultations",
                },
            )
    return render(
        request,
        "consultations/verify_form.html",
        {"process": call.process, "call": call, "form": form, "nav_current": "consultations"},
        status=400,
    )


def verify_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        verification = services.verification_confirm(secret=token)
    except ValidationError as error:
        return render(
            request, "consultations/verify_failed.html", {"errors": error.messages}, status=400
        )
    call = verification.call
    remember_verified(request, call, token)
    messages.success(
        request,
        _("Your address %(email)s is confirmed. You can now write your submission.")
        % {"email": verification.email},
    )
    return redirect("consultations:submit", slug=call.process.slug, call_id=call.pk)


def submit(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    person = request.user
    if not policy.can_submit(person, call):
        return render(
            request,
            "consultations/submit_closed.html",
            {"process": call.process, "call": call, "nav_current": "consultations"},
            status=403 if call.is_open else 400,
        )
    secret = "" if person.is_authenticated else verified_secret(request, call)
    email = person.email if person.is_authenticated else ""
    if not person.is_authenticated:
        try:
            email = services.verification_for_token(secret).email if secret else ""
        except ValidationError:
            forget_verified(request, call)
            secret, email = "", ""
        if not secret:
            return render(
                request,
                "consultations/verify_form.html",
                {
                    "process": call.process,
                    "call": call,
                    "form": VerificationForm(),
                    "nav_current": "consultations",
                },
            )
    limits = services.attachment_limits()
    initial = {"language": get_language() if get_language() in call.languages else None}
    if person.is_authenticated:
        initial["name"] = person.name
    form = SubmissionForm(
        request.POST or None, request.FILES or None, call=call, limits=limits, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission, new_secret, created = services.submission_create(
                call=call,
                author=person if person.is_authenticated else None,
                verification_secret=secret,
                name=data["name"],
                organisation=data["organisation"],
                stakeholder_group=data["stakeholder_group"],
                region=data["region"],
                language=data["language"],
                text=data["text"],
                answers=form.answers(),
                consent_to_publish=data["consent_to_publish"],
                show_name=data.get("show_name", True),
                attachments=data["attachments"],
                idempotency_key=data["idempotency_key"],
                ip=client_ip(request),
                honeypot=data.get("website", ""),
                interface_language=get_language(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied:
            forget_verified(request, call)
            raise
        else:
            if new_secret:
                remember_author_token(request, submission, new_secret)
            if not person.is_authenticated:
                forget_verified(request, call)
            messages.success(
                request,
                _(
                    "Thank you. Your submission was received with the reference %(reference)s; "
                    "a receipt is on its way to %(email)s."
                )
                % {"reference": submission.reference, "email": submission.email},
            )
            if not created:
                messages.info(request, _("It had already arrived: it was not sent twice."))
            return redirect(submission)
    return render(
        request,
        "consultations/submit.html",
        {
            "process": call.process,
            "call": call,
            "form": form,
            "email": email,
            "limits": limits,
            "nav_current": "consultations",
        },
        status=400 if form.errors else 200,
    )


def submission_list(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    submissions = selectors.published_submissions(call)
    page = Paginator(submissions, limit("CONSULTATION_PAGE_SIZE")).get_page(request.GET.get("page"))
    sizes = stakeholder_group_sizes(process=call.process)
    rows = [(s, selectors.author_of(s, group_sizes=sizes)) for s in page.object_list]
    return render(
        request,
        "consultations/submission_list.html",
        {
            "process": call.process,
            "call": call,
            "page": page,
            "rows": rows,
            "counts": selectors.call_counts(call),
            "nav_current": "consultations",
        },
    )


def submission_detail(request: HttpRequest, slug: str, call_id: int, number: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    person = request.user
    token = author_token(request, submission)
    reveal = policy.can_view_unpublished(person, call)
    disposition = getattr(submission, "disposition", None)
    is_author = policy.is_author(person, submission, token)
    campaign = selectors.campaign_by_number(call).get(submission.number) if reveal else None
    context = {
        "process": call.process,
        "call": call,
        "submission": submission,
        "author": selectors.author_of(submission, reveal=reveal or is_author),
        "public_author": selectors.author_of(submission),
        "reveal": reveal,
        "is_author": is_author,
        "disposition": disposition,
        "campaign": campaign,
        "can_edit": policy.can_edit_submission(person, submission, token),
        "can_react": policy.can_react_to_disposition(person, submission, token),
        "can_moderate": policy.can_moderate(person, call)
        and submission.status != SubmissionStatus.WITHDRAWN,
        "can_dispose": policy.can_dispose(person, call)
        and submission.status == SubmissionStatus.APPROVED,
        "propose_issue_url": selectors.issue_proposal_link(submission=submission, person=person),
        "moderation_form": ModerationForm(),
        "reaction_form": ReactionForm(
            initial={
                "reaction": disposition.reaction if disposition else "",
                "comment": disposition.reaction_comment if disposition else "",
            }
        ),
        "disposition_form": DispositionForm(
            process=call.process,
            initial={
                "outcome": disposition.outcome if disposition else "",
                "response": disposition.response if disposition else "",
                "links": [
                    f"{link.target_type.app_label}.{link.target_type.model}:{link.target_id}"
                    for link in disposition.links.all()
                ]
                if disposition
                else [],
            },
        ),
        "nav_current": "consultations",
    }
    return render(request, "consultations/submission_detail.html", context)


def manage(request: HttpRequest, slug: str, call_id: int, number: int, token: str) -> HttpResponse:
    """The author link from an e-mail: remember it in this browser, then show the submission."""
    call = call_for(request, slug, call_id)
    submission = get_object_or_404(call.submissions, number=number)
    if not policy.token_matches(submission, token):
        return render(
            request,
            "consultations/verify_failed.html",
            {"errors": [_("This link is not valid. Check that you copied all of it.")]},
            status=400,
        )
    remember_author_token(request, submission, token)
    return redirect(submission)


def submission_edit(request: HttpRequest, slug: str, call_id: int, number: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    token = author_token(request, submission)
    require(policy.can_edit_submission(request.user, submission, token))
    attachments = list(submission.attachments.all())
    initial = {
        "name": submission.name,
        "organisation": submission.organisation,
        "stakeholder_group": submission.stakeholder_group.slug
        if submission.stakeholder_group
        else "",
        "region": submission.region.slug if submission.region else "",
        "language": submission.language,
        "text": submission.text,
        "consent_to_publish": submission.consent_to_publish,
        "show_name": not submission.anonymous,
        **{f"answer_{a.question_id}": a.text for a in submission.answers.all()},
    }
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        call=call,
        limits=services.attachment_limits(),
        editing=True,
        attachments=attachments,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submission_update(
                submission=submission,
                actor=request.user,
                token=token,
                text=data["text"],
                answers=form.answers(),
                name=data["name"],
                organisation=data["organisation"],
                stakeholder_group=data["stakeholder_group"] or "",
                region=data["region"] or "",
                language=data["language"],
                consent_to_publish=data["consent_to_publish"],
                show_name=data.get("show_name", True),
                add_attachments=data["attachments"],
                remove_attachments=[int(pk) for pk in data.get("remove_attachments", [])],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(submission)
    return render(
        request,
        "consultations/submission_edit.html",
        {
            "process": call.process,
            "call": call,
            "submission": submission,
            "form": form,
            "nav_current": "consultations",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def submission_withdraw(request: HttpRequest, slug: str, call_id: int, number: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    token = author_token(request, submission)
    require(policy.can_withdraw_submission(request.user, submission, token))
    try:
        services.submission_withdraw(submission=submission, actor=request.user, token=token)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Your submission %(reference)s was withdrawn.") % {"reference": submission.reference},
        )
    return redirect(submission)


@require_POST
def reaction(request: HttpRequest, slug: str, call_id: int, number: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    token = author_token(request, submission)
    require(policy.can_react_to_disposition(request.user, submission, token))
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            services.disposition_react(
                submission=submission,
                actor=request.user,
                token=token,
                reaction=form.cleaned_data["reaction"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Thank you: your view was recorded beside the disposition.")
            )
    else:
        messages.error(request, _("Say whether you accept the disposition or object to it."))
    return redirect(submission)


def attachment_download(
    request: HttpRequest, slug: str, call_id: int, attachment_id: int
) -> HttpResponse:
    """Served only here, after the permission check, always as a download."""
    call = call_for(request, slug, call_id)
    attachment = get_object_or_404(
        Attachment.objects.select_related("submission__call__process"),
        pk=attachment_id,
        submission__call=call,
    )
    submission = attachment.submission
    if not policy.can_download_attachment(
        request.user, submission, author_token(request, submission)
    ):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
