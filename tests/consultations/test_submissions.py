"""Receiving submissions: magic links, receipts, bad input, idempotency, limits, uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roundtable.audit.models import AuditEntry
from roundtable.consultations import services
from roundtable.consultations.models import Attachment, EmailVerification, Submission
from roundtable.core.mail import outbound_flush
from roundtable.core.models import OutboundMessage
from tests.consultations.conftest import close_call, docx_bytes, make_call, pdf_file

pytestmark = pytest.mark.django_db


def link_in(mailbox, address: str, pattern: str) -> str:
    [message] = [m for m in mailbox.to(address) if re.search(pattern, mailbox.text(m))]
    return re.search(r"http://testserver(" + pattern + r"\S*)", mailbox.text(message)).group(1)


def verified_client(call, email: str, mailbox, run_tasks) -> Client:
    """A browser session that confirmed ``email`` through the magic link."""
    client = Client()
    response = client.post(
        f"/p/{call.process.slug}/calls/{call.pk}/verify/", {"email": email, "website": ""}
    )
    assert response.status_code == 200
    run_tasks()
    link = link_in(mailbox, email, r"/calls/verify/")
    assert client.get(link).status_code == 302
    return client


def form(call, **extra):
    data = {
        "name": "Nadia Public",
        "organisation": "",
        "stakeholder_group": "civil-society",
        "region": "africa",
        "language": "fr",
        "text": "Le spam coûte cher aux petits fournisseurs.",
        "consent_to_publish": "on",
        "show_name": "on",
        "idempotency_key": "key-" + "a" * 20,
        "website": "",
    }
    data.update(extra)
    return data


def files_stored() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_someone_without_an_account_submits_through_a_magic_link(
    personas, open_call, mailbox, run_tasks
):
    client = verified_client(open_call, "nadia@example.org", mailbox, run_tasks)
    page = client.get(f"/p/wgt/calls/{open_call.pk}/submit/")
    assert "You write as nadia@example.org" in page.content.decode()
    response = client.post(
        f"/p/wgt/calls/{open_call.pk}/submit/",
        form(open_call, attachments=[pdf_file("Étude spam.pdf")]),
    )
    assert response.status_code == 302
    submission = Submission.objects.get(call=open_call)
    assert (submission.email, submission.author, submission.number) == (
        "nadia@example.org",
        None,
        1,
    )
    assert submission.attachments.get().filename == "Étude spam.pdf"
    assert EmailVerification.objects.get().used_at is not None
    run_tasks()
    [receipt] = [m for m in mailbox.to("nadia@example.org") if "Receipt" in m["Subject"]]
    text = mailbox.text(receipt)
    assert submission.reference == f"C{open_call.pk}-0001"
    assert submission.reference in text and "Étude spam.pdf" in text
    assert f"http://testserver/p/wgt/calls/{open_call.pk}/submissions/1/" in text
    assert receipt["X-Roundtable-Receipt"] == submission.reference
    # The receipt's link works in another browser, for this submission only.
    manage = link_in(mailbox, "nadia@example.org", r"/p/wgt/calls/\d+/submissions/1/manage/")
    other = Client()
    assert other.get(manage).status_code == 302
    page = other.get(f"/p/wgt/calls/{open_call.pk}/submissions/1/")
    assert "Withdraw my submission" in page.content.decode()
    # The magic link is spent: a second submission needs a new one.
    again = client.post(
        f"/p/wgt/calls/{open_call.pk}/submit/", form(open_call, idempotency_key="k" * 20)
    )
    assert "Confirm your e-mail address" in again.content.decode()


def test_a_registered_person_submits_and_the_receipt_is_queued_with_it(
    personas, open_call, submit, run_tasks, mailbox
):
    submission = submit(open_call, text="My comment")
    message = OutboundMessage.objects.get(kind="consultation.receipt")
    assert message.to == "public@example.net"
    assert AuditEntry.objects.filter(action="submission.received").count() == 1
    run_tasks()
    assert len(mailbox.to("public@example.net")) == 1
    open_call.refresh_from_db()
    assert open_call.received_count == 1 == submission.number


def test_verification_requests_are_limited_and_checked(personas, open_call, settings):
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "CONSULTATION_MAX_VERIFICATIONS_PER_ADDRESS_PER_HOUR": 2,
        "CONSULTATION_MAX_VERIFICATIONS_PER_IP_PER_HOUR": 3,
    }
    for _ in range(2):
        services.verification_request(call=open_call, email="a@example.org", ip="1.2.3.4")
    with pytest.raises(ValidationError) as caught:
        services.verification_request(call=open_call, email="a@example.org", ip="1.2.3.4")
    assert "Too many links" in caught.value.messages[0]
    services.verification_request(call=open_call, email="b@example.org", ip="1.2.3.4")
    with pytest.raises(ValidationError) as caught:
        services.verification_request(call=open_call, email="c@example.org", ip="1.2.3.4")
    assert "your network" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.verification_request(call=open_call, email="not an address")
    assert EmailVerification.objects.count() == 3


def test_expired_or_unknown_links_explain_themselves(personas, open_call):
    verification, secret = services.verification_request(call=open_call, email="x@example.org")
    EmailVerification.objects.filter(pk=verification.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = Client().get(f"/calls/verify/{secret}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert "not valid" in Client().get("/calls/verify/nonsense/").content.decode()


def test_submitting_without_account_or_link_is_refused(personas, open_call):
    with pytest.raises(PermissionDenied):
        services.submission_create(call=open_call, name="X", text="Y", language="en")
    client = Client()
    response = client.get(f"/p/wgt/calls/{open_call.pk}/submit/")
    assert "Confirm your e-mail address" in response.content.decode()
    response = client.post(f"/p/wgt/calls/{open_call.pk}/submit/", form(open_call))
    assert Submission.objects.count() == 0


def test_the_honeypot_stores_nothing(personas, open_call, mailbox, run_tasks):
    client = Client()
    response = client.post(
        f"/p/wgt/calls/{open_call.pk}/verify/", {"email": "bot@example.org", "website": "spam.biz"}
    )
    assert response.status_code == 400
    assert "must stay empty" in response.content.decode()
    assert EmailVerification.objects.count() == 0
    client = verified_client(open_call, "human@example.org", mailbox, run_tasks)
    response = client.post(
        f"/p/wgt/calls/{open_call.pk}/submit/", form(open_call, website="http://buy.example")
    )
    assert response.status_code == 400
    assert "must stay empty" in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_double_click_makes_one_submission_and_one_receipt(
    personas, open_call, mailbox, run_tasks
):
    client = Client()
    client.force_login(personas.member)
    data = form(open_call, attachments=[pdf_file()])
    first = client.post(f"/p/wgt/calls/{open_call.pk}/submit/", data)
    data["attachments"] = [pdf_file()]
    second = client.post(f"/p/wgt/calls/{open_call.pk}/submit/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert len(files_stored()) == 1
    run_tasks()
    assert len(mailbox.to("member@example.net")) == 1
    open_call.refresh_from_db()
    assert open_call.received_count == 1


def test_a_replay_of_the_same_form_gets_the_same_author_link(personas, open_call):
    """A double click can send the form twice at once; the browser keeps the session
    of whichever request saves last, so the replay must hand back the author's link
    too (seen with PostgreSQL in Chromium: the author lost access to their file)."""
    from roundtable.people.tokens import secret_hash

    def send(author, key: str):
        return services.submission_create(
            call=open_call, author=author, name="M", text="a", language="en", idempotency_key=key
        )

    first, secret, created = send(personas.member, "form-key-123456")
    assert created and secret
    again, replayed_secret, created_again = send(personas.member, "form-key-123456")
    assert (again.pk, replayed_secret, created_again) == (first.pk, secret, False)
    assert secret_hash(secret) == again.manage_token_hash
    # Another form of the same person gets another link.
    _other, other_secret, _ = send(personas.member, "form-key-654321")
    assert other_secret != secret


def test_the_same_key_from_another_author_is_refused(personas, open_call):
    key = "shared-key-123456"
    services.submission_create(
        call=open_call,
        author=personas.member,
        name="M",
        text="a",
        language="en",
        idempotency_key=key,
    )
    with pytest.raises(ValidationError):
        services.submission_create(
            call=open_call,
            author=personas.public,
            name="P",
            text="b",
            language="en",
            idempotency_key=key,
        )


def test_rate_limits_per_address_and_per_network(personas, open_call, submit, settings):
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "CONSULTATION_MAX_SUBMISSIONS_PER_ADDRESS_PER_DAY": 2,
        "CONSULTATION_MAX_SUBMISSIONS_PER_IP_PER_HOUR": 3,
    }
    submit(open_call, ip="192.0.2.1")
    submit(open_call, ip="192.0.2.1")
    with pytest.raises(ValidationError) as caught:
        submit(open_call, ip="192.0.2.9")
    assert "last 24 hours" in caught.value.messages[0]
    submit(open_call, person=personas.member, ip="192.0.2.1")
    with pytest.raises(ValidationError) as caught:
        submit(open_call, person=personas.observer, ip="192.0.2.1")
    assert "your network" in caught.value.messages[0]
    assert Submission.objects.count() == 3
    # The address is never stored in clear: only a keyed hash of it.
    assert not Submission.objects.filter(ip_hash__contains="192.0.2").exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"text": "   "}, "text", "Write your comment"),
        ({"name": ""}, "name", "your name"),
        ({"language": "de"}, "language", "accepts submissions in"),
        ({"text": "x" * 60_000}, "text", "under 50000 characters"),
        ({"answers": {999: "hm"}}, "answers", "does not ask"),
        ({"stakeholder_group": "aliens"}, "stakeholder_group", "Unknown stakeholder group"),
    ],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_stored(
    personas, open_call, submit, fields, field, words
):
    with pytest.raises(ValidationError) as caught:
        submit(open_call, **fields)
    assert words in " ".join(caught.value.message_dict[field])
    assert Submission.objects.count() == 0
    assert OutboundMessage.objects.count() == 0
    open_call.refresh_from_db()
    assert open_call.received_count == 0


def test_a_required_question_must_be_answered(personas, submit):
    call = make_call(personas, questions=[{"text": "Why?", "required": True}])
    question = call.questions.get()
    with pytest.raises(ValidationError) as caught:
        submit(call, answers={})
    assert caught.value.message_dict[f"answer_{question.pk}"] == ["This question needs an answer."]
    submission = submit(call, text="", answers={question.pk: "Because."})
    assert submission.answers.get().text == "Because."


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + bytes(500)), "content is not a .pdf"),
        (
            SimpleUploadedFile("bomb.docx", docx_bytes({"word/x.bin": bytes(70 * 1024 * 1024)})),
            "zip bomb",
        ),
        (SimpleUploadedFile("big.pdf", b"%PDF-" + bytes(11 * 1024 * 1024)), "larger than 10 MB"),
    ],
    ids=["executable-named-pdf", "docx-zip-bomb", "oversize"],
)
def test_bad_files_are_refused_and_nothing_is_stored(personas, open_call, submit, upload, words):
    with pytest.raises(ValidationError) as caught:
        submit(open_call, attachments=[upload])
    assert words in " ".join(caught.value.message_dict["attachments"])
    assert Submission.objects.count() == 0
    assert files_stored() == []
    assert OutboundMessage.objects.count() == 0


def test_too_many_files_are_refused(personas, open_call, submit, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_MAX_ATTACHMENTS": 2}
    with pytest.raises(ValidationError) as caught:
        submit(open_call, attachments=[pdf_file(), pdf_file(), pdf_file()])
    assert "at most 2 files" in caught.value.message_dict["attachments"][0]
    assert files_stored() == []


def test_files_are_stored_outside_the_web_root_and_served_only_as_downloads(
    personas, open_call, submit
):
    upload = pdf_file("Rapport <final>.pdf")
    submission = submit(open_call, attachments=[upload])
    attachment = submission.attachments.get()
    [path] = files_stored()
    assert path.is_relative_to(Path(django_settings.MEDIA_ROOT))
    assert "final" not in path.name and path.suffix == ".pdf"
    url = f"/p/wgt/calls/{open_call.pk}/attachments/{attachment.pk}/"
    # Not published yet: only the author and the secretariat may download.
    assert Client().get(url).status_code == 404
    client = Client()
    client.force_login(personas.secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Rapport _final.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == path.read_bytes()
    # Nothing routes the media prefix.
    assert Client().get(f"/media/{path.relative_to(django_settings.MEDIA_ROOT)}").status_code == 404


def dangerous_markup(html: str) -> list[str]:
    """Scripts, event handlers and javascript: links that a browser would act on."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "img", "iframe", "object", "embed"):
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                    found.append(f"{tag}[{name}]")

    Parser().feed(html)
    return found


