"""The drafting pages with Django's test client: views, forms, errors, stale edits."""

from __future__ import annotations

import pytest
from django.test import Client

from roundtable.drafting import services
from roundtable.drafting.models import Amendment, ConsensusCall, Paragraph, ParagraphVersion

pytestmark = pytest.mark.django_db


def as_(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def base(personas, draft) -> str:
    return f"/p/{personas.process.slug}/drafts/{draft.document.pk}/"


def test_clean_and_annotated_views(personas, draft):
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=draft.recommendation,
        base_version=1,
        lead="Two models:",
        options=["A council.", "No new body."],
    )
    services.alternative_sponsor(
        actor=draft.gov, paragraph=Paragraph.objects.get(pk=draft.recommendation.pk), label="A"
    )
    services.brackets_request(actor=personas.member, paragraph=draft.first, reason="Number")
    services.amendment_propose(
        actor=personas.member,
        document=draft.document,
        kind="replace",
        paragraph=draft.second,
        base_version=1,
        text="Other words entirely.",
        rationale="Why not.",
    )
    clean = Client().get(base(personas, draft)).content.decode()
    annotated = Client().get(base(personas, draft) + "?view=annotated").content.decode()
    for page in (clean, annotated):
        assert '<span class="bracket">[</span>The group met four times' in page
        assert "Option A" in page and "No new body." in page
        assert "1 bracketed" in page and "1 with alternatives" in page
    assert "Sponsors: A participant (Government)" in annotated
    assert "Sponsors:" not in clean
    assert "Bracketed at the request of: A participant (Civil society) (Number)" in annotated
    assert "Amendment 1" in annotated and "Amendment 1" not in clean.split("open amendment")[-1]
    assert 'aria-current="page">Annotated view' in annotated


def test_earlier_revision_is_marked_read_only(personas, draft):
    draft.document.refresh_from_db()
    revision = draft.document.revision
    services.paragraph_edit(
        actor=personas.secretariat, paragraph=draft.first, base_version=1, text="Later text."
    )
    page = (
        as_(personas.secretariat)
        .get(base(personas, draft) + f"?revision={revision}")
        .content.decode()
    )
    assert f"You are reading revision {revision}" in page
    assert "four times in Geneva" in page and "Later text." not in page
    assert "Add a paragraph" not in page


def test_stale_edit_page_keeps_the_text_and_shows_what_changed(personas, draft):
    url = base(personas, draft) + f"paragraphs/{draft.first.pk}/edit/"
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=draft.first,
        base_version=1,
        text="The group met five times in Geneva and held open consultations.",
    )
    response = as_(personas.secretariat).post(
        url, {"text": "My own rewrite of the first paragraph.", "base_version": 1}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed while you were working" in page
    assert "<del>" in page and "four</del>" in page and "five</ins>" in page
    assert "My own rewrite of the first paragraph." in page  # kept in the form
    assert 'name="base_version" value="2"' in page  # and moved onto the current version
    assert Paragraph.objects.get(pk=draft.first.pk).current_version.text.startswith(
        "The group met five"
    )
    # Saving again now works.
    response = as_(personas.secretariat).post(
        url, {"text": "My own rewrite of the first paragraph.", "base_version": 2}
    )
    assert response.status_code == 302
    assert Paragraph.objects.get(pk=draft.first.pk).version_number == 3


def test_malformed_text_is_shown_on_the_form_and_nothing_saved(personas, draft):
    url = base(personas, draft) + f"paragraphs/{draft.first.pk}/edit/"
    before = ParagraphVersion.objects.count()
    response = as_(personas.secretariat).post(
        url, {"text": "Hello <b>there</b>", "base_version": 1}
    )
    assert response.status_code == 400
    assert "HTML is not accepted" in response.content.decode()
    response = as_(personas.member).post(
        base(personas, draft) + f"paragraphs/{draft.first.pk}/amend/",
        {"kind": "replace", "text": "Unclosed [bracket", "rationale": "x", "base_version": 1},
    )
    assert response.status_code == 400
    assert "is never closed" in response.content.decode()
    assert ParagraphVersion.objects.count() == before and not Amendment.objects.exists()


def test_amendment_pages_from_proposal_to_decision(personas, draft):
    member = as_(personas.member)
    response = member.post(
        base(personas, draft) + f"paragraphs/{draft.second.pk}/amend/",
        {
            "kind": "replace",
            "text": "Internet governance is the shared development of principles.",
            "rationale": "Shorter.",
            "base_version": 1,
        },
    )
    amendment = Amendment.objects.get()
    assert response.status_code == 302 and response["Location"] == amendment.get_absolute_url()
    page = member.get(amendment.get_absolute_url()).content.decode()
    assert "<del>" in page and "<ins>" in page  # the proposed change as a diff
    gov = as_(draft.gov)
    gov.post(
        amendment.get_absolute_url() + "position/", {"stance": "oppose", "comment": "Too short."}
    )
    page = as_(personas.chair).get(amendment.get_absolute_url()).content.decode()
    assert "Too short." in page and "Record the decision" in page
    as_(personas.chair).post(
        amendment.get_absolute_url() + "decide/", {"decision": "decline", "reason": ""}
    )
    assert Amendment.objects.get().status == "open"  # a reason is required to decline
    as_(personas.chair).post(amendment.get_absolute_url() + "decide/", {"decision": "accept"})
    assert Amendment.objects.get().status == "accepted"
    history = (
        Client().get(base(personas, draft) + f"paragraphs/{draft.second.pk}/").content.decode()
    )
    assert "Credit: amendment 1 by A participant (Civil society)" in history


def test_amendment_proposed_against_a_stale_version_shows_the_changes(personas, draft):
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=draft.second,
        base_version=1,
        text="Changed meanwhile.",
    )
    response = as_(personas.member).post(
        base(personas, draft) + f"paragraphs/{draft.second.pk}/amend/",
        {"kind": "replace", "text": "Mine.", "rationale": "Because.", "base_version": 1},
    )
    assert response.status_code == 409
    assert "Changed meanwhile." in response.content.decode()
    assert not Amendment.objects.exists()


