"""The discussions API: threads, messages, moderation, subscriptions, search, settings.

Authors are named exactly as on the pages: through the policy's rule for the
caller and ``roundtable.processes.attribution.attribute``.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from roundtable.agenda.models import Cluster
from roundtable.processes.api import process_for

from . import policy, selectors, services
from .models import Archive, Delivery, Message, MessageSource, MessageStatus, Thread

router = Router(tags=["discussions"])


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def discussions_for(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_read_discussions(request.user, process))
    return process


def thread_for(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    process = discussions_for(request, slug)
    thread = get_object_or_404(
        Thread.objects.select_related("cluster"), pk=thread_id, process=process
    )
    thread.process = process
    return thread


class AuthorOut(Schema):
    label: str
    name: str | None
    organisation: str | None
    stakeholder_group: str | None
    anonymous: bool


class AttachmentOut(Schema):
    filename: str
    content_type: str
    size: int
    url: str


class MessageOut(Schema):
    id: int
    thread: int
    parent: int | None
    author: AuthorOut
    status: str
    body: str | None = Field(description="Markdown; null when hidden by the moderators")
    hidden_reason: str
    source: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    url: str
    attachments: list[AttachmentOut]


class ThreadOut(Schema):
    id: int
    title: str
    cluster: int | None
    about: str | None = Field(description="app_label.model:id of the object discussed")
    locked: bool
    lock_reason: str
    moderated: bool
    created_at: dt.datetime
    last_message_at: dt.datetime
    url: str


class ThreadDetailOut(ThreadOut):
    messages: list[MessageOut]


class ThreadIn(Schema):
    title: str
    body: str
    cluster: int | None = None
    about: str | None = Field(None, description="app_label.model:id of an object of the process")


class MessageIn(Schema):
    body: str
    parent: int | None = None


class ReasonIn(Schema):
    reason: str = ""


class SubscriptionIn(Schema):
    delivery: Delivery
    cluster: int | None = None
    thread: int | None = None


class SubscriptionsOut(Schema):
    process: str | None
    clusters: dict[int, str]
    threads: dict[int, str]


class SettingsOut(Schema):
    archive: str
    attribution: str
    moderate_first_posts: bool


class SettingsIn(Schema):
    archive: Archive
    attribution: str
    moderate_first_posts: bool


def _thread_out(thread: Thread) -> dict[str, Any]:
    about = None
    if thread.about_type_id:
        about = f"{thread.about_type.app_label}.{thread.about_type.model}:{thread.about_id}"
    return {
        "id": thread.pk,
        "title": thread.title,
        "cluster": thread.cluster_id,
        "about": about,
        "locked": thread.is_locked,
        "lock_reason": thread.lock_reason,
        "moderated": thread.moderated,
        "created_at": thread.created_at,
        "last_message_at": thread.last_message_at,
        "url": thread.get_absolute_url(),
    }


def _messages_out(request: HttpRequest, messages: list[Message]) -> list[dict[str, Any]]:
    if not messages:
        return []
    process = messages[0].thread.process
    labels = selectors.author_labels(
        process=process, messages=messages, rule=policy.attribution_rule_for(request.user, process)
    )
    result = []
    for message in messages:
        readable = message.status != MessageStatus.HIDDEN or policy.can_read_hidden_text(
            request.user, message
        )
        result.append(
            {
                "id": message.pk,
                "thread": message.thread_id,
                "parent": message.parent_id,
                "author": labels[message.pk].as_dict(),
                "status": message.status,
                "body": message.body if readable else None,
                "hidden_reason": message.hidden_reason,
                "source": message.source,
                "created_at": message.created_at,
                "published_at": message.published_at,
                "url": message.get_absolute_url(),
                "attachments": [
                    {
                        "filename": item.filename,
                        "content_type": item.content_type,
                        "size": item.size,
                        "url": item.get_absolute_url(),
                    }
                    for item in message.attachments.all()
                ]
                if readable
                else [],
            }
        )
    return result


@router.get("/processes/{slug}/discussions/threads", response=list[ThreadOut])
@paginate(LimitOffsetPagination)
def list_threads(request: HttpRequest, slug: str, cluster: int | None = None) -> Any:
    process = discussions_for(request, slug)
    threads = Thread.objects.filter(process=process, messages__status=MessageStatus.PUBLISHED)
    if cluster is not None:
        threads = threads.filter(cluster_id=cluster)
    threads = threads.select_related("about_type").distinct().order_by("-last_message_at", "-pk")
    for thread in threads:
        thread.process = process
    return [_thread_out(thread) for thread in threads]


@router.post("/processes/{slug}/discussions/threads", response={201: ThreadDetailOut})
def create_thread(request: HttpRequest, slug: str, payload: ThreadIn) -> Any:
    process = discussions_for(request, slug)
    require(policy.can_start_thread(request.user, process))
    cluster = None
    if payload.cluster is not None:
        cluster = Cluster.objects.filter(pk=payload.cluster, process=process).first()
        if cluster is None:
            raise ValidationError({"cluster": [_("That cluster belongs to another process.")]})
    about = (
        services.resolve_about(process=process, reference=payload.about) if payload.about else None
    )
    thread = services.thread_create(
        actor=request.user,
        process=process,
        title=payload.title,
        body=payload.body,
        cluster=cluster,
        about=about,
        source=MessageSource.API,
    )
    thread.process = process
    return Status(201, _thread_detail(request, thread))


def _thread_detail(request: HttpRequest, thread: Thread) -> dict[str, Any]:
    messages = selectors.thread_messages(thread=thread, person=request.user)
    return {**_thread_out(thread), "messages": _messages_out(request, messages)}


@router.get("/processes/{slug}/discussions/threads/{thread_id}", response=ThreadDetailOut)
def get_thread(request: HttpRequest, slug: str, thread_id: int) -> Any:
    return _thread_detail(request, thread_for(request, slug, thread_id))


@router.post(
    "/processes/{slug}/discussions/threads/{thread_id}/messages", response={201: MessageOut}
)
def post_message(request: HttpRequest, slug: str, thread_id: int, payload: MessageIn) -> Any:
    thread = thread_for(request, slug, thread_id)
    parent = None
    if payload.parent is not None:
        parent = Message.objects.filter(pk=payload.parent, thread=thread).first()
        if parent is None:
            raise ValidationError(
                {"parent": [_("You can only reply to a message of this thread.")]}
            )
    message = services.message_post(
        actor=request.user,
        thread=thread,
        body=payload.body,
        parent=parent,
        source=MessageSource.API,
    )
    message.thread = thread
    return Status(201, _messages_out(request, [message])[0])


def _moderated(request: HttpRequest, slug: str, message_id: int) -> Message:
    process = discussions_for(request, slug)
    require(policy.can_moderate(request.user, process))
    message = get_object_or_404(
        Message.objects.select_related("thread"), pk=message_id, process=process
    )
    message.thread.process = process
    return message


def _one(request: HttpRequest, message: Message) -> dict[str, Any]:
    message = Message.objects.select_related("thread__process").get(pk=message.pk)
    return _messages_out(request, [message])[0]


@router.post("/processes/{slug}/discussions/messages/{message_id}/approve", response=MessageOut)
def approve_message(request: HttpRequest, slug: str, message_id: int) -> Any:
    message = _moderated(request, slug, message_id)
    return _one(request, services.message_approve(actor=request.user, message=message))


@router.post("/processes/{slug}/discussions/messages/{message_id}/hide", response=MessageOut)
def hide_message(request: HttpRequest, slug: str, message_id: int, payload: ReasonIn) -> Any:
    message = _moderated(request, slug, message_id)
    return _one(
        request, services.message_hide(actor=request.user, message=message, reason=payload.reason)
    )


@router.post("/processes/{slug}/discussions/messages/{message_id}/restore", response=MessageOut)
def restore_message(request: HttpRequest, slug: str, message_id: int) -> Any:
    message = _moderated(request, slug, message_id)
    return _one(request, services.message_restore(actor=request.user, message=message))


@router.post("/processes/{slug}/discussions/threads/{thread_id}/lock", response=ThreadOut)
def lock_thread(request: HttpRequest, slug: str, thread_id: int, payload: ReasonIn) -> Any:
    thread = thread_for(request, slug, thread_id)
    require(policy.can_moderate(request.user, thread.process))
    return _thread_out(
        services.thread_lock(actor=request.user, thread=thread, reason=payload.reason)
    )


@router.post("/processes/{slug}/discussions/threads/{thread_id}/unlock", response=ThreadOut)
def unlock_thread(request: HttpRequest, slug: str, thread_id: int) -> Any:
    thread = thread_for(request, slug, thread_id)
    require(policy.can_moderate(request.user, thread.process))
    return _thread_out(services.thread_unlock(actor=request.user, thread=thread))


class ThreadModerationIn(Schema):
    moderated: bool = Field(
        description="hold new participants' first posts for approval (when the process does)"
    )


@router.put("/processes/{slug}/discussions/threads/{thread_id}/moderation", response=ThreadOut)
def set_thread_moderation(
    request: HttpRequest, slug: str, thread_id: int, payload: ThreadModerationIn
) -> Any:
    thread = thread_for(request, slug, thread_id)
    require(policy.can_moderate(request.user, thread.process))
    return _thread_out(
        services.thread_set_moderation(
            actor=request.user, thread=thread, moderated=payload.moderated
        )
    )


@router.get("/processes/{slug}/discussions/moderation", response=list[MessageOut])
def moderation_queue(request: HttpRequest, slug: str) -> Any:
    process = discussions_for(request, slug)
    require(policy.can_moderate(request.user, process))
    queue = list(selectors.moderation_queue(process=process))
    for message in queue:
        message.thread.process = process
    return _messages_out(request, queue)


@router.get("/processes/{slug}/discussions/subscriptions", response=SubscriptionsOut)
def my_subscriptions(request: HttpRequest, slug: str) -> Any:
    process = discussions_for(request, slug)
    require(policy.can_subscribe(request.user, process))
    subs = selectors.subscriptions_of(person=request.user, process=process)
    return {"process": subs.process, "clusters": subs.cluster, "threads": subs.thread}


@router.put("/processes/{slug}/discussions/subscriptions", response=SubscriptionsOut)
def set_subscription(request: HttpRequest, slug: str, payload: SubscriptionIn) -> Any:
    process = discussions_for(request, slug)
    require(policy.can_subscribe(request.user, process))
    cluster = thread = None
    if payload.cluster is not None:
        cluster = Cluster.objects.filter(pk=payload.cluster, process=process).first()
        if cluster is None:
            raise Http404
    if payload.thread is not None:
        thread = Thread.objects.filter(pk=payload.thread, process=process).first()
        if thread is None:
            raise Http404
    services.subscription_set(
        actor=request.user,
        process=process,
        delivery=payload.delivery,
        cluster=cluster,
        thread=thread,
    )
    return my_subscriptions(request, slug)


class SearchHitOut(Schema):
    message: int
    thread: int
    thread_title: str
    author: AuthorOut
    snippet: str
    published_at: dt.datetime | None
    url: str


@router.get("/processes/{slug}/discussions/search", response=list[SearchHitOut])
def search(request: HttpRequest, slug: str, q: str) -> Any:
    process = discussions_for(request, slug)
    return [
        {
            "message": hit.message.pk,
            "thread": hit.message.thread_id,
            "thread_title": hit.message.thread.title,
            "author": hit.author.as_dict(),
            "snippet": hit.snippet,
            "published_at": hit.message.published_at,
            "url": hit.message.get_absolute_url(),
        }
        for hit in selectors.search_messages(process=process, query=q[:200], person=request.user)
    ]


@router.get("/processes/{slug}/discussions/settings", response=SettingsOut)
def get_settings(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_configure(request.user, process))
    return policy.discussion_settings(process)


@router.put("/processes/{slug}/discussions/settings", response=SettingsOut)
def put_settings(request: HttpRequest, slug: str, payload: SettingsIn) -> Any:
    process = process_for(request, slug)
    require(policy.can_configure(request.user, process))
    return services.discussion_settings_update(
        actor=request.user,
        process=process,
        archive=payload.archive,
        attribution=payload.attribution,
        moderate_first_posts=payload.moderate_first_posts,
    )


def register(api: Any) -> None:
    api.add_router("/", router)
