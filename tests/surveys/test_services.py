"""Writes: creating, opening and closing surveys, invitations and reminders, release, import."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.core.periodic import registered_jobs, run_due_jobs
from roundtable.surveys import selectors, services
from roundtable.surveys.models import PendingResponse, Response, Survey, SurveyDraft, SurveyStatus
from tests.factories import MembershipFactory, PersonFactory
from tests.surveys.conftest import complete
from tests.surveys.helpers import CHOICES, SURVEY, xlsx

pytestmark = pytest.mark.django_db


def test_create_from_an_uploaded_xlsform(personas):
    survey = services.survey_create(
        actor=personas.secretariat,
        process=personas.process,
        data=xlsx(SURVEY, CHOICES),
        filename="mine.xlsx",
    )
    assert survey.title == "Test survey" and survey.status == SurveyStatus.DRAFT
    assert [q.name for q in survey.form.questions][:2] == ["group", "q1"]
    assert bytes(survey.source).startswith(b"PK")
    assert AuditEntry.objects.filter(action="survey.created", object_id=str(survey.pk)).exists()


def test_a_bad_xlsform_creates_nothing_and_says_where(personas):
    bad = xlsx([{"type": "text", "name": "a", "label": "A", "relevant": "${a} >"}], [])
    with pytest.raises(ValidationError) as caught:
        services.survey_create(actor=personas.secretariat, process=personas.process, data=bad)
    assert caught.value.message_dict["file"] == [
        "survey sheet, row 2, column D (relevant): The expression “${a} >” does not parse: The expression ends too early."
    ]
    assert not Survey.objects.exists()


def test_rules_freeze_once_open(personas, draft_survey):
    services.survey_update(actor=personas.secretariat, survey=draft_survey, min_cell=5)
    with pytest.raises(ValidationError, match="from 3 to 50"):
        services.survey_update(actor=personas.secretariat, survey=draft_survey, min_cell=2)
    with pytest.raises(ValidationError, match="cannot be in the past"):
        services.survey_update(
            actor=personas.secretariat,
            survey=draft_survey,
            closes_on=timezone.localdate() - dt.timedelta(days=1),
        )
    services.survey_open(actor=personas.secretariat, survey=draft_survey)
    with pytest.raises(ValidationError, match="fixed once the survey has opened"):
        services.survey_update(actor=personas.secretariat, survey=draft_survey, min_cell=6)
    with pytest.raises(ValidationError, match="cannot change once the survey has opened"):
        services.survey_replace_form(
            actor=personas.secretariat,
            survey=draft_survey,
            data=xlsx(SURVEY, CHOICES),
            filename="x.xlsx",
        )
    assert Survey.objects.get().min_cell == 5


def test_copy_makes_a_new_draft(personas, open_survey):
    copy = services.survey_copy(
        actor=personas.secretariat, survey=open_survey, title="Second round"
    )
    assert copy.status == SurveyStatus.DRAFT and copy.definition == open_survey.definition
    assert copy.title == "Second round"


def test_invitations_go_out_by_email_in_each_persons_language(
    personas, open_survey, mailbox, run_tasks
):
    french = PersonFactory(email="fatou@example.net", preferred_language="fr")
    MembershipFactory(person=french, process=personas.process)
    sent = services.invitations_send(
        actor=personas.secretariat,
        survey=open_survey,
        audience="members",
        emails=["outside@example.net"],
    )
    assert (sent.created, sent.already_invited) == (3, 0)
    run_tasks()
    links = {}
    for address in ("member@example.net", "fatou@example.net", "outside@example.net"):
        [message] = mailbox.to(address)
        links[address] = re.search(
            r"http://testserver(/p/wgt/surveys/\d+/a/\w+/)", mailbox.text(message)
        ).group(1)
    assert len(set(links.values())) == 3
    again = services.invitations_send(
        actor=personas.secretariat, survey=open_survey, audience="members"
    )
    assert (again.created, again.already_invited) == (0, 2)
    with pytest.raises(ValidationError, match="Not valid e-mail addresses: nope"):
        services.invitations_send(actor=personas.secretariat, survey=open_survey, emails=["nope"])


def test_invitations_only_while_open(personas, draft_survey):
    with pytest.raises(ValidationError, match="only be sent while the survey is open"):
        services.invitations_send(
            actor=personas.secretariat, survey=draft_survey, audience="members"
        )


def test_reminders_are_sent_once_to_those_who_have_not_answered(
    personas, open_survey, mailbox, run_tasks
):
    services.invitations_send(
        actor=personas.secretariat, survey=open_survey, audience="participants"
    )
    invitations = {i.email: i for i in open_survey.invitations.all()}
    answered = invitations["chair@example.net"]
    answered.used = True
    answered.save()
    open_survey.invitations.update(sent_at=timezone.now() - dt.timedelta(days=8))
    run_tasks()
    mailbox.clear()
    assert services.reminders_send() == 3
    assert services.reminders_send() == 0  # idempotent
    run_tasks()
    reminded = sorted(str(m["To"]) for m in mailbox.messages)
    assert reminded == ["member@example.net", "observer@example.net", "secretariat@example.net"]
    assert all("Reminder" in str(m["Subject"]) for m in mailbox.messages)
    # A second reminder shortly before the survey closes (if the first came before
    # that window), and never a third.
    open_survey.closes_on = timezone.localdate() + dt.timedelta(days=1)
    open_survey.save()
    assert services.reminders_send() == 0  # the first one just went
    open_survey.invitations.update(last_reminded_at=timezone.now() - dt.timedelta(days=5))
    assert services.reminders_send() == 3
    assert services.reminders_send() == 0
    later = timezone.now() + dt.timedelta(days=1)
    assert services.reminders_send(now=later) == 0


def answer_through(survey, key, answers):
    access = services.answer_key(survey=survey, key=key)
    services.response_submit(access=access, answers=answers)


def invite(personas, survey, *addresses):
    services.invitations_send(actor=personas.secretariat, survey=survey, emails=list(addresses))
    return [
        services.invitation_token(i)
        for i in survey.invitations.filter(email__in=addresses).order_by("email")
    ]


def test_draft_resume_and_submit(personas, open_survey):
    [token] = invite(personas, open_survey, "a@example.net")
    access = services.answer_key(survey=open_survey, key=token)
    assert access.draft is None
    services.draft_save(
        access=access, answers={"stakeholder_group": "academia"}, page=1, language="fr"
    )
    again = services.answer_key(survey=open_survey, key=token)
    assert (again.draft.answers, again.draft.page, again.draft.language) == (
        {"stakeholder_group": "academia"},
        1,
        "fr",
    )
    services.response_submit(access=again, answers=complete())
    assert not SurveyDraft.objects.exists()
    assert open_survey.invitations.get().used
    [pending] = PendingResponse.objects.all()
    assert pending.answers["stakeholder_group"] == "civil_society"
    with pytest.raises(ValidationError, match="already been used"):
        services.answer_key(survey=open_survey, key=token)


def test_submitting_checks_every_rule_again(personas, open_survey):
    [token] = invite(personas, open_survey, "a@example.net")
    access = services.answer_key(survey=open_survey, key=token)
    with pytest.raises(ValidationError) as caught:
        services.response_submit(
            access=access, answers=complete(mark_purpose="", overall_score="11")
        )
    assert caught.value.message_dict == {
        "mark_purpose": ["This question needs an answer."],
        "overall_score": ["Enter a whole number from 0 to 10."],
    }
    assert not PendingResponse.objects.exists() and not open_survey.invitations.get().used


def test_answers_to_skipped_questions_are_dropped(personas, open_survey):
    [token] = invite(personas, open_survey, "a@example.net")
    answer_through(open_survey, token, complete(mark_reach="4", reach_why="should vanish"))
    assert "reach_why" not in PendingResponse.objects.get().answers


def test_unknown_and_closed_links(personas, open_survey):
    with pytest.raises(ValidationError, match="not valid"):
        services.answer_key(survey=open_survey, key="made-up")
    [token] = invite(personas, open_survey, "a@example.net")
    services.survey_close(actor=personas.secretariat, survey=open_survey)
    with pytest.raises(ValidationError, match="closed"):
        services.answer_key(survey=open_survey, key=token)


def test_answers_join_the_results_in_batches(personas, open_survey):
    tokens = invite(personas, open_survey, *[f"r{i}@example.net" for i in range(5)])
    for token in tokens[:2]:
        answer_through(open_survey, token, complete())
    assert services.responses_release() == 0  # two are fewer than k = 3
    assert selectors.survey_results(survey=open_survey) is None
    answer_through(open_survey, tokens[2], complete(mark_purpose="1"))
    assert services.responses_release() == 3
    open_survey.refresh_from_db()
    assert open_survey.results_version == 1 and not PendingResponse.objects.exists()
    results = selectors.survey_results(survey=open_survey)
    assert results.respondents == 3
    assert results.question("mark_purpose").options[0].count == 1
    entry = AuditEntry.objects.get(action="survey.responses_added")
    assert entry.actor is None and entry.data == {"count": 3}
    # Closing adds the rest, whatever their number, and deletes unfinished drafts.
    answer_through(open_survey, tokens[3], complete())
    services.draft_save(
        access=services.answer_key(survey=open_survey, key=tokens[4]),
        answers={},
        page=0,
        language="",
    )
    services.survey_close(actor=personas.secretariat, survey=open_survey)
    assert Response.objects.count() == 4 and not PendingResponse.objects.exists()
    assert not SurveyDraft.objects.exists()
    assert selectors.survey_results(survey=Survey.objects.get()).respondents == 4


def test_open_link(personas, open_survey):
    with pytest.raises(ValidationError, match="not valid"):
        services.open_link_start(survey=open_survey, open_key="anything")
    services.survey_update(actor=personas.secretariat, survey=open_survey, open_link=True)
    key = services.open_link_start(survey=open_survey, open_key=open_survey.open_key)
    access = services.answer_key(survey=open_survey, key=key)
    services.response_submit(access=access, answers=complete())
    assert PendingResponse.objects.count() == 1 and not SurveyDraft.objects.exists()
    with pytest.raises(ValidationError, match="not valid"):
        services.answer_key(survey=open_survey, key=key)


def test_import_is_all_or_nothing(personas, open_survey):
    bad = b"stakeholder_group,mark_purpose\nacademia,4\nacademia,9\n"
    with pytest.raises(ValidationError) as caught:
        services.responses_import(
            actor=personas.secretariat, survey=open_survey, data=bad, filename="paper.csv"
        )
    assert caught.value.message_dict["file"][0].startswith(
        "row 3, column B (mark_purpose): “9” is not in the choice list"
    )
    assert not Response.objects.exists()
    good = b"stakeholder_group,mark_purpose\nacademia,4\nacademia,5\n,\ngovernment,3\n"
    assert (
        services.responses_import(
            actor=personas.secretariat, survey=open_survey, data=good, filename="paper.csv"
        )
        == 3
    )
    open_survey.refresh_from_db()
    assert open_survey.imported_count == 3 and open_survey.results_version == 1
    assert AuditEntry.objects.filter(action="survey.responses_imported", data__count=3).exists()


def test_periodic_jobs(personas, open_survey):
    names = {job.name for job in registered_jobs()}
    assert {"surveys.close_due", "surveys.release_responses", "surveys.reminders"} <= names
    open_survey.closes_on = timezone.localdate() - dt.timedelta(days=1)
    open_survey.save()
    PendingResponse.objects.create(survey=open_survey, answers=complete())
    ran = run_due_jobs(force=True, only={"surveys.close_due"})
    assert ran == ["surveys.close_due"]
    open_survey.refresh_from_db()
    assert open_survey.status == SurveyStatus.CLOSED and Response.objects.count() == 1
    assert AuditEntry.objects.get(action="survey.closed").actor is None


def test_exports_of_unpublished_results_are_audited(personas, open_survey):
    services.results_export_record(
        actor=personas.secretariat, survey=open_survey, file_format="pdf", by="x"
    )
    assert AuditEntry.objects.filter(action="survey.results_exported", data__format="pdf").exists()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unzipped(settings, personas, open_survey):
    """A workbook whose parts expand far beyond its size never reaches openpyxl."""
    from tests.core.samples import with_entries

    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "SURVEY_MAX_UNZIPPED_BYTES": 10 * 1024 * 1024}
    bomb = with_entries(xlsx(SURVEY, CHOICES), {"xl/media/padding.bin": bytes(30 * 1024 * 1024)})
    with pytest.raises(ValidationError, match="zip bomb"):
        services.survey_create(actor=personas.secretariat, process=personas.process, data=bomb)
    with pytest.raises(ValidationError, match="zip bomb"):
        services.responses_import(
            actor=personas.secretariat, survey=open_survey, data=bomb, filename="answers.xlsx"
        )
    assert Survey.objects.count() == 1 and not Response.objects.exists()
