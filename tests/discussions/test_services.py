"""Threads, messages, moderation and subscriptions through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.discussions import services
from roundtable.discussions.models import (
    Delivery,
    Message,
    MessageStatus,
    Subscription,
)
from roundtable.discussions.selectors import subscriptions_of
from roundtable.processes.models import Role
from tests.discussions.helpers import cluster, set_rules, start_thread
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_thread_starts_with_its_first_message_and_the_author_follows_it(personas):
    set_rules(personas.process)
    group = cluster(personas.process)
    thread = start_thread(personas, cluster=group)
    [message] = thread.messages.all()
    assert message.status == MessageStatus.PUBLISHED
    assert message.message_id == thread.root_message_id
    subs = subscriptions_of(person=personas.secretariat, process=personas.process)
    assert subs.thread == {thread.pk: Delivery.EACH}


def test_markdown_is_kept_as_written_and_rendered_safely(personas, client):
    set_rules(personas.process)
    thread = start_thread(
        personas, body="**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    client.force_login(personas.member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [("", "text", "title"), ("Title", "   ", "body"), ("T" * 201, "text", "title")],
)
def test_bad_input_is_refused_and_changes_nothing(personas, title, body, field):
    set_rules(personas.process)
    with pytest.raises(ValidationError) as error:
        start_thread(personas, title=title, body=body)
    assert field in error.value.message_dict
    assert not Message.objects.exists()


def test_message_length_limit_is_a_setting(personas, settings):
    set_rules(personas.process)
    thread = start_thread(personas)
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DISCUSSIONS_MAX_MESSAGE_CHARS": 10}
    with pytest.raises(ValidationError, match="at most 10 characters"):
        services.message_post(actor=personas.member, thread=thread, body="x" * 11)


def test_first_post_of_a_new_participant_waits_then_is_approved(personas):
    set_rules(personas.process, moderate_first_posts=True)
    thread = start_thread(personas)  # the secretariat never waits
    assert thread.messages.get().status == MessageStatus.PUBLISHED
    first = services.message_post(actor=personas.member, thread=thread, body="My first post")
    assert first.status == MessageStatus.PENDING and first.published_at is None
    second = services.message_post(actor=personas.member, thread=thread, body="Still new")
    assert second.status == MessageStatus.PENDING
    services.message_approve(actor=personas.chair, message=first)
    first.refresh_from_db()
    assert first.status == MessageStatus.PUBLISHED and first.moderated_by == personas.chair
    # Once one message is approved, the member is no longer new.
    third = services.message_post(actor=personas.member, thread=thread, body="Now trusted")
    assert third.status == MessageStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="message.approved", object_id=str(first.pk)).exists()


def test_unmoderated_thread_publishes_first_posts(personas):
    set_rules(personas.process, moderate_first_posts=True)
    thread = start_thread(personas)
    services.thread_set_moderation(actor=personas.chair, thread=thread, moderated=False)
    assert (
        services.message_post(actor=personas.member, thread=thread, body="hi").status
        == MessageStatus.PUBLISHED
    )
    entry = AuditEntry.objects.get(action="thread.moderation_changed", object_id=str(thread.pk))
    assert entry.data == {"moderated": False}
    # Setting what is already set records nothing.
    services.thread_set_moderation(actor=personas.chair, thread=thread, moderated=False)
    assert AuditEntry.objects.filter(action="thread.moderation_changed").count() == 1
    services.thread_set_moderation(actor=personas.secretariat, thread=thread, moderated=True)
    newcomer = MembershipFactory(process=personas.process, role=Role.MEMBER).person
    held = services.message_post(actor=newcomer, thread=thread, body="hello")
    assert held.status == MessageStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.thread_set_moderation(actor=personas.member, thread=thread, moderated=False)


def test_hide_needs_a_reason_and_is_audited(personas):
    set_rules(personas.process)
    thread = start_thread(personas)
    message = services.message_post(actor=personas.member, thread=thread, body="Off topic")
    with pytest.raises(ValidationError):
        services.message_hide(actor=personas.secretariat, message=message, reason="  ")
    services.message_hide(actor=personas.secretariat, message=message, reason="Off topic")
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN and message.hidden_reason == "Off topic"
    entry = AuditEntry.objects.get(action="message.hidden")
    assert entry.data["reason"] == "Off topic"
    services.message_restore(actor=personas.secretariat, message=message)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="message.restored").exists()


def test_locked_thread_refuses_replies_with_the_reason(personas):
    set_rules(personas.process)
    thread = start_thread(personas)
    services.thread_lock(actor=personas.chair, thread=thread, reason="Consensus reached")
    with pytest.raises(ValidationError, match="Consensus reached"):
        services.message_post(actor=personas.member, thread=thread, body="One more thing")
    assert thread.messages.count() == 1
    assert AuditEntry.objects.filter(action="thread.locked").exists()
    services.thread_unlock(actor=personas.chair, thread=thread)
    services.message_post(actor=personas.member, thread=thread, body="One more thing")
    assert AuditEntry.objects.filter(action="thread.unlocked").exists()


@pytest.mark.parametrize("role", ["member", "observer", "public"])
def test_only_moderators_moderate(personas, role):
    set_rules(personas.process)
    thread = start_thread(personas)
    with pytest.raises(PermissionDenied):
        services.thread_lock(actor=getattr(personas, role), thread=thread)
    with pytest.raises(PermissionDenied):
        services.message_hide(
            actor=getattr(personas, role), message=thread.messages.get(), reason="x"
        )


def test_subscriptions_most_specific_wins_and_can_be_cleared(personas):
    set_rules(personas.process)
    infra = cluster(personas.process)
    thread = start_thread(personas, cluster=infra)
    member = personas.member
    services.subscription_set(actor=member, process=personas.process, delivery="weekly")
    services.subscription_set(
        actor=member, process=personas.process, delivery="daily", cluster=infra
    )
    services.subscription_set(
        actor=member, process=personas.process, delivery="none", thread=thread
    )
    subs = subscriptions_of(person=member, process=personas.process)
    assert subs.delivery_for(thread_id=thread.pk, cluster_id=infra.pk) == "none"
    assert subs.delivery_for(thread_id=thread.pk + 1, cluster_id=infra.pk) == "daily"
    assert subs.delivery_for(thread_id=thread.pk + 1, cluster_id=None) == "weekly"
    services.subscription_set(actor=member, process=personas.process, delivery="", thread=thread)
    subs = subscriptions_of(person=member, process=personas.process)
    assert subs.delivery_for(thread_id=thread.pk, cluster_id=infra.pk) == "daily"
    with pytest.raises(ValidationError):
        services.subscription_set(actor=member, process=personas.process, delivery="hourly")
    assert Subscription.objects.filter(person=member).count() == 2


def test_thread_about_an_object_of_the_process(personas):
    """Threads per document use a generic reference; any object with a process works."""
    from roundtable.agenda.models import PolicyIssue

    set_rules(personas.process)
    issue = PolicyIssue.objects.create(process=personas.process, title="Spam")
    about = services.resolve_about(
        process=personas.process, reference=f"agenda.policyissue:{issue.pk}"
    )
    thread = start_thread(personas, about=about)
    assert thread.about == issue
    from roundtable.discussions.selectors import threads_about

    assert list(threads_about(obj=issue)) == [thread]
    with pytest.raises(ValidationError):
        services.resolve_about(process=personas.process, reference="agenda.policyissue:999999")
    with pytest.raises(ValidationError):
        services.resolve_about(process=personas.process, reference="nonsense")