def test_history_diff_between_any_two_versions(personas, draft):
    for number, text in enumerate(["Version two text.", "Version three text."], start=1):
        services.paragraph_edit(
            actor=personas.secretariat,
            paragraph=Paragraph.objects.get(pk=draft.first.pk),
            base_version=number,
            text=text,
        )
    url = base(personas, draft) + f"paragraphs/{draft.first.pk}/"
    page = Client().get(url + "?from=1&to=3").content.decode()
    assert "Changes from version 1 to version 3" in page
    plain = Client().get(url + "?from=2&to=3&format=text")
    assert plain["Content-Type"].startswith("text/plain")
    assert plain.content.decode() == "Version [-two-]{+three+} text."


def test_chair_records_a_rough_consensus_on_the_page(personas, draft):
    url = base(personas, draft) + f"consensus/new/?paragraph={draft.second.pk}"
    chair = as_(personas.chair)
    response = chair.post(url, {"finding": "rough_consensus", "paragraph": draft.second.pk})
    assert response.status_code == 400
    assert "name at least one objecting member" in response.content.decode()
    response = chair.post(
        url,
        {
            "finding": "rough_consensus",
            "paragraph": draft.second.pk,
            "objections": [draft.gov_membership.pk],
            "objection_reason": "Sovereignty.",
        },
    )
    assert response.status_code == 302
    call = ConsensusCall.objects.get()
    assert call.objections.get().reason == "Sovereignty."
    calls = Client().get(base(personas, draft) + "consensus/").content.decode()
    assert "Objection: A participant (Government)" in calls and "Gita" not in calls


def test_silence_form_refuses_a_deadline_too_soon(personas, draft):
    url = base(personas, draft) + f"silence/new/?paragraph={draft.first.pk}"
    response = as_(personas.chair).post(
        url, {"deadline": "2020-01-01T10:00", "paragraph": draft.first.pk}
    )
    assert response.status_code == 400
    assert "Members need at least 24 hours" in response.content.decode()


def test_mark_final_explains_what_is_left(personas, draft):
    response = as_(personas.chair).post(base(personas, draft) + "final/", follow=True)
    assert "neither agreed nor have their divergence recorded" in response.content.decode()


def test_print_view_and_other_pages_render(personas, draft):
    services.brackets_request(actor=personas.member, paragraph=draft.first)
    client = Client()
    printed = client.get(base(personas, draft) + "print/").content.decode()
    assert '<link rel="stylesheet" href="/static/drafting/export.css">' in printed
    assert '<span class="bracket">[</span>' in printed
    for page in ("revisions/", "authorship/", "amendments/?status=all", "consensus/", "export/"):
        assert client.get(base(personas, draft) + page).status_code == 200, page
    assert client.get(f"/p/{personas.process.slug}/drafts/").status_code == 200


def test_secretariat_builds_a_document_from_the_pages(personas):
    client = as_(personas.secretariat)
    response = client.post(
        f"/p/{personas.process.slug}/drafts/new/",
        {"title": "Background paper", "kind": "background_paper", "visibility": "process"},
    )
    assert response.status_code == 302
    response = client.post(response["Location"], {"title": "Facts"})
    assert response.status_code == 302 and response["Location"].endswith("/paragraphs/new/")
    response = client.post(response["Location"], {"text": "First.", "after": "", "another": "1"})
    assert response["Location"].endswith("/paragraphs/new/")
    client.post(response["Location"], {"text": "Second.", "after": ""})
    from roundtable.drafting.models import Document

    document = Document.objects.get(title="Background paper")
    from roundtable.drafting.selectors import document_view

    # "after" left empty means the start of the section.
    assert [p.version.text for p in document_view(document).paragraphs] == ["Second.", "First."]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Vue annotée"),
        ("es", "Vista anotada"),
        ("ru", "Вид с примечаниями"),
        ("ar", "العرض المشروح"),
        ("zh-hans", "注释视图"),
    ],
)
def test_pages_speak_the_six_languages(personas, draft, language, expected):
    response = Client().get(base(personas, draft), HTTP_ACCEPT_LANGUAGE=language)
    assert expected in response.content.decode()


def test_errors_are_translated(personas, draft):
    client = as_(personas.secretariat)
    client.cookies["roundtable_language"] = "fr"
    response = client.post(
        base(personas, draft) + f"paragraphs/{draft.first.pk}/edit/",
        {"text": "Hello <b>there</b>", "base_version": 1},
    )
    assert "Le HTML n'est pas accepté" in response.content.decode()


def test_history_compares_with_the_last_change_of_wording_by_default(personas, draft):
    services.paragraph_edit(
        actor=personas.secretariat, paragraph=draft.first, base_version=1, text="Reworded text."
    )
    services.brackets_request(
        actor=personas.member, paragraph=Paragraph.objects.get(pk=draft.first.pk)
    )
    page = Client().get(base(personas, draft) + f"paragraphs/{draft.first.pk}/").content.decode()
    # Version 3 only added brackets: the comparison shows 1 -> 3, where the words changed.
    assert "Changes from version 1 to version 3" in page
    assert "<ins>" in page and "Reworded" in page
