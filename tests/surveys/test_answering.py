"""Answering on the web: pages, skip logic on the server, rules, save and resume, languages."""

from __future__ import annotations

import pytest
from django.test import Client

from roundtable.surveys import answering, services
from roundtable.surveys.assessment import assessment_form
from roundtable.surveys.models import PendingResponse, SurveyDraft
from tests.surveys.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def test_pages_follow_groups_and_split_where_an_answer_decides():
    form = assessment_form()
    pages = answering.pages(form)
    layout = [[e.name for e in page.elements if e.is_question] for page in pages]
    assert layout[0] == ["stakeholder_group", "participation"]
    assert layout[1] == [
        "mark_purpose",
        "mark_reach",
        "mark_sustainability",
        "mark_value",
        "mark_fit",
    ]
    # reach_why depends on mark_reach, on the page before: it gets a page of its own.
    assert layout[2] == ["reach_why"]
    assert layout[-2] == ["helped"]
    assert layout[-1] == ["helped_other", "overall_score", "achievement", "change"]


@pytest.fixture
def link(personas, open_survey):
    personas.member.preferred_language = "fr"
    personas.member.save()
    services.invitations_send(actor=personas.secretariat, survey=open_survey, audience="members")
    token = services.invitation_token(open_survey.invitations.get())
    return f"/p/{personas.process.slug}/surveys/{open_survey.pk}/a/{token}/"


def post(client, url, page, action="next", lang="en", **answers):
    data = {"page": page, "action": action, "lang": lang}
    data.update(answers)
    return client.post(url, data)


def test_a_whole_answer_with_skip_logic(link):
    client = Client()
    first = client.get(link)
    assert first.status_code == 200
    page = first.content.decode()
    # The invitation is in the member's language: French labels.
    assert "À quel groupe de parties prenantes appartenez-vous ?" in page
    response = post(
        client, link, 0, lang="en", stakeholder_group="academia", participation="online"
    )
    assert response.status_code == 302 and "page=1" in response["Location"]
    # A required question left empty: the page comes back with the message, nothing is lost.
    marks = {"mark_purpose": "4", "mark_reach": "2", "mark_sustainability": "3", "mark_value": "5"}
    response = post(client, link, 1, **marks)
    assert response.status_code == 400
    text = response.content.decode()
    assert "This question needs an answer." in text and 'value="4" checked' in text
    response = post(client, link, 1, mark_fit="4", **marks)
    # mark_reach = 2: the follow-up question's page comes next.
    assert "page=2" in response["Location"]
    assert (
        "What kept our work from reaching further?"
        in client.get(response["Location"]).content.decode()
    )
    response = post(client, link, 2, reach_why="Nobody heard of it")
    assert "page=3" in response["Location"]
    for page in (3, 4):
        response = post(client, link, page)
        assert f"page={page + 1}" in response["Location"]
    response = post(client, link, 5, helped=["remote", "secretariat"])
    assert "page=6" in response["Location"]
    page6 = client.get(response["Location"]).content.decode()
    assert "What else helped?" not in page6  # "other" was not chosen
    response = post(client, link, 6, action="submit", overall_score="11")
    assert response.status_code == 400
    assert "Enter a whole number from 0 to 10." in response.content.decode()
    response = post(client, link, 6, action="submit", overall_score="8", change="Fewer e-mails")
    assert response.status_code == 302 and "/thanks/" in response["Location"]
    [pending] = PendingResponse.objects.all()
    assert pending.answers == {
        "stakeholder_group": "academia", "participation": "online", "mark_purpose": "4",
        "mark_reach": "2", "reach_why": "Nobody heard of it", "mark_sustainability": "3",
        "mark_value": "5", "mark_fit": "4", "helped": "remote secretariat", "overall_score": "8",
        "change": "Fewer e-mails",
    }  # fmt: skip
    again = Client().get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_going_back_and_changing_an_answer_drops_what_no_longer_applies(link):
    client = Client()
    post(client, link, 0, stakeholder_group="academia")
    marks = {
        "mark_purpose": "4",
        "mark_reach": "1",
        "mark_sustainability": "3",
        "mark_value": "5",
        "mark_fit": "4",
    }
    post(client, link, 1, **marks)
    post(client, link, 2, reach_why="Too inward-looking")
    response = post(client, link, 3, action="back")
    assert "page=2" in response["Location"]
    response = post(client, link, 2, action="back", reach_why="Too inward-looking")
    assert "page=1" in response["Location"]
    post(client, link, 1, **{**marks, "mark_reach": "5"})
    assert "reach_why" not in SurveyDraft.objects.get().answers


def test_save_and_come_back_from_another_device(link):
    post(Client(), link, 0, stakeholder_group="government", participation="both")
    response = post(Client(), link, 1, action="save", mark_purpose="5")
    assert response.status_code == 302
    later = Client().get(link)  # no cookies: only the link
    text = later.content.decode()
    assert "Page 2 of" in text
    assert 'name="mark_purpose" value="5" checked' in text


def test_switching_the_survey_language(link):
    page = Client().get(link + "?lang=es").content.decode()
    assert "¿A qué grupo de partes interesadas pertenece?" in page
    assert '<html lang="es"' in page
    arabic = Client().get(link + "?lang=ar").content.decode()
    assert 'dir="rtl"' in arabic and "إلى أي فئة من فئات أصحاب المصلحة تنتمي؟" in arabic


def test_skipping_ahead_does_not_skip_the_rules(link):
    client = Client()
    response = post(client, link, 6, action="submit", overall_score="5")
    # Required questions on earlier pages were never answered: back to the first of them.
    assert response.status_code == 302 and "page=1" in response["Location"]
    assert not PendingResponse.objects.exists()


def test_logged_in_invitee_goes_to_their_own_link(personas, open_survey, link):
    client = Client()
    client.force_login(personas.member)
    home = client.get(f"/p/{personas.process.slug}/").content.decode()
    # The member reads French: the panel on the process home page is in French.
    assert "Une enquête attend vos réponses" in home
    assert f"/surveys/{open_survey.pk}/answer/" in home
    response = client.get(f"/p/{personas.process.slug}/surveys/{open_survey.pk}/answer/")
    assert response.status_code == 302 and response["Location"].startswith(link)
    other = Client()
    other.force_login(personas.observer)
    response = other.get(f"/p/{personas.process.slug}/surveys/{open_survey.pk}/answer/")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/surveys/{open_survey.pk}/"
    )


def test_open_link(personas, open_survey):
    url = f"/p/{personas.process.slug}/surveys/{open_survey.pk}/link/whatever/"
    assert Client().get(url).status_code == 404
    services.survey_update(actor=personas.secretariat, survey=open_survey, open_link=True)
    url = f"/p/{personas.process.slug}/surveys/{open_survey.pk}/link/{open_survey.open_key}/"
    client = Client()
    assert "Start the survey" in client.get(url).content.decode()
    response = client.post(url, {"lang": "en"})
    assert response.status_code == 302 and "/a/" in response["Location"]
    own = response["Location"].split("?")[0]
    for page, answers in [
        (0, {}),
        (1, {k: COMPLETE[k] for k in COMPLETE if k.startswith("mark_")}),
    ]:
        post(client, own, page, **answers)
    assert SurveyDraft.objects.get().resume_hash


def test_a_closed_survey_takes_no_answers(personas, open_survey, link):
    services.survey_close(actor=personas.secretariat, survey=open_survey)
    response = Client().get(link)
    assert response.status_code == 410
    assert "This survey is closed." in response.content.decode()
    assert Client().get(link.replace("/a/", "/a/x")).status_code == 404
