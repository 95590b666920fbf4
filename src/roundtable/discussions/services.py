"""Every write in the discussions: keyword-only, one transaction, policy first.

Moderation decisions (approve, hide, restore, lock, unlock, settings) are
recorded in the audit chain. A published message queues its e-mail fan-out
as a task in the same transaction, so notifications exist exactly when the
message does.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import make_msgid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.agenda.models import Cluster
from roundtable.audit.services import audit_record
from roundtable.core.mail import _mail_domain
from roundtable.processes.models import AttributionRule, Process

from . import conf, policy
from .models import (
    Archive,
    Attachment,
    Delivery,
    DiscussionSettings,
    Message,
    MessageSource,
    MessageStatus,
    Subscription,
    Thread,
)
from .tokens import parse_unsubscribe_token
from .uploads import CheckedFile, check_attachments


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


def new_message_id(kind: str = "m") -> str:
    return make_msgid(idstring=f"roundtable.{kind}", domain=_mail_domain())


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message first.")]})
    limit = conf.max_message_chars()
    if len(body) > limit:
        raise ValidationError(
            {
                "body": [
                    _("A message can be at most %(limit)d characters long; this one has %(count)d.")
                    % {"limit": limit, "count": len(body)}
                ]
            }
        )
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": [_("Give the thread a title.")]})
    limit = conf.max_title_chars()
    if len(title) > limit:
        raise ValidationError(
            {"title": [_("A title can be at most %(limit)d characters long.") % {"limit": limit}]}
        )
    return title


def _checked(attachments: Iterable[tuple[str, bytes]] | Iterable[CheckedFile]) -> list[CheckedFile]:
    items = list(attachments)
    if items and all(isinstance(item, CheckedFile) for item in items):
        return items  # type: ignore[return-value]
    return check_attachments(items)  # type: ignore[arg-type]


# --- Settings ---------------------------------------------------------------


@transaction.atomic
def discussion_settings_update(
    *,
    actor: Any,
    process: Process,
    archive: str,
    attribution: str,
    moderate_first_posts: bool,
) -> DiscussionSettings:
    _require(policy.can_configure(actor, process))
    errors: dict[str, list[str]] = {}
    if archive not in Archive.values:
        errors["archive"] = [_("Choose who may read the archive.")]
    if attribution not in AttributionRule.values:
        errors["attribution"] = [_("Choose an attribution rule.")]
    if errors:
        raise ValidationError(errors)
    current = policy.discussion_settings(process)
    before = {
        "archive": current.archive,
        "attribution": current.attribution,
        "moderate_first_posts": current.moderate_first_posts,
    }
    found, _created = DiscussionSettings.objects.select_for_update().get_or_create(
        process=process, defaults={"attribution": process.default_attribution}
    )
    found.archive = archive
    found.attribution = attribution
    found.moderate_first_posts = bool(moderate_first_posts)
    found.save()
    process.__dict__.pop("_discussion_settings", None)
    audit_record(
        actor=actor,
        action="discussions.settings_updated",
        obj=found,
        process=process,
        data={
            "before": before,
            "after": {
                "archive": archive,
                "attribution": attribution,
                "moderate_first_posts": bool(moderate_first_posts),
            },
        },
    )
    return found


# --- Threads and messages ---------------------------------------------------------


def resolve_about(*, process: Process, reference: str) -> models.Model:
    """``app_label.model:pk`` to an object of the process, or a clear error."""
    label, _sep, pk = (reference or "").partition(":")
    app_label, _dot, model = label.partition(".")
    nothing = ValidationError(
        {"about": [_("There is nothing to discuss under “%(ref)s”.") % {"ref": reference}]}
    )
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model.lower())
        model_class = content_type.model_class()
        if model_class is None:
            raise nothing
        obj = model_class._default_manager.get(pk=int(pk))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise nothing from None
    if getattr(obj, "process_id", None) != process.pk:
        raise ValidationError({"about": [_("That belongs to another process.")]})
    return obj


@transaction.atomic
def thread_create(
    *,
    actor: Any,
    process: Process,
    title: str,
    body: str,
    cluster: Cluster | None = None,
    about: models.Model | None = None,
    source: str = MessageSource.WEB,
    attachments: Iterable[Any] = (),
) -> Thread:
    """Start a thread with its first message (which may wait for approval)."""
    _require(policy.can_start_thread(actor, process))
    errors: dict[str, list[str]] = {}
    try:
        title = _clean_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        body = _clean_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if cluster is not None and cluster.process_id != process.pk:
        errors["cluster"] = [_("That cluster belongs to another process.")]
    if cluster is not None and about is not None:
        errors["about"] = [_("A thread is about a cluster or a document, not both.")]
    if about is not None and getattr(about, "process_id", None) != process.pk:
        errors["about"] = [_("That belongs to another process.")]
    if errors:
        raise ValidationError(errors)
    checked = _checked(attachments)
    now = timezone.now()
    root = new_message_id("t")
    thread = Thread.objects.create(
        process=process,
        cluster=cluster,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
        title=title,
        created_by=actor,
        created_at=now,
        last_message_at=now,
        root_message_id=root,
    )
    _message_create(
        actor=actor,
        thread=thread,
        body=body,
        parent=None,
        source=source,
        attachments=checked,
        message_id=root,
    )
    _follow_if_unsubscribed(person=actor, thread=thread)
    return thread


@transaction.atomic
def message_post(
    *,
    actor: Any,
    thread: Thread,
    body: str,
    parent: Message | None = None,
    source: str = MessageSource.WEB,
    attachments: Iterable[Any] = (),
    email_message_id: str = "",
) -> Message:
    """Post in a thread; published at once, or held if the author's first post waits."""
    thread = Thread.objects.select_for_update().select_related("process").get(pk=thread.pk)
    if thread.is_locked and policy.can_start_thread(actor, thread.process):
        raise ValidationError(
            {
                "body": [
                    _("This thread is locked: %(reason)s") % {"reason": thread.lock_reason}
                    if thread.lock_reason
                    else _("This thread is locked; no new messages can be posted.")
                ]
            }
        )
    _require(policy.can_post_message(actor, thread))
    body = _clean_body(body)
    if parent is not None and parent.thread_id != thread.pk:
        raise ValidationError({"parent": [_("You can only reply to a message of this thread.")]})
    checked = _checked(attachments)
    message = _message_create(
        actor=actor,
        thread=thread,
        body=body,
        parent=parent,
        source=source,
        attachments=checked,
        email_message_id=email_message_id,
    )
    _follow_if_unsubscribed(person=actor, thread=thread)
    return message


