"""Authorship balance: the share of the text contributed through amendments, by group and region."""

from __future__ import annotations

import pytest

from roundtable.drafting import selectors, services
from roundtable.drafting.models import Paragraph

pytestmark = pytest.mark.django_db


def shares(rows):
    return {row.slug: row.words for row in rows if row.words}


def test_words_are_credited_to_the_amendment_that_brought_them(personas, draft):
    # draft: 11 + 10 + 7 = 28 words drafted by the secretariat.
    base = selectors.authorship_balance(draft.document)
    assert (base.total_words, base.amended_words, base.direct_words) == (28, 0, 28)

    civil = services.amendment_propose(
        actor=personas.member,
        document=draft.document,
        kind="replace",
        paragraph=draft.recommendation,
        base_version=1,
        text="Create an open forum for multistakeholder policy dialogue on equal terms.",
        rationale="Open and equal.",
    )
    services.amendment_accept(actor=personas.chair, amendment=civil)
    government = services.amendment_propose(
        actor=draft.gov,
        document=draft.document,
        kind="insert",
        section=draft.oversight,
        after=Paragraph.objects.get(pk=draft.recommendation.pk),
        text="Governments remain responsible for public policy.",
        rationale="Roles.",
    )
    services.amendment_accept(actor=personas.chair, amendment=government)

    balance = selectors.authorship_balance(draft.document)
    # "an", "open", "on", "equal", "terms" from civil society ("a" is gone); 6 from government.
    assert shares(balance.by_group) == {"civil-society": 5, "government": 6}
    assert shares(balance.by_region) == {"africa": 5, "asia-pacific": 6}
    assert balance.total_words == 28 - 1 + 5 + 6
    assert balance.amended_words == 11 and balance.direct_words == 27
    by_slug = {row.slug: row for row in balance.by_group}
    assert by_slug["government"].share == pytest.approx(6 / 38)

    # Only agreed text counts in the agreed columns.
    assert balance.agreed_words == 0
    services.consensus_call(
        actor=personas.chair, document=draft.document, section=draft.oversight, finding="consensus"
    )
    balance = selectors.authorship_balance(draft.document)
    assert shares(balance.agreed_by_group) == {"civil-society": 5, "government": 6}
    assert balance.agreed_words == 11 + 6


def test_credit_survives_later_edits_of_other_words(personas, draft):
    amendment = services.amendment_propose(
        actor=draft.gov,
        document=draft.document,
        kind="replace",
        paragraph=draft.first,
        base_version=1,
        text="The group met four times in Geneva and Tunis and held open consultations.",
        rationale="Tunis too.",
    )
    services.amendment_accept(actor=personas.secretariat, amendment=amendment)
    paragraph = Paragraph.objects.get(pk=draft.first.pk)
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=paragraph,
        base_version=paragraph.version_number,
        text="The group met five times in Geneva and Tunis and held open consultations.",
    )
    assert shares(selectors.authorship_balance(draft.document).by_group) == {"government": 2}


def test_options_count_for_their_sponsoring_amendment_and_survive_adoption(personas, draft):
    amendment = services.amendment_propose(
        actor=draft.gov,
        document=draft.document,
        kind="alternative",
        paragraph=draft.recommendation,
        base_version=1,
        text="Strengthen existing bodies.",
        rationale="Fewer bodies.",
    )
    services.amendment_accept(actor=personas.chair, amendment=amendment)
    assert shares(selectors.authorship_balance(draft.document).by_group) == {"government": 3}
    services.consensus_call(
        actor=personas.chair,
        document=draft.document,
        paragraph=Paragraph.objects.get(pk=draft.recommendation.pk),
        finding="consensus",
        adopted_option="B",
    )
    balance = selectors.authorship_balance(draft.document)
    assert shares(balance.by_group) == {"government": 3}
    assert shares(balance.agreed_by_group) == {"government": 3}


def test_earlier_revision_has_its_own_balance(personas, draft):
    draft.document.refresh_from_db()
    before = draft.document.revision
    amendment = services.amendment_propose(
        actor=draft.gov,
        document=draft.document,
        kind="replace",
        paragraph=draft.first,
        base_version=1,
        text="The group met four times in Geneva and held open public consultations.",
        rationale="Public.",
    )
    services.amendment_accept(actor=personas.chair, amendment=amendment)
    assert selectors.authorship_balance(draft.document, revision=before).amended_words == 0
    assert selectors.authorship_balance(draft.document).amended_words == 1
