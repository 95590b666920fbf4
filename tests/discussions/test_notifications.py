"""Each-message e-mail: headers for threading and lists, attribution, unsubscribe, outages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roundtable.core.models import OutboundMessage
from roundtable.discussions import services
from roundtable.discussions.models import Archive, Subscription
from roundtable.processes.models import AttributionRule
from tests.discussions.helpers import cluster, set_rules, start_thread
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def make_due_now() -> None:
    DBTaskResult.objects.filter(run_after__isnull=False).update(run_after=timezone.now())
    OutboundMessage.objects.update(next_attempt_at=timezone.now())


@pytest.fixture
def setup():
    from tests.factories import make_personas

    personas = make_personas()
    set_rules(personas.process, archive=Archive.PUBLIC, attribution=AttributionRule.CHATHAM_HOUSE)
    personas.infra = cluster(personas.process)
    return personas


def follow(personas, person, delivery="each", **target):
    return services.subscription_set(
        actor=person, process=personas.process, delivery=delivery, **target
    )


def test_each_message_mail_has_threading_and_list_headers(setup, mailbox, run_tasks):
    personas = setup
    follow(personas, personas.member, cluster=personas.infra)
    thread = start_thread(personas, cluster=personas.infra, title="Root zone oversight")
    reply = services.message_post(
        actor=personas.chair, thread=thread, body="I *agree*.", parent=thread.messages.get()
    )
    run_tasks()
    received = mailbox.to("member@example.net")
    assert [str(m["Subject"]) for m in received] == [
        "[wgt] Root zone oversight",
        "[wgt] Re: Root zone oversight",
    ]
    first, second = received
    assert first["Message-ID"] == thread.root_message_id
    assert first["In-Reply-To"] is None
    assert second["Message-ID"] == reply.message_id
    assert second["In-Reply-To"] == thread.root_message_id
    assert thread.root_message_id in second["References"]
    assert second["List-Id"] == '"Working Group on Testing" <wgt.discussions.localhost>'
    assert re.fullmatch(
        r"<http://testserver/discussions/unsubscribe/[^>]+/>", second["List-Unsubscribe"].strip()
    )
    assert second["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert second["Auto-Submitted"] == "auto-generated"
    assert second["Reply-To"].startswith("reply+") and second["Reply-To"].endswith("@localhost")
    # Multipart: a plain part that reads on its own, and HTML.
    assert "I *agree*." in mailbox.text(second)
    assert "<em>agree</em>" in mailbox.html(second)
    assert "http://testserver/p/wgt/discussions/t/" in mailbox.text(second)
    # Authors do not get their own messages back; the thread's starter follows
    # it and gets the replies.
    assert [m["Message-ID"] for m in mailbox.to("secretariat@example.net")] == [reply.message_id]
    assert reply.message_id not in [m["Message-ID"] for m in mailbox.to("chair@example.net")]


def test_participants_see_names_and_the_public_sees_a_participant(setup, mailbox, run_tasks):
    personas = setup
    follow(personas, personas.chair)
    follow(personas, personas.public)
    thread = start_thread(personas, author=personas.member, title="Spam")
    assert thread.messages.get().is_published
    run_tasks()
    [to_chair] = mailbox.to("chair@example.net")
    [to_public] = mailbox.to("public@example.net")
    assert "Mina Member" in str(to_chair["From"]) and "Mina Member" in mailbox.text(to_chair)
    for part in (str(to_public["From"]), mailbox.text(to_public), mailbox.html(to_public)):
        assert "Mina" not in part and "member@example.net" not in part
        assert "Open Networks Trust" not in part
    assert "A participant (Civil society)" in mailbox.text(to_public)
    # The public may read but not post: no reply address.
    assert to_public["Reply-To"] is None
    assert to_chair["Reply-To"].startswith("reply+")


def test_a_group_too_small_to_hide_in_is_not_named(setup, settings, mailbox, run_tasks):
    from roundtable.processes.models import Membership, Role
    from tests.factories import group, region

    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CHATHAM_HOUSE_MIN_GROUP": 3}
    personas = setup
    follow(personas, personas.public)
    thread = start_thread(personas, author=personas.member, title="Spam")
    run_tasks()
    # Mina is the only civil-society member: naming her group would name her.
    [first] = mailbox.to("public@example.net")
    assert "A participant" in mailbox.text(first) and "Civil society" not in mailbox.text(first)
    for number in range(2):
        Membership.objects.create(
            person=PersonFactory(email=f"cs{number}@example.net"),
            process=personas.process,
            role=Role.MEMBER,
            stakeholder_group=group("civil-society"),
            region=region("africa"),
        )
    services.message_post(actor=personas.member, thread=thread, body="More")
    run_tasks()
    second = mailbox.to("public@example.net")[-1]
    assert "A participant (Civil society)" in mailbox.text(second)
    assert "Mina" not in mailbox.text(second)


def test_members_only_archive_mails_no_outsider(setup, mailbox, run_tasks):
    personas = setup
    set_rules(personas.process, archive=Archive.MEMBERS)
    for person in (personas.observer, personas.public, personas.member):
        Subscription.objects.create(person=person, process=personas.process, delivery="each")
    start_thread(personas)
    run_tasks()
    assert {str(m["To"]) for m in mailbox.messages} == {"member@example.net"}


def test_one_click_unsubscribe_works_without_logging_in(setup, mailbox, run_tasks):
    personas = setup
    follow(personas, personas.member, cluster=personas.infra)
    thread = start_thread(personas, cluster=personas.infra)
    run_tasks()
    [message] = mailbox.to("member@example.net")
    url = message["List-Unsubscribe"].strip().strip("<>").replace("http://testserver", "")
    client = Client()
    # A GET (a link scanner, a preview) changes nothing.
    assert client.get(url).status_code == 200
    assert (
        Subscription.objects.get(person=personas.member, cluster=personas.infra).delivery == "each"
    )
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert (
        Subscription.objects.get(person=personas.member, cluster=personas.infra).delivery == "none"
    )
    services.message_post(actor=personas.chair, thread=thread, body="Anyone?")
    run_tasks()
    assert len(mailbox.to("member@example.net")) == 1
    # A tampered token is refused and changes nothing.
    assert client.post(url[:-3] + "xx/").status_code == 400


def test_smtp_outage_loses_nothing_and_sends_each_message_once(
    setup, smtp_server, mailbox, run_tasks
):
    personas = setup
    readers = [PersonFactory(email=f"reader{n}@example.net") for n in range(3)]
    from roundtable.processes.models import Membership, Role

    for reader in readers:
        Membership.objects.create(person=reader, process=personas.process, role=Role.MEMBER)
        follow(personas, reader)
    thread = start_thread(personas, title="Outage")
    smtp_server.stop()
    posted = [
        services.message_post(actor=personas.chair, thread=thread, body=f"Point {n}")
        for n in range(4)
    ]
    run_tasks()
    assert mailbox.messages == []
    waiting = OutboundMessage.objects.filter(sent_at__isnull=True)
    # 5 messages (the first too) x 3 readers, plus the secretariat (who started
    # the thread and follows it) for the chair's 4.
    assert waiting.count() == OutboundMessage.objects.count() == 5 * 3 + 4
    assert all(m.attempts == 1 and m.last_error for m in waiting)
    smtp_server.start()
    make_due_now()
    run_tasks()
    # A second flush finds nothing left.
    from roundtable.core.mail import outbound_flush

    outbound_flush()
    run_tasks()
    assert not OutboundMessage.objects.filter(sent_at__isnull=True).exists()
    for reader in readers:
        got = sorted(str(m["Message-ID"]) for m in mailbox.to(reader.email))
        expected = sorted([thread.root_message_id] + [m.message_id for m in posted])
        assert got == expected
    assert len(mailbox.messages) == 19


def test_fan_out_runs_once_even_if_the_task_runs_twice(setup, mailbox, run_tasks):
    from roundtable.discussions.notifications import message_notify

    personas = setup
    follow(personas, personas.member)
    thread = start_thread(personas)
    run_tasks()
    assert message_notify(message_id=thread.messages.get().pk) == 0
    run_tasks()
    assert len(mailbox.to("member@example.net")) == 1