def test_html_and_script_in_text_are_rendered_inert(personas, open_call, submit):
    from xml.etree import ElementTree

    hostile = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[click](javascript:alert(2)) **bold**"
    )
    submission = submit(open_call, text=hostile, name='<b onmouseover="x">Eve</b>')
    services.submission_moderate(
        actor=personas.secretariat, submission=submission, decision="approve"
    )
    for url in (submission.get_absolute_url(), f"/p/wgt/calls/{open_call.pk}/submissions/"):
        body = Client().get(url).content.decode()
        assert dangerous_markup(body) == []
    page = Client().get(submission.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert "&lt;script&gt;" in page
    feed = ElementTree.fromstring(  # noqa: S314 - our own feed, in a test
        Client().get(f"/p/wgt/calls/{open_call.pk}/feed/").content
    )
    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = feed.findall(f"{atom}entry")
    summary = entry.find(f"{atom}summary").text
    assert "<strong>bold</strong>" in summary
    assert dangerous_markup(summary) == []


def test_the_author_edits_until_the_call_closes_and_approved_text_is_moderated_again(
    personas, open_call, submit
):
    submission = submit(open_call, person=personas.member, attachments=[pdf_file()])
    services.submission_moderate(
        actor=personas.secretariat, submission=submission, decision="approve"
    )
    services.submission_update(
        submission=submission,
        actor=personas.member,
        text="Second thoughts.",
        remove_attachments=[submission.attachments.get().pk],
        add_attachments=[SimpleUploadedFile("notes.txt", "نص عربي".encode())],
    )
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert submission.text == "Second thoughts."
    assert [a.filename for a in submission.attachments.all()] == ["notes.txt"]
    assert AuditEntry.objects.filter(action="submission.edited").count() == 1
    with pytest.raises(PermissionDenied):
        services.submission_update(submission=submission, actor=personas.public, text="Hijack")
    close_call(open_call)
    with pytest.raises(ValidationError) as caught:
        services.submission_update(submission=submission, actor=personas.member, text="Late")
    assert "closed" in caught.value.messages[0]


def test_withdrawing_keeps_the_receipt_countable(personas, open_call, submit):
    kept = submit(open_call)
    gone = submit(open_call, person=personas.member, text="Please forget this.")
    services.submission_moderate(actor=personas.secretariat, submission=gone, decision="approve")
    services.submission_withdraw(submission=gone, actor=personas.member)
    gone.refresh_from_db()
    assert gone.status == "withdrawn"
    assert Submission.objects.filter(call=open_call).count() == 2
    body = Client().get(f"/api/processes/wgt/calls/{open_call.pk}/submissions").json()
    assert body["count"] == 0
    assert (
        "Please forget"
        not in Client().get(f"/p/wgt/calls/{open_call.pk}/submissions/").content.decode()
    )
    assert kept.number == 1


def test_receipts_queued_while_smtp_is_down_are_sent_later_exactly_once(
    personas, open_call, submit, smtp_server, mailbox, run_tasks
):
    smtp_server.stop()
    try:
        submission = submit(open_call, person=personas.member)
        run_tasks()
        message = OutboundMessage.objects.get(kind="consultation.receipt")
        assert message.sent_at is None and message.attempts == 1 and message.last_error
    finally:
        smtp_server.start()
    # The submission is safe and counted while the mail waits.
    open_call.refresh_from_db()
    assert open_call.received_count == 1
    assert mailbox.to("member@example.net") == []
    # Later: `roundtable mail flush` (a periodic job) re-queues what is due.
    outbound_flush(now=timezone.now() + dt.timedelta(minutes=5))
    run_tasks()
    [receipt] = mailbox.to("member@example.net")
    assert submission.reference in receipt["Subject"]
    # Every other queued attempt, run whenever it comes due, sends nothing more.
    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))
    outbound_flush(now=timezone.now() + dt.timedelta(hours=1))
    run_tasks()
    assert len(mailbox.to("member@example.net")) == 1
    message.refresh_from_db()
    assert message.sent_at is not None


