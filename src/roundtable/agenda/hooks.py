"""What the agenda app answers through ``roundtable.core.hooks.collect``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from roundtable.core.hooks import SearchHit
from roundtable.core.text import markdown_to_plain
from roundtable.processes.models import Process

from . import policy, selectors
from .models import Cluster, PolicyIssue

MAX_HITS = 50


def search(*, process: Process, query: str, person: Any) -> list[SearchHit]:
    """Policy issues (merged ones included, saying where they went) and clusters."""
    if not policy.can_view_agenda(person, process):
        return []
    hits: list[SearchHit] = []
    issues = (
        PolicyIssue.objects.filter(process=process)
        .filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(references__icontains=query)
        )
        .exclude(status="withdrawn")
        .order_by("-updated_at")[:MAX_HITS]
    )
    for issue in issues:
        title = issue.title
        if issue.merged_into_id:
            title = _("%(title)s (merged into #%(id)d)") % {
                "title": issue.title,
                "id": issue.merged_into_id,
            }
        hits.append(
            SearchHit(
                kind=_("Policy issue"),
                title=title,
                url=reverse("agenda:issue", kwargs={"slug": process.slug, "issue_id": issue.pk}),
                snippet=Truncator(markdown_to_plain(issue.description)).chars(240),
                when=issue.updated_at,
            )
        )
    clusters = Cluster.objects.filter(process=process).filter(
        Q(title__icontains=query) | Q(description__icontains=query)
    )[:MAX_HITS]
    for cluster in clusters:
        hits.append(
            SearchHit(
                kind=_("Cluster"),
                title=cluster.title,
                url=reverse(
                    "agenda:cluster", kwargs={"slug": process.slug, "cluster_id": cluster.pk}
                ),
                snippet=Truncator(markdown_to_plain(cluster.description)).chars(240),
                when=cluster.created_at,
            )
        )
    return hits


def open_calls(*, process: Process, person: Any) -> list[dict[str, Any]]:
    """The call for issues while it is open, for other apps' lists of open calls."""
    if not policy.can_view_agenda(person, process):
        return []
    call = selectors.open_call(process=process)
    if call is None:
        return []
    return [
        {
            "title": _("Call for issues"),
            "url": reverse("agenda:issues", kwargs={"slug": process.slug}),
            "closes_at": call.closes_at,
        }
    ]


def issue_proposal_url(*, process: Process, person: Any, source: str) -> str | None:
    """Where ``person`` proposes a policy issue started from ``source`` (an
    object of another app, which fills the form through ``issue_source``);
    ``None`` if they may not propose now."""
    if not policy.can_propose_issue(person, process):
        return None
    url = reverse("agenda:propose", kwargs={"slug": process.slug})
    return f"{url}?{urlencode({'source': source})}"
