"""Moderation decisions, dispositions, campaign groups, authors' reactions, and the report."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from roundtable.audit.models import AuditEntry
from roundtable.consultations import services
from roundtable.consultations.models import Disposition, Submission
from tests.consultations.conftest import close_call, make_call

pytestmark = pytest.mark.django_db

FORM_LETTER = (
    "We ask the Working Group to keep the Internet open and governed by all stakeholders "
    "on an equal footing. No single government or company should control the core "
    "resources. Decisions about names, numbers and protocols must be transparent."
)


def approve(personas, *submissions):
    for submission in submissions:
        services.submission_moderate(
            actor=personas.secretariat, submission=submission, decision="approve"
        )
        submission.refresh_from_db()


def test_moderation_decisions_are_audited_and_explained_to_the_author(
    personas, open_call, submit, mailbox, run_tasks
):
    spam, unclear, fine = (submit(open_call, person=p) for p in (
        personas.public, personas.member, personas.observer))  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.submission_moderate(actor=personas.secretariat, submission=spam, decision="reject")
    assert "spam, abusive or off-topic" in caught.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as caught:
        services.submission_moderate(
            actor=personas.secretariat, submission=unclear, decision="request_changes"
        )
    assert "what to change" in caught.value.message_dict["message"][0]
    services.submission_moderate(
        actor=personas.secretariat, submission=spam, decision="reject", reason="spam"
    )
    services.submission_moderate(
        actor=personas.secretariat,
        submission=unclear,
        decision="request_changes",
        message="Please remove the phone number of your neighbour.",
    )
    services.submission_moderate(actor=personas.secretariat, submission=fine, decision="approve")
    decisions = list(
        AuditEntry.objects.filter(action="submission.moderated").values_list("data", flat=True)
    )
    assert [d["decision"] for d in decisions] == ["reject", "request_changes", "approve"]
    assert decisions[0]["reason"] == "spam"
    mailbox.clear()
    run_tasks()
    [rejected] = [m for m in mailbox.to("public@example.net") if "not published" in m["Subject"]]
    assert "spam" in mailbox.text(rejected)
    [edit] = [m for m in mailbox.to("member@example.net") if "edit" in m["Subject"]]
    assert "neighbour" in mailbox.text(edit)
    link = re.search(r"http://testserver(\S+/manage/\S+)", mailbox.text(edit)).group(1)
    # The link in the e-mail lets the author (even without an account) edit.
    anonymous = Client()
    anonymous.get(link)
    assert "Edit" in anonymous.get(unclear.get_absolute_url()).content.decode()
    # Approval sends nothing: the approved author got only the receipt.
    assert [
        m["Subject"].strip().startswith("Receipt") for m in mailbox.to("observer@example.net")
    ] == [True]


def test_bulk_moderation_from_the_queue(personas, open_call, submit):
    made = [submit(open_call, person=p) for p in (personas.public, personas.member)]
    client = Client()
    client.force_login(personas.secretariat)
    response = client.post(
        f"/p/wgt/calls/{open_call.pk}/moderation/",
        {"numbers": [s.number for s in made], "decision": "approve"},
    )
    assert response.status_code == 302
    assert set(Submission.objects.values_list("status", flat=True)) == {"approved"}
    assert AuditEntry.objects.filter(action="submission.moderated").count() == 2


def test_a_disposition_needs_an_approved_submission_and_a_response(personas, open_call, submit):
    submission = submit(open_call)
    with pytest.raises(ValidationError) as caught:
        services.disposition_set(
            actor=personas.secretariat, submission=submission, outcome="accepted", response="Ok"
        )
    assert "not approved" in caught.value.messages[0]
    approve(personas, submission)
    with pytest.raises(ValidationError) as caught:
        services.disposition_set(
            actor=personas.secretariat, submission=submission, outcome="maybe", response=" "
        )
    assert set(caught.value.message_dict) == {"outcome", "response"}
    assert not Disposition.objects.exists()


def test_the_author_is_told_and_accepts_or_objects(personas, open_call, submit, mailbox, run_tasks):
    from roundtable.agenda.models import PolicyIssue

    issue = PolicyIssue.objects.create(process=personas.process, title="Spam")
    submission = submit(open_call, person=personas.member)
    approve(personas, submission)
    services.disposition_set(
        actor=personas.secretariat,
        submission=submission,
        outcome="partly_accepted",
        response="We added blocklists to the **draft**.",
        links=[("agenda.policyissue", issue.pk)],
    )
    assert AuditEntry.objects.filter(action="disposition.recorded").exists()
    mailbox.clear()
    run_tasks()
    [notice] = [m for m in mailbox.to("member@example.net") if "taken into account" in m["Subject"]]
    assert "partly accepted" in mailbox.text(notice)
    link = re.search(r"http://testserver(\S+/manage/\S+)", mailbox.text(notice)).group(1)
    author = Client()
    author.get(link)
    response = author.post(
        f"/p/wgt/calls/{open_call.pk}/submissions/{submission.number}/reaction/",
        {"reaction": "objects", "comment": ""},
    )
    assert "why you object" in author.get(response["Location"]).content.decode()
    author.post(
        f"/p/wgt/calls/{open_call.pk}/submissions/{submission.number}/reaction/",
        {"reaction": "objects", "comment": "Blocklists punish small providers."},
    )
    disposition = Disposition.objects.get()
    assert (disposition.reaction, disposition.reaction_comment) == (
        "objects",
        "Blocklists punish small providers.",
    )
    assert [link.label for link in disposition.links.all()] == ["Spam"]
    # Revising the disposition asks the author again.
    services.disposition_set(
        actor=personas.secretariat,
        submission=submission,
        outcome="accepted",
        response="Small providers are now exempt.",
    )
    disposition.refresh_from_db()
    assert disposition.reaction == ""
    close_call(open_call)
    report = Client().get(f"/p/wgt/calls/{open_call.pk}/report/").content.decode()
    assert "Small providers are now exempt." in report


def test_one_disposition_for_a_campaign_while_each_copy_keeps_its_addition(
    personas, submit, run_tasks
):
    call = make_call(personas)
    people = [personas.public, personas.member, personas.observer, personas.chair]
    additions = ["", "", "In Nairobi our community network depends on this.", ""]
    copies = [
        submit(call, person=p, text=FORM_LETTER + (f"\n\n{extra}" if extra else ""))
        for p, extra in zip(people, additions, strict=True)
    ]
    other = submit(call, person=personas.secretariat, text="Spam filters should be open source.")
    approve(personas, *copies[:3], other)  # the chair's copy stays pending
    services.disposition_set(
        actor=personas.secretariat, submission=copies[1], outcome="noted", response="Own one."
    )
    run_tasks()  # the analysis, queued by the submissions
    call.analysis.refresh_from_db()
    [group] = call.analysis.result["campaigns"]
    assert sorted(group["members"]) == [c.number for c in copies]
    assert other.number not in group["members"]
    client = Client()
    client.force_login(personas.secretariat)
    url = f"/p/wgt/calls/{call.pk}/campaigns/{group['representative']}/"
    page = client.get(url).content.decode()
    assert "In Nairobi our community network depends on this." in page
    response = client.post(url, {"outcome": "accepted", "response": "The report says so."})
    assert response.status_code == 302
    dispositions = {
        d.submission.number: d for d in Disposition.objects.select_related("submission")
    }
    assert dispositions[copies[0].number].outcome == "accepted"
    assert dispositions[copies[2].number].campaign_representative.number == group["representative"]
    assert dispositions[copies[1].number].response == "Own one."  # kept
    assert copies[3].number not in dispositions  # pending: skipped
    entry = AuditEntry.objects.get(action="disposition.recorded_for_group")
    assert entry.data["applied"] == 2 and entry.data["kept"] == 1 and entry.data["skipped"] == 1
    # The disposition queue can be filtered to the campaign.
    queue = client.get(
        f"/p/wgt/calls/{call.pk}/dispositions/?show=all&campaign={group['representative']}"
    ).content.decode()
    assert other.reference not in queue and copies[0].reference in queue


def test_the_report_lists_every_receipt_and_hides_what_is_not_public(personas, submit):
    call = make_call(personas, publication="author_choice")
    named = submit(call, person=personas.member, text="Named view", organisation="Open Networks")
    anonymous = submit(call, person=personas.observer, text="Anonymous view", show_name=False)
    private = submit(call, person=personas.chair, text="Private view", consent_to_publish=False)
    spam = submit(call, person=personas.public, text="Buy now")
    approve(personas, named, anonymous, private)
    services.submission_moderate(
        actor=personas.secretariat, submission=spam, decision="reject", reason="spam"
    )
    for submission in (named, anonymous, private):
        services.disposition_set(
            actor=personas.secretariat, submission=submission, outcome="noted", response="Read."
        )
    close_call(call)
    client = Client()
    html = client.get(f"/p/wgt/calls/{call.pk}/report/").content.decode()
    assert "Mina Member (Open Networks)" in html
    assert "Oscar Observer" not in html and "A participant" in html
    assert "Anonymous view" in html
    assert "Private view" not in html and "Not published, at the author&#x27;s request." in html
    assert "Buy now" not in html and "Rejected by moderation: spam." in html
    assert "Charlotte" not in html
    text = client.get(f"/p/wgt/calls/{call.pk}/report.csv").content.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows[private.reference][7] == "" and rows[private.reference][9] == "noted"
    assert "Oscar" not in text and "Charlotte" not in text and "Buy now" not in text


def test_exports_never_carry_spreadsheet_formulas(personas, submit):
    from openpyxl import load_workbook

    call = make_call(personas)
    submission = submit(call, text='=HYPERLINK("http://evil.example","click")', name="@SUM(A1)")
    approve(personas, submission)
    close_call(call)
    client = Client()
    text = client.get(f"/p/wgt/calls/{call.pk}/report.csv").content.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[7].startswith("'=HYPERLINK") and row[4].startswith("'@SUM")
    workbook = load_workbook(io.BytesIO(client.get(f"/p/wgt/calls/{call.pk}/report.xlsx").content))
    cells = [c.value for c in workbook.worksheets[0][2]]
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in cells)
    secretariat = Client()
    secretariat.force_login(personas.secretariat)
    contacts = secretariat.get(f"/p/wgt/calls/{call.pk}/contacts.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in contacts and "public@example.net" in contacts
    assert AuditEntry.objects.filter(action="call.contact_data_exported").count() == 1


def test_the_report_is_public_only_after_the_call_closes(personas, open_call, submit):
    submit(open_call)
    url = f"/p/wgt/calls/{open_call.pk}/report/"
    assert Client().get(url).status_code == 403
    secretariat = Client()
    secretariat.force_login(personas.secretariat)
    assert "Preview" in secretariat.get(url).content.decode()
    close_call(open_call)
    assert Client().get(url).status_code == 200


def test_the_progress_meter_counts_approved_submissions_with_a_disposition(
    personas, open_call, submit
):
    made = [
        submit(open_call, person=p) for p in (personas.public, personas.member, personas.observer)
    ]
    approve(personas, *made[:2])
    services.disposition_set(
        actor=personas.secretariat, submission=made[0], outcome="accepted", response="Yes."
    )
    client = Client()
    client.force_login(personas.secretariat)
    html = client.get(f"/p/wgt/calls/{open_call.pk}/dispositions/").content.decode()
    assert "1 of 2 approved submissions have a disposition." in html
    assert '<meter class="meter-wide" min="0" max="2" value="1"' in html
    assert "50%" in html


def test_lists_of_anonymous_authors_cost_the_same_queries_however_long(personas, open_call, submit):
    """An anonymous author's group is judged against the process's group sizes,
    read once per list: not one query per submission on the report, the public
    list or the feed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from roundtable.consultations.selectors import report_rows

    base = f"/p/{personas.process.slug}/calls/{open_call.pk}"
    client = Client()

    def add(count: int) -> None:
        for _ in range(count):
            approve(
                personas,
                submit(open_call, show_name=False, stakeholder_group="civil-society"),
            )

    def page(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, path
        assert personas.public.name not in response.content.decode()

    def queries() -> list[int]:
        counts = []
        for read in (
            lambda: page(f"{base}/submissions/"),
            lambda: page(f"{base}/feed/"),
            lambda: report_rows(open_call),
        ):
            with CaptureQueriesContext(connection) as captured:
                read()
            counts.append(len(captured))
        return counts

    add(2)
    before = queries()
    add(5)
    assert len(report_rows(open_call)) == 7
    assert queries() == before
