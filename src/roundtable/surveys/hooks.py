"""What the surveys app answers through ``roundtable.core.hooks.collect``.

Search finds surveys by title and introduction, only those the person may
see. Answers are never searched: nothing shows an individual response.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from roundtable.core.hooks import SearchHit
from roundtable.core.text import markdown_to_plain
from roundtable.processes.models import Process

from . import policy
from .models import Survey

MAX_HITS = 20


def search(*, process: Process, query: str, person: Any) -> list[SearchHit]:
    if not policy.can_view_surveys(person, process):
        return []
    surveys = (
        Survey.objects.filter(process=process)
        .filter(Q(title__icontains=query) | Q(description__icontains=query))
        .select_related("process")
        .order_by("-created_at")[: MAX_HITS * 2]
    )
    return [
        SearchHit(
            kind=_("Survey"),
            title=survey.title,
            url=survey.get_absolute_url(),
            snippet=Truncator(markdown_to_plain(survey.description)).chars(200),
            when=survey.created_at,
        )
        for survey in surveys
        if policy.can_view_survey(person, survey)
    ][:MAX_HITS]