def _message_create(
    *,
    actor: Any,
    thread: Thread,
    body: str,
    parent: Message | None,
    source: str,
    attachments: list[CheckedFile],
    message_id: str = "",
    email_message_id: str = "",
) -> Message:
    has_published_before = Message.objects.filter(
        process_id=thread.process_id, author_id=actor.pk, status=MessageStatus.PUBLISHED
    ).exists()
    held = policy.moderation_needed(
        person=actor, thread=thread, has_published_before=has_published_before
    )
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        process_id=thread.process_id,
        author=actor,
        parent=parent,
        body=body,
        source=source,
        status=MessageStatus.PENDING if held else MessageStatus.PUBLISHED,
        created_at=now,
        published_at=None if held else now,
        message_id=message_id or new_message_id(),
        email_message_id=email_message_id[:250],
    )
    for item in attachments:
        attachment = Attachment(
            message=message,
            filename=item.filename,
            content_type=item.content_type,
            size=item.size,
        )
        attachment.file.save(item.filename, ContentFile(item.content), save=True)
    if not held:
        _published(message)
    return message


def _published(message: Message) -> None:
    """Side effects of a message becoming visible: thread order and the e-mail fan-out."""
    from .tasks import notify_subscribers

    Thread.objects.filter(pk=message.thread_id).update(last_message_at=message.published_at)
    notify_subscribers.enqueue(message_id=message.pk)


def _moderated_message(message: Message) -> Message:
    return Message.objects.select_for_update().select_related("thread__process").get(pk=message.pk)


