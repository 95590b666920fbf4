"""What drafting answers to other apps: cluster attention, search, menu and home panel."""

from __future__ import annotations

import sys
import types

import pytest
from django.test import Client

from roundtable.agenda.models import Cluster
from roundtable.core import hooks
from roundtable.drafting import hooks as drafting_hooks
from roundtable.drafting import services

pytestmark = pytest.mark.django_db


def test_cluster_attention_counts_current_paragraphs_per_cluster(personas, draft):
    infrastructure = Cluster.objects.create(process=personas.process, title="Infrastructure")
    development = Cluster.objects.create(process=personas.process, title="Development")
    services.section_update(
        actor=personas.secretariat,
        section=draft.intro,
        title="Introduction",
        cluster=infrastructure,
    )
    services.section_update(
        actor=personas.secretariat,
        section=draft.oversight,
        title="Oversight",
        cluster=development.pk,
    )
    services.paragraph_remove(
        actor=personas.secretariat, paragraph=draft.second, base_version=1, reason="Gone."
    )
    assert drafting_hooks.cluster_attention(process=personas.process) == {
        infrastructure.pk: {"paragraphs": 1.0},
        development.pk: {"paragraphs": 1.0},
    }
    assert {
        infrastructure.pk: {"paragraphs": 1.0},
        development.pk: {"paragraphs": 1.0},
    } in hooks.collect("cluster_attention", process=personas.process)


def test_a_cluster_of_another_process_is_refused(personas, draft):
    from django.core.exceptions import ValidationError

    from tests.factories import ProcessFactory

    other = Cluster.objects.create(process=ProcessFactory(), title="Elsewhere")
    with pytest.raises(ValidationError):
        services.section_update(
            actor=personas.secretariat, section=draft.intro, title="x", cluster=other
        )


def test_search_finds_current_text_the_person_may_read(personas, draft):
    private = services.document_create(
        actor=personas.secretariat,
        process=personas.process,
        title="Members' notes",
        visibility="participants",
    )
    section = services.section_create(actor=personas.secretariat, document=private, title="Notes")
    services.paragraph_create(actor=personas.secretariat, section=section, text="Geneva logistics.")
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=draft.first,
        base_version=1,
        text="The group met four times in Geneva and Tunis.",
    )
    public_hits = drafting_hooks.search(
        process=personas.process, query="geneva", person=personas.public
    )
    member_hits = drafting_hooks.search(
        process=personas.process, query="geneva", person=personas.member
    )
    assert [h.title for h in public_hits] == ["Report of the Working Group, paragraph 1"]
    assert "Tunis" in public_hits[0].snippet
    assert sorted(h.title for h in member_hits) == [
        "Members' notes, paragraph 1",
        "Report of the Working Group, paragraph 1",
    ]
    # Old versions are not searched.
    assert (
        drafting_hooks.search(process=personas.process, query="held open", person=personas.member)
        == []
    )


def test_search_page_shows_drafting_hits(personas, draft):
    response = Client().get(f"/p/{personas.process.slug}/search/?q=forum")
    assert response.status_code == 200
    assert b"Create a forum for multistakeholder policy dialogue." in response.content


def test_search_matches_text_in_options(personas, draft):
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=draft.recommendation,
        base_version=1,
        lead="",
        options=["Un conseil mondial.", "Aucun nouvel organe."],
    )
    [hit] = drafting_hooks.search(process=personas.process, query="nouvel organe", person=None)
    assert "Aucun nouvel organe" in hit.snippet


def test_menu_and_home_panel(personas, draft):
    page = Client().get(f"/p/{personas.process.slug}/")
    assert b'href="/p/wgt/drafts/"' in page.content
    assert b"Report of the Working Group" in page.content
    assert b"0 of 3 paragraphs agreed" in page.content


def test_sidebar_from_other_apps_beside_each_paragraph(personas, draft, monkeypatch):
    module = types.ModuleType("consultations_stand_in_sidebar")
    module.paragraph_sidebar = lambda *, paragraph, person: [
        f'<p class="call">Call for input on paragraph {paragraph.pk}</p>'
    ]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(hooks, "_hook_modules", lambda: [module])
    base = f"/p/{personas.process.slug}/drafts/{draft.document.pk}/"
    annotated = Client().get(base + "?view=annotated").content.decode()
    assert f"Call for input on paragraph {draft.first.pk}" in annotated
    assert f"Call for input on paragraph {draft.recommendation.pk}" in annotated
    page = Client().get(f"{base}paragraphs/{draft.second.pk}/").content.decode()
    assert f"Call for input on paragraph {draft.second.pk}" in page


def test_pages_work_when_no_app_answers(personas, draft):
    base = f"/p/{personas.process.slug}/drafts/{draft.document.pk}/"
    assert Client().get(base + "?view=annotated").status_code == 200
    assert Client().get(f"{base}paragraphs/{draft.first.pk}/").status_code == 200
