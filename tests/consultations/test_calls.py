"""Creating calls: validation, time zones, deadline edges, and rules frozen once open."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.consultations import services
from roundtable.consultations.models import Call, CallState, Submission
from roundtable.core.models import OutboundMessage
from tests.consultations.conftest import make_call

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def errors_of(excinfo) -> dict:
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


@pytest.mark.parametrize(
    ("zone", "closes_utc"),
    [
        # 23:59 on 31 December, wall-clock, in each zone.
        ("Asia/Tokyo", dt.datetime(2030, 12, 31, 14, 59, tzinfo=dt.UTC)),
        ("America/Sao_Paulo", dt.datetime(2031, 1, 1, 2, 59, tzinfo=dt.UTC)),
    ],
)
def test_wall_clock_dates_are_read_in_the_calls_zone(personas, zone, closes_utc):
    call = make_call(
        personas,
        opens_at=dt.datetime(2030, 12, 1, 9, 0),
        closes_at=dt.datetime(2030, 12, 31, 23, 59),
        time_zone=zone,
        publish=False,
    )
    assert call.closes_at == closes_utc
    assert call.time_zone == zone


@pytest.mark.parametrize("zone", [TOKYO, SAO_PAULO])
def test_the_deadline_edge_is_exact_in_any_zone(personas, zone):
    closes = dt.datetime(2030, 3, 31, 23, 59, tzinfo=zone)
    call = make_call(
        personas,
        opens_at=dt.datetime(2030, 3, 1, 0, 0, tzinfo=zone),
        closes_at=closes,
        time_zone=str(zone),
    )
    assert call.state_at(closes - dt.timedelta(microseconds=1)) == CallState.OPEN
    assert call.state_at(closes) == CallState.CLOSED
    # The same instant written in the other zone is the same edge.
    other = SAO_PAULO if zone is TOKYO else TOKYO
    assert call.state_at(closes.astimezone(other)) == CallState.CLOSED
    assert call.state_at(call.opens_at - dt.timedelta(microseconds=1)) == CallState.SCHEDULED


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Sao_Paulo"])
def test_submitting_just_before_and_just_after_the_deadline(personas, submit, zone):
    call = make_call(personas, time_zone=zone)
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(closes_at=now + dt.timedelta(seconds=30))
    call.refresh_from_db()
    assert submit(call).number == 1
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    call.refresh_from_db()
    outbox = OutboundMessage.objects.count()
    with pytest.raises(ValidationError) as caught:
        submit(call)
    message = caught.value.messages[0]
    assert "closed on" in message
    # The deadline is stated in the call's own zone.
    local = timezone.localtime(call.closes_at, zoneinfo.ZoneInfo(zone))
    assert local.strftime("%Y-%m-%d %H:%M") in message
    assert Submission.objects.filter(call=call).count() == 1
    assert OutboundMessage.objects.count() == outbox
    call.refresh_from_db()
    assert call.received_count == 1


def test_the_call_page_shows_the_deadline_in_the_calls_zone_and_the_viewers(personas):
    call = make_call(
        personas,
        opens_at=dt.datetime(2030, 1, 1, 9, 0),
        closes_at=dt.datetime(2030, 12, 31, 23, 59),
        time_zone="Asia/Tokyo",
    )
    personas.public.time_zone = "America/Sao_Paulo"
    personas.public.save()
    client = Client()
    client.force_login(personas.public)
    html = client.get(call.get_absolute_url()).content.decode()
    assert "Dec. 31, 2030, 11:59 p.m. (Asia/Tokyo)" in html
    assert "Dec. 31, 2030, 11:59 a.m. your time" in html
    assert 'datetime="2030-12-31T14:59:00+00:00"' in html


def test_bad_input_is_refused_with_reasons_and_nothing_is_stored(personas):
    before = Call.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_call(personas, title="  ", description="", languages=["xx"])
    assert "languages" in errors_of(caught)
    with pytest.raises(ValidationError) as caught:
        make_call(personas, title=" ", description="")
    assert set(errors_of(caught)) >= {"title", "description"}
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        make_call(personas, opens_at=now, closes_at=now - dt.timedelta(hours=1))
    assert "closes_at" in errors_of(caught)
    with pytest.raises(ValidationError) as caught:
        make_call(personas, time_zone="Mars/Olympus_Mons")
    assert "time_zone" in errors_of(caught)
    with pytest.raises(ValidationError):
        make_call(personas, target_label="people.person", target_id=1)
    with pytest.raises(ValidationError) as caught:
        make_call(personas, target_label="drafting.paragraph", target_id=1)
    assert "does not exist in this process" in errors_of(caught)["target"][0]
    with pytest.raises(ValidationError):
        make_call(personas, questions=["?"] * 100)
    assert Call.objects.count() == before


def test_a_call_can_target_an_issue_of_its_own_process_only(personas):
    from roundtable.agenda.models import PolicyIssue
    from tests.factories import ProcessFactory

    issue = PolicyIssue.objects.create(process=personas.process, title="Spam")
    elsewhere = PolicyIssue.objects.create(process=ProcessFactory(), title="Elsewhere")
    call = make_call(personas, target_label="agenda.policyissue", target_id=issue.pk)
    assert call.target == issue
    with pytest.raises(ValidationError) as caught:
        make_call(personas, target_label="agenda.policyissue", target_id=elsewhere.pk)
    assert "does not exist in this process" in errors_of(caught)["target"][0]


def test_only_the_secretariat_creates_calls(personas):
    for role in ("chair", "member", "observer", "public"):
        with pytest.raises(PermissionDenied):
            services.call_create(
                actor=getattr(personas, role),
                process=personas.process,
                title="x",
                description="y",
                opens_at=timezone.now(),
                closes_at=timezone.now() + dt.timedelta(days=1),
                languages=["en"],
            )


def test_before_it_opens_everything_can_change(personas):
    later = timezone.now() + dt.timedelta(days=2)
    call = make_call(personas, opens_at=later, closes_at=later + dt.timedelta(days=5))
    services.call_update(
        actor=personas.secretariat,
        call=call,
        title="New title",
        publication="named",
        questions=[{"text": "A new question?", "required": True}],
        opens_at=later + dt.timedelta(days=1),
    )
    call.refresh_from_db()
    assert call.title == "New title"
    assert call.publication == "named"
    assert [q.text for q in call.questions.all()] == ["A new question?"]


def test_once_open_the_rules_are_frozen_but_the_deadline_can_be_extended(personas):
    call = make_call(personas)
    assert call.rules_frozen
    for change in (
        {"title": "Other title"},
        {"publication": "named"},
        {"questions": [{"text": "Sneaky new question"}]},
        {"languages": ["en"]},
        {"opens_at": call.opens_at - dt.timedelta(days=1)},
    ):
        with pytest.raises(ValidationError) as caught:
            services.call_update(actor=personas.secretariat, call=call, **change)
        assert "frozen" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        services.call_update(
            actor=personas.secretariat, call=call, closes_at=call.closes_at - dt.timedelta(hours=1)
        )
    assert "only be moved later" in errors_of(caught)["closes_at"][0]
    # Re-sending the same values (a form posts every field) is not a change.
    services.call_update(actor=personas.secretariat, call=call, title=call.title)
    later = call.closes_at + dt.timedelta(days=3)
    services.call_update(actor=personas.secretariat, call=call, closes_at=later)
    call.refresh_from_db()
    assert call.closes_at == later
    assert AuditEntry.objects.filter(action="call.extended", object_id=str(call.pk)).exists()


def test_a_closed_call_cannot_change(personas):
    from tests.consultations.conftest import close_call

    call = close_call(make_call(personas))
    with pytest.raises(ValidationError) as caught:
        services.call_update(
            actor=personas.secretariat, call=call, closes_at=timezone.now() + dt.timedelta(days=1)
        )
    assert "closed" in caught.value.messages[0]


def test_the_edit_page_of_an_open_call_offers_only_the_deadline(personas):
    call = make_call(personas)
    client = Client()
    client.force_login(personas.secretariat)
    html = client.get(f"/p/{personas.process.slug}/calls/{call.pk}/edit/").content.decode()
    assert "its rules are frozen" in html
    assert 'name="title"' in html and "disabled" in html
    local = timezone.localtime(call.closes_at + dt.timedelta(days=2), call.zone)
    response = client.post(
        f"/p/{personas.process.slug}/calls/{call.pk}/edit/",
        {"closes_at": local.strftime("%Y-%m-%dT%H:%M"), "title": "Ignored"},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "Call for input on spam"
    assert timezone.localtime(call.closes_at, call.zone).strftime("%d %H:%M") == local.strftime(
        "%d %H:%M"
    )


def test_creating_a_call_on_the_page_in_a_chosen_zone(personas):
    client = Client()
    client.force_login(personas.secretariat)
    response = client.post(
        f"/p/{personas.process.slug}/calls/new/",
        {
            "title": "Call from the page",
            "description": "Please comment.",
            "target": "",
            "opens_at": "2030-06-01T09:00",
            "closes_at": "2030-06-30T17:00",
            "time_zone": "America/Sao_Paulo",
            "languages": ["en", "es"],
            "publication": "anonymous",
            "questions": "* Is this required?\nAnd this one?",
            "moderation_rules": "Be kind.",
            "publish": "1",
        },
    )
    assert response.status_code == 302
    call = Call.objects.get(title="Call from the page")
    assert call.published_at is not None
    assert call.closes_at == dt.datetime(2030, 6, 30, 20, 0, tzinfo=dt.UTC)
    assert [(q.text, q.required) for q in call.questions.all()] == [
        ("Is this required?", True),
        ("And this one?", False),
    ]


def test_a_draft_is_invisible_until_announced(personas):
    call = make_call(personas, publish=False)
    assert Client().get(call.get_absolute_url()).status_code == 404
    client = Client()
    client.force_login(personas.secretariat)
    client.post(f"/p/{personas.process.slug}/calls/{call.pk}/announce/")
    assert Client().get(call.get_absolute_url()).status_code == 200