@transaction.atomic
def message_approve(*, actor: Any, message: Message) -> Message:
    message = _moderated_message(message)
    _require(policy.can_moderate(actor, message.thread.process))
    if message.status != MessageStatus.PENDING:
        raise ValidationError(_("This message is not waiting for approval."))
    now = timezone.now()
    message.status = MessageStatus.PUBLISHED
    message.published_at = now
    message.moderated_by = actor
    message.moderated_at = now
    message.save(update_fields=["status", "published_at", "moderated_by", "moderated_at"])
    audit_record(
        actor=actor, action="message.approved", obj=message, process=message.thread.process
    )
    _published(message)
    return message


@transaction.atomic
def message_hide(*, actor: Any, message: Message, reason: str) -> Message:
    message = _moderated_message(message)
    _require(policy.can_moderate(actor, message.thread.process))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why the message is hidden.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep the reason under 500 characters.")]})
    if message.status == MessageStatus.HIDDEN:
        raise ValidationError(_("This message is already hidden."))
    before = message.status
    message.status = MessageStatus.HIDDEN
    message.hidden_reason = reason
    message.moderated_by = actor
    message.moderated_at = timezone.now()
    message.save(update_fields=["status", "hidden_reason", "moderated_by", "moderated_at"])
    audit_record(
        actor=actor,
        action="message.hidden",
        obj=message,
        process=message.thread.process,
        data={"reason": reason, "before": before},
    )
    return message


@transaction.atomic
def message_restore(*, actor: Any, message: Message) -> Message:
    """Undo a hide: the message is published again (not re-sent by e-mail)."""
    message = _moderated_message(message)
    _require(policy.can_moderate(actor, message.thread.process))
    if message.status != MessageStatus.HIDDEN:
        raise ValidationError(_("This message is not hidden."))
    now = timezone.now()
    first_publication = message.published_at is None
    message.status = MessageStatus.PUBLISHED
    message.published_at = message.published_at or now
    message.hidden_reason = ""
    message.moderated_by = actor
    message.moderated_at = now
    message.save(
        update_fields=["status", "published_at", "hidden_reason", "moderated_by", "moderated_at"]
    )
    audit_record(
        actor=actor, action="message.restored", obj=message, process=message.thread.process
    )
    if first_publication:
        _published(message)
    return message


@transaction.atomic
def thread_lock(*, actor: Any, thread: Thread, reason: str = "") -> Thread:
    thread = Thread.objects.select_for_update().select_related("process").get(pk=thread.pk)
    _require(policy.can_moderate(actor, thread.process))
    if thread.is_locked:
        raise ValidationError(_("This thread is already locked."))
    reason = " ".join((reason or "").split())[:500]
    thread.locked_at = timezone.now()
    thread.locked_by = actor
    thread.lock_reason = reason
    thread.save(update_fields=["locked_at", "locked_by", "lock_reason"])
    audit_record(
        actor=actor,
        action="thread.locked",
        obj=thread,
        process=thread.process,
        data={"reason": reason},
    )
    return thread


@transaction.atomic
def thread_unlock(*, actor: Any, thread: Thread) -> Thread:
    thread = Thread.objects.select_for_update().select_related("process").get(pk=thread.pk)
    _require(policy.can_moderate(actor, thread.process))
    if not thread.is_locked:
        raise ValidationError(_("This thread is not locked."))
    thread.locked_at = None
    thread.locked_by = None
    thread.lock_reason = ""
    thread.save(update_fields=["locked_at", "locked_by", "lock_reason"])
    audit_record(actor=actor, action="thread.unlocked", obj=thread, process=thread.process)
    return thread


@transaction.atomic
def thread_set_moderation(*, actor: Any, thread: Thread, moderated: bool) -> Thread:
    """Hold (or stop holding) new participants' first posts in this thread for
    approval; the process-wide setting must also be on for posts to be held."""
    thread = Thread.objects.select_for_update().select_related("process").get(pk=thread.pk)
    _require(policy.can_moderate(actor, thread.process))
    if thread.moderated == moderated:
        return thread
    thread.moderated = moderated
    thread.save(update_fields=["moderated"])
    audit_record(
        actor=actor,
        action="thread.moderation_changed",
        obj=thread,
        process=thread.process,
        data={"moderated": moderated},
    )
    return thread


