"""What the agenda pages show, the CSV exports, the search hook and the home panel."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from roundtable.agenda import services
from roundtable.agenda.hooks import search
from roundtable.agenda.models import IssueCall, PolicyIssue, Rating
from roundtable.processes.models import Access
from tests.agenda.conftest import add_member, open_call, propose

pytestmark = pytest.mark.django_db


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def page(personas, path: str = "") -> str:
    return f"/p/{personas.process.slug}/agenda/{path}"


def text(response) -> str:
    return response.content.decode()


def test_issue_list_shows_the_open_call_in_the_viewers_time_zone(personas):
    call = open_call(personas.process)
    call.closes_at = dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC)
    call.introduction = "Name the **issues** that matter."
    call.save()
    personas.public.time_zone = "Asia/Tokyo"
    personas.public.save()
    body = text(logged_in(personas.public).get(page(personas)))
    assert "The call for issues is open." in body
    assert "Jan. 1, 2027, 8 a.m. (Asia/Tokyo)" in body
    assert "<strong>issues</strong>" in body
    assert 'href="/p/wgt/agenda/propose/"' in body
    anonymous = text(Client().get(page(personas)))
    assert "/accounts/login/?next=/p/wgt/agenda/" in anonymous
    assert "/accounts/signup/" in anonymous


def test_issue_list_filters(personas):
    cluster = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Infrastructure"
    )
    root = propose(personas, "Root zone oversight")
    propose(personas, "Spam")
    gov = add_member(personas.process, "government")
    services.issue_propose(actor=gov, process=personas.process, title="Cybercrime")
    services.issues_assign_cluster(
        actor=personas.secretariat, process=personas.process, issue_ids=[root.pk], cluster=cluster
    )
    client = Client()

    def titles(**query) -> set[str]:
        body = text(client.get(page(personas), query))
        return {t for t in ("Root zone oversight", "Spam", "Cybercrime") if f">{t}</a>" in body}

    assert titles() == {"Root zone oversight", "Spam", "Cybercrime"}
    assert titles(cluster=cluster.pk) == {"Root zone oversight"}
    assert titles(cluster="none") == {"Spam", "Cybercrime"}
    assert titles(stakeholder_group="government") == {"Cybercrime"}
    assert titles(q="spam") == {"Spam"}
    assert titles(status="withdrawn") == set()
    assert titles(cluster="nonsense", status="nonsense") == {
        "Root zone oversight",
        "Spam",
        "Cybercrime",
    }


def test_public_proposal_form_asks_for_a_group_members_form_does_not(personas):
    open_call(personas.process)
    public_form = text(logged_in(personas.public).get(page(personas, "propose/")))
    member_form = text(logged_in(personas.member).get(page(personas, "propose/")))
    assert 'name="stakeholder_group"' in public_form
    assert 'name="stakeholder_group"' not in member_form
    assert "Civil society" in member_form  # their recorded group is named


def test_bad_proposal_shows_the_error_and_writes_nothing(personas):
    response = logged_in(personas.member).post(page(personas, "propose/"), {"title": "   "})
    assert response.status_code == 400
    assert "This field is required." in text(response) or "Give the issue a title." in text(
        response
    )
    response = logged_in(personas.member).post(
        page(personas, "propose/"), {"title": "Spam", "language": "tlh"}
    )
    assert response.status_code == 400
    assert not PolicyIssue.objects.exists()


def test_closed_call_page_for_the_public(personas):
    response = logged_in(personas.public).get(page(personas, "propose/"))
    assert response.status_code == 403
    assert "only while a call for issues is open" in text(response)


def test_merged_issue_pages_show_provenance_both_ways(personas):
    target = propose(personas, "Root zone oversight", "Who authorises changes.")
    gov = add_member(personas.process, "government")
    duplicate = services.issue_propose(
        actor=gov,
        process=personas.process,
        title="مراقبة منطقة الجذر",
        description="من يوافق على تغييرات منطقة الجذر؟",
        language="ar",
    )
    response = logged_in(personas.secretariat).post(
        page(personas, f"issues/{duplicate.pk}/merge/"), {"into": target.pk}
    )
    assert response["Location"] == page(personas, f"issues/{target.pk}/")
    body = text(Client().get(page(personas, f"issues/{target.pk}/")))
    assert "Proposed by 2 participants" in body
    assert "A participant (Government)" in body and "A participant (Civil society)" in body
    assert "مراقبة منطقة الجذر" in body and "من يوافق على تغييرات منطقة الجذر؟" in body
    assert f"Proposed as #{duplicate.pk}, merged here" in body
    merged_page = text(Client().get(page(personas, f"issues/{duplicate.pk}/")))
    assert "This issue was merged into" in merged_page
    assert f'href="{page(personas, f"issues/{target.pk}/")}"' in merged_page


def test_merge_page_errors_are_shown(personas):
    issue = propose(personas, "Spam")
    client = logged_in(personas.secretariat)
    response = client.post(
        page(personas, f"issues/{issue.pk}/merge/"), {"into": issue.pk}, follow=True
    )
    assert "An issue cannot be merged into itself." in text(response)
    response = client.post(page(personas, f"issues/{issue.pk}/merge/"), {"into": ""}, follow=True)
    assert "Choose the issue to merge this one into." in text(response)
    assert PolicyIssue.objects.get().status == "proposed"


def test_issue_csv_export(personas):
    first = propose(personas, '=HYPERLINK("http://evil.example")', "Formula in a title.")
    second = propose(personas, "الإنترنت للجميع", "نص عربي")
    response = Client().get(page(personas, "issues.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert [row["number"] for row in rows] == [str(first.pk), str(second.pk)]
    assert rows[0]["title"].startswith("'=HYPERLINK")  # not run as a formula
    assert rows[1]["title"] == "الإنترنت للجميع"
    assert rows[1]["proposed_by"] == "A participant (Civil society)"
    assert rows[1]["proposer_stakeholder_group"] == "civil-society"


def test_priorities_page_and_csv(personas, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_MIN_RATERS_SHOWN": 2}
    empty = text(Client().get(page(personas, "priorities/")))
    assert "No member has rated an issue yet." in empty
    root = propose(personas, "Root zone oversight")
    capacity = propose(personas, "Capacity building")
    for _ in range(4):
        gov = add_member(personas.process, "government", "weog")
        services.ratings_set_many(
            actor=gov, process=personas.process, scores={root.pk: 4, capacity.pk: 1}
        )
    for slug in ("academia", "technical-community"):
        for _ in range(2):
            person = add_member(personas.process, slug, "asia-pacific")
            services.ratings_set_many(
                actor=person, process=personas.process, scores={root.pk: 1, capacity.pk: 3}
            )
    body = text(Client().get(page(personas, "priorities/")))
    assert "8 members took part" in body
    assert "comes first. Counted by head" in body
    assert body.index(">Capacity building</a>") < body.index(">Root zone oversight</a>")
    assert "Where the stakeholder groups disagree most" in body
    assert "Figures from fewer than 2 members are not shown" in body
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(Client().get(page(personas, "priorities.csv")).streaming_content)
                .decode()
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[0]["title"] == "Capacity building" and rows[0]["balanced_rank"] == "1"
    assert rows[0]["raw_rank"] == "2"
    assert rows[0]["group:government"] == "1.00" and rows[0]["group:academia"] == "3.00"
    issue_page = text(Client().get(page(personas, f"issues/{capacity.pk}/")))
    assert "Rank 1 of 2 in the balanced ranking: 2.33 of 4" in issue_page
    rankings = text(Client().get(page(personas, "priorities/"), {"method": "rankings"}))
    assert "No member has ranked the issues yet." in rankings


def test_agenda_share_page_without_attention_data(personas):
    assert "There are no clusters yet." in text(Client().get(page(personas, "share/")))
    big = services.cluster_create(actor=personas.secretariat, process=personas.process, title="Big")
    small = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Small"
    )
    issues = [propose(personas, f"Issue {n}") for n in range(4)]
    services.issues_assign_cluster(
        actor=personas.secretariat,
        process=personas.process,
        issue_ids=[i.pk for i in issues[:3]],
        cluster=big,
    )
    services.issues_assign_cluster(
        actor=personas.secretariat,
        process=personas.process,
        issue_ids=[issues[3].pk],
        cluster=small,
    )
    body = text(Client().get(page(personas, "share/")))
    assert "No data yet" in body
    assert "priority is measured by the number of issues" in body
    assert body.index(">Big</a>") < body.index(">Small</a>")
    assert "75%" in body and "25%" in body
    services.rating_set(actor=personas.member, issue=issues[3], score=4)
    body = text(Client().get(page(personas, "share/")))
    assert "balanced ratings of its issues" in body
    assert body.index(">Small</a>") < body.index(">Big</a>")  # only Small's issue is rated


def test_rating_sheet_refuses_a_bad_value_and_keeps_the_rest(personas):
    a = propose(personas, "A")
    b = propose(personas, "B")
    client = logged_in(personas.member)
    response = client.post(page(personas, "rate/"), {f"issue_{a.pk}": "3", f"issue_{b.pk}": "9"})
    assert response.status_code == 400
    assert not Rating.objects.exists()
    response = client.post(page(personas, "rate/"), {f"issue_{a.pk}": "3", f"issue_{b.pk}": ""})
    assert response.status_code == 302
    assert dict(Rating.objects.values_list("issue_id", "score")) == {a.pk: 3}
    assert 'value="3" ' in text(client.get(page(personas, "rate/"))).replace("checked", " ")


def test_ranking_page(personas):
    a, b, c = (propose(personas, t) for t in "ABC")
    client = logged_in(personas.member)
    response = client.post(
        page(personas, "rank/"), {"place_1": str(c.pk), "place_2": "", "place_3": str(a.pk)}
    )
    assert response.status_code == 302
    from roundtable.agenda.selectors import my_ranking

    assert my_ranking(process=personas.process, person=personas.member) == [c.pk, a.pk]
    response = client.post(page(personas, "rank/"), {"place_1": str(b.pk), "place_2": str(b.pk)})
    assert response.status_code == 400 and "only once" in text(response)


def test_secretariat_opens_a_call_in_their_own_time_zone(personas):
    personas.secretariat.time_zone = "America/Bogota"
    personas.secretariat.save()
    client = logged_in(personas.secretariat)
    response = client.post(
        page(personas, "call/"),
        {"opens_at": "2026-03-01T09:00", "closes_at": "2026-03-31T18:00", "introduction": "Hi"},
    )
    assert response.status_code == 302
    call = IssueCall.objects.get()
    assert call.opens_at == dt.datetime(2026, 3, 1, 14, 0, tzinfo=dt.UTC)
    response = client.post(
        page(personas, "call/"), {"opens_at": "2026-03-05T09:00", "closes_at": "2026-03-02T09:00"}
    )
    assert response.status_code == 400 and "must close after it opens" in text(response)
    assert IssueCall.objects.count() == 1


def test_accepting_a_suggestion_in_part_through_the_page(personas):
    issues = [
        propose(personas, "Spam", "spam e-mail spam"),
        propose(personas, "Spam laws", "spam laws spam"),
        propose(personas, "Capacity", "capacity building training"),
        propose(personas, "Capacity again", "capacity building training policy"),
    ]
    client = logged_in(personas.secretariat)
    assert client.post(page(personas, "clusters/suggest/"), {"clusters": "2"}).status_code == 302
    body = text(client.get(page(personas, "clusters/suggest/")))
    assert "2 suggested clusters" in body
    from roundtable.agenda.models import SuggestedCluster

    first = SuggestedCluster.objects.order_by("position").first()
    prefix = f"s{first.pk}-"
    keep = first.issue_ids[0]
    response = client.post(
        page(personas, f"clusters/suggest/{first.pk}/accept/"),
        {prefix + "issues": [keep], prefix + "title": "Kept in part", prefix + "cluster": ""},
        follow=True,
    )
    assert "Accepted: the chosen issues are now in “Kept in part”." in text(response)
    assert "Accepted: 1 of 2 issues" in text(response)
    assert PolicyIssue.objects.get(pk=keep).cluster.title == "Kept in part"
    assert len(issues) == 4


def test_search_hook_finds_issues_and_clusters_for_those_who_may_read(personas):
    issue = propose(personas, "Spam", "Unsolicited bulk e-mail.")
    services.cluster_create(
        actor=personas.secretariat,
        process=personas.process,
        title="Use of the Internet",
        description="Spam and security.",
    )
    hits = search(process=personas.process, query="spam", person=personas.anonymous)
    assert [(hit.kind, hit.title) for hit in hits] == [
        ("Policy issue", "Spam"),
        ("Cluster", "Use of the Internet"),
    ]
    assert hits[0].url == page(personas, f"issues/{issue.pk}/")
    personas.process.access = Access.MEMBERS
    personas.process.save()
    assert search(process=personas.process, query="spam", person=personas.public) == []
    assert search(process=personas.process, query="spam", person=personas.observer)
    response = logged_in(personas.member).get(f"/p/{personas.process.slug}/search/", {"q": "spam"})
    assert "Use of the Internet" in text(response)


def test_home_panel_and_menu(personas):
    open_call(personas.process)
    issue = propose(personas, "Spam")
    services.rating_set(actor=personas.member, issue=issue, score=4)
    body = text(Client().get(f"/p/{personas.process.slug}/"))
    assert 'id="agenda-panel-heading"' in body
    assert "1 issue on the list" in body and "Top of the balanced ranking" in body
    assert ">Policy issues</a>" in body and ">Priorities</a>" in body


def test_chatham_house_hides_proposers_on_every_surface(personas):
    """Under the Chatham House Rule no page, export, API answer or search result
    names a proposer or their organisation; with attribution, the issue page does."""
    issue = propose(personas, "Spam", "Unsolicited bulk e-mail.")
    open_call(personas.process)
    services.issue_propose(
        actor=personas.public,
        process=personas.process,
        title="Spam from the public",
        stakeholder_group="academia",
    )
    slug = personas.process.slug
    surfaces = [
        page(personas),
        page(personas, f"issues/{issue.pk}/"),
        page(personas, "clusters/"),
        page(personas, "priorities/"),
        page(personas, "issues.csv"),
        f"/api/processes/{slug}/agenda/issues",
        f"/api/processes/{slug}/agenda/issues/{issue.pk}",
        f"/p/{slug}/search/?q=spam",
    ]
    client = Client()
    for url in surfaces:
        response = client.get(url)
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        for secret in ("Mina Member", "Open Networks Trust", "Pat Public", "member@example.net"):
            assert secret not in body, (url, secret)
    assert "A participant (Civil society)" in text(
        client.get(page(personas, f"issues/{issue.pk}/"))
    )
    personas.process.default_attribution = "attributed"
    personas.process.save()
    body = text(client.get(page(personas, f"issues/{issue.pk}/")))
    assert "Mina Member (Open Networks Trust)" in body
