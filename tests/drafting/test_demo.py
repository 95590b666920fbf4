"""The demo process's draft report shows every part of drafting, and loads idempotently."""

from __future__ import annotations

import pytest

from roundtable.drafting import demo, selectors
from roundtable.drafting.models import (
    Amendment,
    ConsensusCall,
    Document,
    MinorityStatement,
    SilenceProcedure,
)
from roundtable.processes.demo import load_process

pytestmark = pytest.mark.django_db


def test_demo_report(mailbox):
    context = load_process()
    demo.load(context)
    demo.load(context)  # idempotent
    report = Document.objects.get(process=context.process)
    view = selectors.document_view(report)
    titles = [s.section.title for s in view.sections]
    assert "A working definition of Internet stewardship" in titles and "Oversight" in titles
    assert view.totals["bracketed"] == 1
    assert view.totals["ad_referendum"] == 1
    assert view.totals["agreed"] >= 4
    [models] = [p for p in view.paragraphs if p.options]
    assert [o.label for o in models.options] == ["A", "B", "C", "D"]
    groups = {group for option in models.options for group in option.sponsor_groups}
    assert groups >= {
        "Government",
        "Private sector",
        "Civil society",
        "Academia",
        "Technical community",
    }
    assert models.version.divergence_recorded
    assert sum(1 for p in view.paragraphs if p.recommendation_number) == 3
    assert set(Amendment.objects.values_list("status", flat=True)) == {
        "accepted",
        "declined",
        "open",
    }
    assert set(ConsensusCall.objects.values_list("finding", flat=True)) == {
        "consensus",
        "rough_consensus",
        "no_consensus",
    }
    assert MinorityStatement.objects.get().supporters.count() == 2
    assert SilenceProcedure.objects.get().is_open
    balance = selectors.authorship_balance(report)
    assert balance.amended_words > 0
    assert {row.slug for row in balance.by_group if row.words} >= {
        "civil-society",
        "private-sector",
    }