# --- Subscriptions -------------------------------------------------------------


def _follow_if_unsubscribed(*, person: Any, thread: Thread) -> None:
    """Writing in a thread follows it, message by message, unless the person chose otherwise."""
    covered = Subscription.objects.filter(person_id=person.pk, process_id=thread.process_id).filter(
        models.Q(thread_id=thread.pk)
        | models.Q(cluster_id=thread.cluster_id, cluster__isnull=False)
        | models.Q(cluster__isnull=True, thread__isnull=True)
    )
    if not covered.exists():
        Subscription.objects.create(
            person=person, process_id=thread.process_id, thread=thread, delivery=Delivery.EACH
        )


@transaction.atomic
def subscription_set(
    *,
    actor: Any,
    process: Process,
    delivery: str,
    cluster: Cluster | None = None,
    thread: Thread | None = None,
) -> Subscription | None:
    """Follow the process, a cluster or a thread with one delivery mode.

    An empty ``delivery`` for a cluster or thread removes its own choice.
    """
    _require(policy.can_subscribe(actor, process))
    if delivery == "" and (cluster is not None or thread is not None):
        # No choice of its own: the cluster's (or the process's) applies again.
        Subscription.objects.filter(
            person=actor, process=process, cluster=cluster, thread=thread
        ).delete()
        return None
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": [_("Choose how you want to receive messages.")]})
    if cluster is not None and thread is not None:
        raise ValidationError(_("Follow a cluster or a thread, not both at once."))
    if cluster is not None and cluster.process_id != process.pk:
        raise ValidationError({"cluster": [_("That cluster belongs to another process.")]})
    if thread is not None and thread.process_id != process.pk:
        raise ValidationError({"thread": [_("That thread belongs to another process.")]})
    subscription, _created = Subscription.objects.update_or_create(
        person=actor,
        process=process,
        cluster=cluster,
        thread=thread,
        defaults={"delivery": delivery, "updated_at": timezone.now()},
    )
    return subscription


@transaction.atomic
def unsubscribe_with_token(*, token: str) -> dict[str, Any]:
    """One-click unsubscribe (RFC 8058): no log-in, the signed token says what.

    Returns what was stopped. Raises ValidationError for a token we did not sign.
    """
    try:
        payload = parse_unsubscribe_token(token)
    except signing.BadSignature:
        raise ValidationError(
            _("This unsubscribe link is not valid. Manage your subscriptions after logging in.")
        ) from None
    subscriptions = Subscription.objects.filter(person_id=payload["p"], process_id=payload["r"])
    scope = payload["s"]
    if scope == "digest":
        changed = subscriptions.filter(delivery__in=[Delivery.DAILY, Delivery.WEEKLY]).update(
            delivery=Delivery.NONE, updated_at=timezone.now()
        )
    else:
        if scope == "thread":
            target = {"thread_id": payload.get("t"), "cluster": None}
        elif scope == "cluster":
            target = {"cluster_id": payload.get("t"), "thread": None}
        else:
            target = {"cluster": None, "thread": None}
        changed = (
            subscriptions.filter(**target)
            .exclude(delivery=Delivery.NONE)
            .update(delivery=Delivery.NONE, updated_at=timezone.now())
        )
        # A message to a thread inside a followed cluster: silence that thread too.
        if scope == "thread" and payload.get("t"):
            thread = Thread.objects.filter(pk=payload["t"], process_id=payload["r"]).first()
            if thread is not None:
                Subscription.objects.update_or_create(
                    person_id=payload["p"],
                    process_id=payload["r"],
                    thread=thread,
                    cluster=None,
                    defaults={"delivery": Delivery.NONE, "updated_at": timezone.now()},
                )
                changed = max(changed, 1)
    return {"scope": scope, "changed": changed, **payload}