def test_counts_reconcile_across_the_page_the_data_and_every_export(personas, open_call, submit):
    """Every receipt issued is in the data and in every export, whatever its fate."""
    made = [submit(open_call, person=p) for p in (personas.public, personas.member)]
    made += [submit(open_call, person=personas.observer, consent_to_publish=False)]
    made += [submit(open_call, person=personas.chair)]
    made += [submit(open_call, person=personas.public, text="Buy pills")]
    services.submission_moderate(actor=personas.secretariat, submission=made[0], decision="approve")
    services.submission_moderate(actor=personas.secretariat, submission=made[2], decision="approve")
    services.submission_moderate(
        actor=personas.secretariat, submission=made[4], decision="reject", reason="spam"
    )
    services.submission_withdraw(submission=made[1], actor=personas.member)
    call = close_call(open_call)
    issued = OutboundMessage.objects.filter(kind="consultation.receipt").count()
    assert issued == 5
    assert call.received_count == Submission.objects.filter(call=call).count() == issued
    client = Client()
    page = client.get(call.get_absolute_url()).content.decode()
    assert re.search(r'class="count-big">5<', page)
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/p/wgt/calls/{call.pk}/report.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert len(csv_rows) - 1 == issued
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(f"/p/wgt/calls/{call.pk}/report.xlsx").content))
    assert workbook.worksheets[0].max_row - 1 == issued
    report = client.get(f"/api/processes/wgt/calls/{call.pk}/report").json()
    assert len(report["rows"]) == report["counts"]["received"] == issued
    html = client.get(f"/p/wgt/calls/{call.pk}/report/").content.decode()
    assert all(s.reference in html for s in made)
    assert sorted(r[0] for r in csv_rows[1:]) == sorted(s.reference for s in made)
