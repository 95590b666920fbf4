"""A response cannot be linked back to its respondent from the database alone.

Three proofs, over every column of every table:

1. Structure: the response tables hold an id, the survey and the answers;
   nothing else.
2. What submitting writes: comparing the whole database before and after a
   respondent submits, the only changes are the invitation's ``used`` flag,
   the deleted draft and one pending response; no timestamp, audit entry,
   e-mail, session or task records the moment.
3. Indistinguishability: two surveys where the same two people give swapped
   answers leave the database in the same state apart from row ids, random
   keys and clock times; so nothing in it says who gave which answers.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from roundtable.surveys import services
from roundtable.surveys.assessment import SLUG
from roundtable.surveys.models import PendingResponse, Response, SurveyInvitation
from tests.factories import make_personas
from tests.surveys.conftest import complete


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, every column."""
    tables: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            columns = [column[0] for column in cursor.description]
            tables[table] = [tuple(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return tables


def diff(
    before: dict[str, list[tuple]], after: dict[str, list[tuple]]
) -> dict[str, tuple[list, list]]:
    changed = {}
    for table in after:
        old, new = Counter(before.get(table, [])), Counter(after[table])
        if old != new:
            changed[table] = (
                sorted((old - new).elements(), key=str),
                sorted((new - old).elements(), key=str),
            )
    return changed


def columns_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


@pytest.mark.django_db
def test_response_tables_hold_nothing_but_the_answers():
    assert sorted(columns_of(Response._meta.db_table)) == ["answers", "id", "survey_id"]
    assert sorted(columns_of(PendingResponse._meta.db_table)) == ["answers", "id", "survey_id"]
    # And the invitation keeps no time of use.
    invitation = set(columns_of(SurveyInvitation._meta.db_table))
    assert "used" in invitation and not {"used_at", "answered_at", "response_id"} & invitation


@pytest.mark.django_db
def test_submitting_changes_only_the_used_flag_the_draft_and_one_pending_response(
    personas, open_survey
):
    services.invitations_send(
        actor=personas.secretariat, survey=open_survey, audience="participants"
    )
    invitation = open_survey.invitations.get(email="member@example.net")
    token = services.invitation_token(invitation)
    link = f"/p/{personas.process.slug}/surveys/{open_survey.pk}/a/{token}/"
    client = Client()
    client.force_login(personas.member)  # even a logged-in respondent leaves no trace
    client.post(link, {"page": 0, "action": "save", "stakeholder_group": "civil_society"})
    # Answer every page, then compare the whole database around the submission.
    answers = complete()
    services.draft_save(
        access=services.answer_key(survey=open_survey, key=token),
        answers=answers,
        page=6,
        language="en",
    )
    before = snapshot()
    response = client.post(
        link,
        {
            "page": 6,
            "action": "submit",
            "overall_score": "7",
            "change": "Fewer e-mails",
            "lang": "en",
        },
    )
    assert response.status_code == 302 and "/thanks/" in response["Location"]
    changes = diff(before, snapshot())
    assert set(changes) == {
        "surveys_surveyinvitation",
        "surveys_surveydraft",
        "surveys_pendingresponse",
    }, changes.keys()
    removed, added = changes["surveys_surveyinvitation"]
    [(old_row), (new_row)] = removed + added
    assert {k: v for k, v in old_row if k != "used"} == {k: v for k, v in new_row if k != "used"}
    assert (dict(old_row)["used"], dict(new_row)["used"]) in ((False, True), (0, 1))
    removed, added = changes["surveys_surveydraft"]
    assert len(removed) == 1 and added == []
    removed, added = changes["surveys_pendingresponse"]
    assert removed == [] and len(added) == 1
    [pending] = added
    assert sorted(k for k, _v in pending) == ["answers", "id", "survey_id"]
    # No value of the response appears anywhere that names a person or an invitation.
    pending_values = {str(v) for k, v in pending if k != "survey_id"}
    for table, rows in snapshot().items():
        if table == "surveys_pendingresponse":
            continue
        for row in rows:
            assert not pending_values & {str(v) for _k, v in row}, (table, row)


def world(survey) -> dict:
    """Everything the database holds about a survey, without ids, random keys or clock times."""
    from roundtable.audit.models import AuditEntry
    from roundtable.core.models import OutboundMessage

    return {
        "invitations": sorted(
            (i.email, i.person_id, i.language, i.used, i.reminders_sent)
            for i in survey.invitations.all()
        ),
        "drafts": survey.drafts.count(),
        "pending": survey.pending.count(),
        "responses": sorted(json.dumps(r.answers, sort_keys=True) for r in survey.responses.all()),
        "audit": [
            (e.action, e.actor_id, {k: v for k, v in e.data.items() if k != "from"})
            for e in AuditEntry.objects.filter(
                object_type="surveys.survey", object_id=str(survey.pk)
            ).order_by("seq")
        ],
        "mail": sorted(
            (m.to, m.kind)
            for m in OutboundMessage.objects.filter(text__contains=f"/surveys/{survey.pk}/a/")
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_swapped_answers_leave_the_same_database():
    personas = make_personas()
    x = complete(stakeholder_group="government", mark_purpose="5", change="More translation")
    y = complete(stakeholder_group="academia", mark_purpose="1", change="Fewer e-mails")
    extra = complete()
    worlds = []
    for first, second in ((x, y), (y, x)):
        survey = services.survey_create(
            actor=personas.secretariat, process=personas.process, template=SLUG, title="Assessment"
        )
        services.survey_open(actor=personas.secretariat, survey=survey)
        services.invitations_send(
            actor=personas.secretariat, survey=survey, audience="participants"
        )
        tokens = {i.email: services.invitation_token(i) for i in survey.invitations.all()}
        for email, answers in (
            ("member@example.net", first),
            ("observer@example.net", second),
            ("chair@example.net", extra),
        ):
            access = services.answer_key(survey=survey, key=tokens[email])
            services.draft_save(access=access, answers={"mark_fit": "3"}, page=1, language="en")
            services.response_submit(
                access=services.answer_key(survey=survey, key=tokens[email]), answers=answers
            )
        if connection.vendor == "postgresql":
            pending_xmin = _xmins("surveys_pendingresponse", survey.pk)
        services.responses_release(survey=survey)
        if connection.vendor == "postgresql":
            # Each submission wrote its pending row in the transaction that marked the
            # invitation used; the responses were written later, all in one transaction.
            response_xmin = _xmins("surveys_response", survey.pk)
            assert len(response_xmin) == 1 and not response_xmin & pending_xmin
            assert not response_xmin & _xmins("surveys_surveyinvitation", survey.pk)
        services.survey_close(actor=personas.secretariat, survey=survey)
        worlds.append(world(survey))
    first_world, second_world = worlds
    assert first_world["responses"] == second_world["responses"]
    assert json.loads(first_world["responses"][0]) != json.loads(first_world["responses"][1])
    assert first_world == second_world


def _xmins(table: str, survey_id: int) -> set[str]:
    with connection.cursor() as cursor:
        query = f'SELECT DISTINCT xmin::text FROM "{table}" WHERE survey_id = %s'  # noqa: S608
        cursor.execute(query, [survey_id])
        return {row[0] for row in cursor.fetchall()}
