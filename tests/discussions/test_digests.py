"""Daily and weekly digests: per time zone and language, grouped, idempotent, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roundtable.core.models import OutboundMessage
from roundtable.discussions import services
from roundtable.discussions.digests import digests_send, due_period
from roundtable.discussions.models import Archive, DigestLog, Message
from roundtable.processes.models import AttributionRule, Membership, Role
from tests.discussions.helpers import cluster, set_rules, start_thread
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 11, 8, 0, tzinfo=UTC)


def at(message: Message, when: dt.datetime) -> Message:
    Message.objects.filter(pk=message.pk).update(published_at=when, created_at=when)
    return message


def member(personas, email: str, *, language="en", zone="UTC", role=Role.MEMBER):
    person = PersonFactory(
        email=email, name=email.split("@")[0].title(), preferred_language=language, time_zone=zone
    )
    Membership.objects.create(person=person, process=personas.process, role=role)
    return person


@pytest.fixture
def world(personas):
    set_rules(personas.process, archive=Archive.MEMBERS, attribution=AttributionRule.ATTRIBUTED)
    personas.infra = cluster(personas.process, "Infrastructure", 0)
    personas.dev = cluster(personas.process, "Development", 1)
    personas.root = start_thread(
        personas, title="Root zone", cluster=personas.infra, body="Root first"
    )
    personas.spam = start_thread(personas, title="Spam", cluster=personas.infra, body="Spam first")
    personas.capacity = start_thread(
        personas, title="Capacity building", cluster=personas.dev, body="Capacity first"
    )
    for thread in (personas.root, personas.spam, personas.capacity):
        # 05:00 on the 10th in Tokyo, 16:00 on the 9th in New York.
        at(thread.messages.get(), dt.datetime(2026, 3, 9, 20, 0, tzinfo=UTC))
    personas.late = at(
        services.message_post(
            actor=personas.chair, thread=personas.root, body="Second **day** note"
        ),
        dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
    )
    personas.later = at(
        services.message_post(actor=personas.chair, thread=personas.spam, body="Too late for all"),
        dt.datetime(2026, 3, 10, 20, 0, tzinfo=UTC),
    )
    return personas


def subscribe(personas, person, delivery="daily", **target):
    return services.subscription_set(
        actor=person, process=personas.process, delivery=delivery, **target
    )


def digest_for(address: str) -> OutboundMessage:
    [mail] = OutboundMessage.objects.filter(to=address, kind__startswith="discussions.digest")
    return mail


def test_due_period_follows_the_local_day():
    import zoneinfo

    tokyo = due_period(kind="daily", now=NOW, zone=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert tokyo.day == dt.date(2026, 3, 10)
    assert tokyo.start == dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    new_york = due_period(kind="daily", now=NOW, zone=zoneinfo.ZoneInfo("America/New_York"))
    # 04:00 in New York: the digest for the 10th is not due before 06:00.
    assert new_york.day == dt.date(2026, 3, 9)
    assert new_york.end == dt.datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
    week = due_period(kind="weekly", now=NOW, zone=zoneinfo.ZoneInfo("UTC"))
    assert week.day == dt.date(2026, 3, 2) and week.end == dt.datetime(2026, 3, 9, tzinfo=UTC)


def test_daily_digest_is_grouped_and_in_the_readers_time_zone(world):
    tokyo = member(world, "tokyo@example.net", zone="Asia/Tokyo")
    new_york = member(world, "ny@example.net", zone="America/New_York")
    for person in (tokyo, new_york):
        subscribe(world, person)  # everything, daily
    stats = digests_send(kind="daily", now=NOW)
    assert stats.digests == 2
    mail = digest_for("tokyo@example.net")
    assert mail.subject == "[wgt] Daily digest for March 10, 2026: 4 messages"
    text = mail.text
    # Clusters in their order, each with its threads, counts and first lines.
    assert text.index("== Infrastructure (3 messages) ==") < text.index(
        "== Development (1 message) =="
    )
    assert "* Root zone (2 messages)" in text and "Second day note" in text
    assert "Too late for all" not in text
    assert "Sam Secretariat, 05:00" in text  # 20:00 UTC the day before
    assert "Charlotte Chair, 19:00" in text  # 10:00 UTC
    assert "Times are in Asia/Tokyo." in text
    assert f"http://testserver/p/wgt/discussions/t/{world.root.pk}/#m" in text
    assert "<h2" in mail.html and "Root zone" in mail.html
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["Auto-Submitted"] == "auto-generated"
    ny = digest_for("ny@example.net")
    assert ny.subject == "[wgt] Daily digest for March 9, 2026: 3 messages"
    assert "Sam Secretariat, 16:00" in ny.text and "Second day note" not in ny.text


def test_running_again_never_sends_the_same_digest_twice(world, run_tasks, mailbox):
    reader = member(world, "reader@example.net")
    subscribe(world, reader)
    assert digests_send(kind="daily", now=NOW).digests == 1
    again = digests_send(kind="daily", now=NOW + dt.timedelta(hours=1))
    assert again.digests == 0 and again.skipped_sent == 1
    run_tasks()
    assert len(mailbox.to("reader@example.net")) == 1
    assert DigestLog.objects.get().message_count == 2  # the 10th, in UTC
    # The next day brings the next digest, starting where the last one ended.
    at(
        services.message_post(actor=world.chair, thread=world.spam, body="Next day"),
        dt.datetime(2026, 3, 11, 9, 0, tzinfo=UTC),
    )
    next_day = digests_send(kind="daily", now=NOW + dt.timedelta(days=1))
    assert next_day.digests == 1 and next_day.messages == 1


def test_after_an_outage_the_digest_catches_up(world):
    reader = member(world, "reader@example.net")
    subscribe(world, reader)
    digests_send(kind="daily", now=dt.datetime(2026, 3, 9, 8, 0, tzinfo=UTC))  # nothing then
    assert not DigestLog.objects.exists()
    DigestLog.objects.create(
        person=reader,
        process=world.process,
        kind="daily",
        period=dt.date(2026, 3, 7),
        window_start=dt.datetime(2026, 3, 7, tzinfo=UTC),
        window_end=dt.datetime(2026, 3, 8, tzinfo=UTC),
    )
    # Two days later: the digest for the 10th reaches back to the end of the last one.
    stats = digests_send(kind="daily", now=NOW)
    assert stats.messages == 5


def test_subscriptions_choose_what_each_digest_holds(world):
    infra_only = member(world, "infra@example.net")
    subscribe(world, infra_only, cluster=world.infra)
    subscribe(world, infra_only, "none", thread=world.spam)
    each = member(world, "each@example.net")
    subscribe(world, each, "each")
    weekly = member(world, "weekly@example.net")
    subscribe(world, weekly, "weekly")
    digests_send(kind="daily", now=NOW)
    text = digest_for("infra@example.net").text
    assert "Root zone" in text and "Spam" not in text and "Capacity" not in text
    assert not OutboundMessage.objects.filter(
        to__in=["each@example.net", "weekly@example.net"], kind__startswith="discussions.digest"
    ).exists()
    digests_send(kind="weekly", now=dt.datetime(2026, 3, 16, 7, 0, tzinfo=UTC))
    mail = digest_for("weekly@example.net")
    assert mail.subject == "[wgt] Weekly digest from March 9, 2026: 5 messages"
    assert "Tue 10, 20:00" in mail.text


def test_digests_follow_who_may_read(world):
    observer = member(world, "obs@example.net", role=Role.OBSERVER)
    set_rules(world.process, archive=Archive.PUBLIC)
    subscribe(world, observer)  # allowed while the archive was public
    set_rules(world.process, archive=Archive.MEMBERS)
    digests_send(kind="daily", now=NOW)
    assert not OutboundMessage.objects.filter(to="obs@example.net").exists()


def test_chatham_house_digest_names_no_one_to_outsiders(world):
    set_rules(world.process, archive=Archive.PUBLIC, attribution=AttributionRule.CHATHAM_HOUSE)
    subscribe(world, world.public)
    member_reader = member(world, "inside@example.net")
    subscribe(world, member_reader)
    digests_send(kind="daily", now=NOW)
    outside = digest_for("public@example.net")
    for part in (outside.text, outside.html):
        assert "Charlotte" not in part and "chair@example.net" not in part
        assert "A participant" in part
    assert "Charlotte Chair" in digest_for("inside@example.net").text


def count_queries(world, count: int, start: int) -> int:
    for number in range(start, start + count):
        person = member(world, f"m{number}@example.net", zone=["UTC", "Asia/Tokyo"][number % 2])
        subscribe(world, person, cluster=[world.infra, world.dev][number % 2])
    DigestLog.objects.all().delete()
    OutboundMessage.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        stats = digests_send(kind="daily", now=NOW)
    assert stats.digests == OutboundMessage.objects.count() > 0
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_members(world):
    few = count_queries(world, 6, 0)
    many = count_queries(world, 30, 6)  # 36 members in all, one write batch
    assert few == many


def test_digests_in_several_languages_and_time_zones(world):
    paris = member(world, "paris@example.net", language="fr", zone="Europe/Paris")
    cairo = member(world, "cairo@example.net", language="ar", zone="Africa/Cairo")
    beijing = member(world, "beijing@example.net", language="zh-hans", zone="Asia/Shanghai")
    for person in (paris, cairo, beijing):
        subscribe(world, person)
    digests_send(kind="daily", now=NOW)
    french = digest_for("paris@example.net")
    assert french.subject == "[wgt] Résumé quotidien du 10 mars 2026 : 2 messages"
    assert "Heures en Europe/Paris." in french.text
    assert "Charlotte Chair, 11:00" in french.text  # 10:00 UTC in Paris
    assert "Arrêter ces résumés" in french.html
    arabic = digest_for("cairo@example.net")
    assert "الملخص اليومي" in arabic.subject
    assert 'dir="rtl"' in arabic.html and 'lang="ar"' in arabic.html
    assert "الأوقات بتوقيت Africa/Cairo." in arabic.text
    assert "Charlotte Chair, 12:00" in arabic.text
    chinese = digest_for("beijing@example.net")
    assert "每日摘要" in chinese.subject
    # 20:00 UTC on the 9th is 04:00 on the 10th in Beijing: in that day's digest.
    assert "Sam Secretariat, 04:00" in chinese.text
