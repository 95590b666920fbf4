"""Reads about surveys: what a person may see, counts, and cached results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import translation

from roundtable.processes.models import Process
from roundtable.processes.roles import is_authenticated

from . import conf, policy
from .models import Survey, SurveyInvitation, SurveyStatus
from .scorecard import DimensionScore, scorecard
from .tabulate import Tabulation, check_by, tabulate


def surveys_visible_to(*, person: Any, process: Process) -> list[Survey]:
    surveys = Survey.objects.filter(process=process).annotate(
        response_count=Count("responses", distinct=True)
    )
    return [survey for survey in surveys if policy.can_view_survey(person, survey)]


def invitation_for(*, person: Any, survey: Survey) -> SurveyInvitation | None:
    """The person's own invitation to the survey (by account or by address)."""
    if not is_authenticated(person):
        return None
    return (
        SurveyInvitation.objects.filter(survey=survey)
        .filter(Q(person_id=person.pk) | Q(email__iexact=person.email))
        .select_related("survey")
        .first()
    )


def waiting_invitations(*, person: Any, process: Process) -> list[SurveyInvitation]:
    """Open surveys of the process that the person was invited to and has not answered."""
    if not is_authenticated(person):
        return []
    invitations = SurveyInvitation.objects.filter(
        survey__process=process, survey__status=SurveyStatus.OPEN, used=False
    ).filter(Q(person_id=person.pk) | Q(email__iexact=person.email))
    return [i for i in invitations.select_related("survey") if i.survey.is_open]


@dataclass
class Progress:
    invited: int
    answered_by_invitation: int
    waiting: int  # submitted, to join the results with the next batch
    responses: int  # in the results
    imported: int
    drafts: int

    @property
    def response_rate(self) -> float | None:
        if not self.invited:
            return None
        return self.answered_by_invitation / self.invited


def survey_progress(*, survey: Survey) -> Progress:
    invited = survey.invitations.aggregate(
        invited=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    return Progress(
        invited=invited["invited"],
        answered_by_invitation=invited["used"],
        waiting=survey.pending.count(),
        responses=survey.responses.count(),
        imported=survey.imported_count,
        drafts=survey.drafts.count(),
    )


def by_choices(survey: Survey, language: str | None) -> list[tuple[str, str]]:
    """The select_one questions results can be broken down by: (name, label)."""
    form = survey.form
    lang = form.language(language)
    return [(q.name, form.label(q, lang)) for q in form.questions if q.kind == "select_one"]


def valid_by(survey: Survey, by: str | None) -> str | None:
    if not by:
        return None
    try:
        check_by(survey.form, by)
    except ValueError:
        return None
    return by


def survey_results(
    *, survey: Survey, by: str | None = None, language: str | None = None
) -> Tabulation | None:
    """The tabulation, or None while fewer than k responses are in (nothing is shown then)."""
    form = survey.form
    lang = form.language(language or translation.get_language())
    by = valid_by(survey, by)
    # The count too: a cached table never outlives a change to the responses.
    count = survey.responses.count()
    version = f"{survey.results_version}:{count}:{survey.min_cell}"
    key = f"surveys:results:{survey.pk}:{version}:{by}:{lang}"
    cached = cache.get(key)
    if cached is not None:
        return cached if cached != "too-few" else None
    answers = list(survey.responses.order_by("pk").values_list("answers", flat=True))
    if len(answers) < survey.min_cell:
        cache.set(key, "too-few", conf.results_cache_seconds())
        return None
    result = tabulate(form, answers, by=by, language=lang, min_cell=survey.min_cell)
    cache.set(key, result, conf.results_cache_seconds())
    return result


def survey_scorecard(*, survey: Survey, results: Tabulation | None) -> list[DimensionScore]:
    if results is None:
        return []
    return scorecard(survey.form, results)


def open_surveys(*, process: Process) -> QuerySet[Survey]:
    return Survey.objects.filter(process=process, status=SurveyStatus.OPEN)
