from __future__ import annotations

import pytest

from roundtable.surveys import services
from roundtable.surveys.assessment import SLUG


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Results are cached; each test starts without another test's tables."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def draft_survey(personas):
    return services.survey_create(
        actor=personas.secretariat, process=personas.process, template=SLUG, title="Assessment"
    )


@pytest.fixture
def open_survey(draft_survey, personas):
    return services.survey_open(actor=personas.secretariat, survey=draft_survey)


# Answers to the built-in assessment that satisfy every rule.
COMPLETE = {
    "stakeholder_group": "civil_society",
    "participation": "online",
    "mark_purpose": "4",
    "mark_reach": "2",
    "reach_why": "Nobody outside heard of it",
    "mark_sustainability": "3",
    "mark_value": "5",
    "mark_fit": "4",
    "helped": "remote secretariat",
    "overall_score": "7",
    "change": "Fewer e-mails",
}


def complete(**changes: str) -> dict[str, str]:
    return {**COMPLETE, **changes}
