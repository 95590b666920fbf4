"""One plenary from scheduling to published minutes, through the services."""

from __future__ import annotations

import pytest

from roundtable.meetings import selectors, services
from roundtable.meetings.models import FloorStatus

pytestmark = pytest.mark.django_db


def test_a_plenary_end_to_end(live_plenary, run_tasks, mailbox):
    personas, session = live_plenary.personas, live_plenary.session
    first = services.floor_request_create(person=personas.member, session=session)
    second = services.floor_request_create(person=live_plenary.second, session=session)
    services.floor_grant(actor=personas.chair, request=first, time_limit_seconds=120)
    services.floor_grant(actor=personas.chair, request=second)
    first.refresh_from_db()
    assert first.status == FloorStatus.DONE
    services.floor_end_turn(actor=personas.chair, session=session)
    balance = selectors.speaking_balance(session=session)
    assert balance.total_turns == 2
    services.statement_add(
        actor=personas.secretariat, session=session, speaker=personas.member, text="We agree."
    )
    services.session_close(actor=personas.chair, session=session)
    services.minutes_publish(actor=personas.secretariat, session=session)
    run_tasks()
    assert mailbox.messages
