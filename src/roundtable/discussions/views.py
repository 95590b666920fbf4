"""Pages of the discussions: thin, every decision in policy and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from roundtable.agenda.models import Cluster
from roundtable.core.forms import apply_validation_error
from roundtable.processes.models import Process
from roundtable.processes.views import process_for

from . import policy, selectors, services
from .forms import DeliveryForm, ReasonForm, ReplyForm, SettingsForm, ThreadForm, read_uploads
from .models import Attachment, Delivery, Message, MessageStatus, Thread


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def discussions_for(request: HttpRequest, slug: str) -> Process:
    """The process, 404 if it is hidden, 403 if its discussions are not for this reader."""
    process = process_for(request, slug)
    require(policy.can_read_discussions(request.user, process))
    return process


def thread_for(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    process = discussions_for(request, slug)
    thread = get_object_or_404(
        Thread.objects.select_related("cluster", "locked_by"), pk=thread_id, process=process
    )
    thread.process = process
    return thread


def _base(process: Process, **context: Any) -> dict[str, Any]:
    return {"process": process, "nav_current": "discussions", **context}


def index(request: HttpRequest, slug: str) -> HttpResponse:
    process = discussions_for(request, slug)
    person = request.user
    subs = (
        selectors.subscriptions_of(person=person, process=process)
        if person.is_authenticated
        else None
    )
    return render(
        request,
        "discussions/index.html",
        _base(
            process,
            groups=selectors.threads_by_cluster(process=process, person=person),
            can_start=policy.can_start_thread(person, process),
            can_moderate=policy.can_moderate(person, process),
            can_configure=policy.can_configure(person, process),
            can_subscribe=policy.can_subscribe(person, process),
            subs=subs,
            settings=policy.discussion_settings(process),
            pending=selectors.moderation_queue(process=process).count()
            if policy.can_moderate(person, process)
            else 0,
        ),
    )


def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = discussions_for(request, slug)
    require(policy.can_start_thread(request.user, process))
    clusters = Cluster.objects.filter(process=process).order_by("position", "pk")
    about_ref = request.GET.get("about") or request.POST.get("about") or ""
    about = None
    if about_ref:
        try:
            about = services.resolve_about(process=process, reference=about_ref)
        except ValidationError as error:
            raise Http404(error.messages[0]) from None
    initial = {"cluster": request.GET.get("cluster")} if request.GET.get("cluster") else {}
    form = ThreadForm(
        request.POST or None, request.FILES or None, clusters=clusters, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        cluster_id = form.cleaned_data["cluster"]
        try:
            thread = services.thread_create(
                actor=request.user,
                process=process,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                cluster=clusters.filter(pk=cluster_id).first() if cluster_id else None,
                about=about,
                attachments=read_uploads(form.cleaned_data["attachments"]),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            first = thread.messages.first()
            if first is not None and first.status == MessageStatus.PENDING:
                flash.info(
                    request,
                    _("Thank you. Your first message waits for a moderator's approval."),
                )
            else:
                flash.success(request, _("The thread was started."))
            return redirect(thread)
    return render(
        request,
        "discussions/thread_new.html",
        _base(process, form=form, about=about, about_ref=about_ref),
        status=400 if form.errors else 200,
    )


def thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = thread_for(request, slug, thread_id)
    process = thread.process
    person = request.user
    can_post = policy.can_post_message(person, thread)
    form = ReplyForm(request.POST or None, request.FILES or None) if can_post else None
    if request.method == "POST":
        if form is None:
            if thread.is_locked:
                flash.error(request, _("This thread is locked; no new messages can be posted."))
                return redirect(thread)
            raise PermissionDenied
        if form.is_valid():
            parent_id = form.cleaned_data.get("parent")
            try:
                message = services.message_post(
                    actor=person,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    parent=Message.objects.filter(pk=parent_id, thread=thread).first()
                    if parent_id
                    else None,
                    attachments=read_uploads(form.cleaned_data["attachments"]),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if message.status == MessageStatus.PENDING:
                    flash.info(
                        request,
                        _("Thank you. Your first message waits for a moderator's approval."),
                    )
                else:
                    flash.success(request, _("Your message was posted."))
                return redirect(message)
    messages = selectors.thread_messages(thread=thread, person=person)
    labels = selectors.author_labels(
        process=process, messages=messages, rule=policy.attribution_rule_for(person, process)
    )
    subs = (
        selectors.subscriptions_of(person=person, process=process)
        if person.is_authenticated
        else None
    )
    return render(
        request,
        "discussions/thread.html",
        _base(
            process,
            thread=thread,
            thread_messages=[(message, labels[message.pk]) for message in messages],
            form=form,
            can_moderate=policy.can_moderate(person, process),
            first_posts_held_in_process=policy.discussion_settings(process).moderate_first_posts,
            can_subscribe=policy.can_subscribe(person, process),
            delivery=subs.delivery_for(thread_id=thread.pk, cluster_id=thread.cluster_id)
            if subs
            else None,
            own_thread_delivery=subs.thread.get(thread.pk) if subs else None,
            deliveries=Delivery.choices,
        ),
        status=400 if form is not None and form.errors else 200,
    )


def message_permalink(request: HttpRequest, slug: str, message_id: int) -> HttpResponse:
    process = discussions_for(request, slug)
    message = get_object_or_404(
        Message.objects.select_related("thread"), pk=message_id, process=process
    )
    message.thread.process = process
    if not policy.can_view_message(request.user, message):
        raise Http404
    return redirect(message)


@require_POST
def message_moderate(request: HttpRequest, slug: str, message_id: int) -> HttpResponse:
    process = discussions_for(request, slug)
    require(policy.can_moderate(request.user, process))
    message = get_object_or_404(Message, pk=message_id, process=process)
    action = request.POST.get("action")
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        if action == "approve":
            services.message_approve(actor=request.user, message=message)
            flash.success(request, _("The message was approved and published."))
        elif action == "hide":
            services.message_hide(
                actor=request.user, message=message, reason=form.cleaned_data.get("reason", "")
            )
            flash.success(request, _("The message was hidden."))
        elif action == "restore":
            services.message_restore(actor=request.user, message=message)
            flash.success(request, _("The message was restored."))
        else:
            flash.error(request, _("Choose an action."))
    except ValidationError as error:
        for text in error.messages:
            flash.error(request, text)
    return redirect(request.POST.get("next") or message.get_absolute_url())


@require_POST
def thread_lock(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = thread_for(request, slug, thread_id)
    require(policy.can_moderate(request.user, thread.process))
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        if request.POST.get("action") == "unlock":
            services.thread_unlock(actor=request.user, thread=thread)
            flash.success(request, _("The thread is open again."))
        else:
            services.thread_lock(
                actor=request.user, thread=thread, reason=form.cleaned_data.get("reason", "")
            )
            flash.success(request, _("The thread was locked."))
    except ValidationError as error:
        for text in error.messages:
            flash.error(request, text)
    return redirect(thread)


@require_POST
def thread_moderation(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = thread_for(request, slug, thread_id)
    require(policy.can_moderate(request.user, thread.process))
    moderated = request.POST.get("moderated") == "on"
    services.thread_set_moderation(actor=request.user, thread=thread, moderated=moderated)
    if moderated:
        flash.success(
            request, _("New participants' first posts in this thread now wait for approval.")
        )
    else:
        flash.success(
            request, _("New participants' first posts in this thread are now published at once.")
        )
    return redirect(thread)


def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    process = discussions_for(request, slug)
    require(policy.can_moderate(request.user, process))
    queue = list(selectors.moderation_queue(process=process))
    labels = selectors.author_labels(process=process, messages=queue, rule="attributed")
    return render(
        request,
        "discussions/moderation.html",
        _base(process, queue=[(message, labels[message.pk]) for message in queue]),
    )


def subscriptions(request: HttpRequest, slug: str) -> HttpResponse:
    process = discussions_for(request, slug)
    require(policy.can_subscribe(request.user, process))
    if request.method == "POST":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            cluster = thread = None
            if form.cleaned_data.get("cluster"):
                cluster = get_object_or_404(
                    Cluster, pk=form.cleaned_data["cluster"], process=process
                )
            if form.cleaned_data.get("thread"):
                thread = get_object_or_404(Thread, pk=form.cleaned_data["thread"], process=process)
            try:
                services.subscription_set(
                    actor=request.user,
                    process=process,
                    delivery=form.cleaned_data["delivery"],
                    cluster=cluster,
                    thread=thread,
                )
            except ValidationError as error:
                for text in error.messages:
                    flash.error(request, text)
            else:
                flash.success(request, _("Your choice was saved."))
        else:
            flash.error(request, _("Choose how you want to receive messages."))
        return redirect(request.POST.get("next") or request.path)
    subs = selectors.subscriptions_of(person=request.user, process=process)
    clusters = list(Cluster.objects.filter(process=process).order_by("position", "pk"))
    followed_threads = list(
        Thread.objects.filter(process=process, pk__in=list(subs.thread)).order_by("title")
    )
    return render(
        request,
        "discussions/subscriptions.html",
        _base(
            process,
            subs=subs,
            clusters=[(cluster, subs.cluster.get(cluster.pk)) for cluster in clusters],
            threads=[(thread, subs.thread[thread.pk]) for thread in followed_threads],
            deliveries=Delivery.choices,
            person=request.user,
        ),
    )


def settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_configure(request.user, process))
    current = policy.discussion_settings(process)
    form = SettingsForm(
        request.POST or None,
        initial={
            "archive": current.archive,
            "attribution": current.attribution,
            "moderate_first_posts": current.moderate_first_posts,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_settings_update(
                actor=request.user, process=process, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            flash.success(request, _("The discussion settings were saved."))
            return redirect("discussions:index", slug=process.slug)
    return render(
        request,
        "discussions/settings.html",
        _base(process, form=form),
        status=400 if form.errors else 200,
    )


def search(request: HttpRequest, slug: str) -> HttpResponse:
    process = discussions_for(request, slug)
    query = (request.GET.get("q") or "").strip()[:200]
    hits = (
        selectors.search_messages(process=process, query=query, person=request.user)
        if query
        else []
    )
    page = Paginator(hits, 50).get_page(request.GET.get("page"))
    return render(
        request, "discussions/search.html", _base(process, query=query, page=page, hits=hits)
    )


def attachment(request: HttpRequest, slug: str, attachment_id: int, filename: str) -> HttpResponse:
    process = discussions_for(request, slug)
    item = get_object_or_404(
        Attachment.objects.select_related("message__thread"),
        pk=attachment_id,
        message__process=process,
    )
    item.message.thread.process = process
    if not policy.can_view_message(request.user, item.message):
        raise Http404
    if item.message.status == MessageStatus.HIDDEN and not policy.can_read_hidden_text(
        request.user, item.message
    ):
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058 one-click: a POST unsubscribes without logging in; a GET only asks.

    CSRF does not apply: the signed token in the URL is the authority, and it
    only ever turns e-mail off.
    """
    if request.method == "POST":
        try:
            result = services.unsubscribe_with_token(token=token)
        except ValidationError as error:
            return render(
                request, "discussions/unsubscribe.html", {"errors": error.messages}, status=400
            )
        return render(
            request,
            "discussions/unsubscribe.html",
            {
                "done": True,
                "result": result,
                "target_process": Process.objects.filter(pk=result["r"]).first(),
            },
        )
    from django.core import signing

    from .tokens import parse_unsubscribe_token

    try:
        payload = parse_unsubscribe_token(token)
    except signing.BadSignature:
        return render(
            request,
            "discussions/unsubscribe.html",
            {
                "errors": [
                    _(
                        "This unsubscribe link is not valid. "
                        "Manage your subscriptions after logging in."
                    )
                ]
            },
            status=400,
        )
    return render(
        request,
        "discussions/unsubscribe.html",
        {
            "payload": payload,
            "token": token,
            "target_process": Process.objects.filter(pk=payload["r"]).first(),
        },
    )
