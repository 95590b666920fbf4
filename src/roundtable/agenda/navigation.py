from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.core.hooks import NavItem
from roundtable.processes.models import Process

from . import policy, selectors
from .models import Cluster


def nav_items(person: Any, process: Process) -> list[NavItem]:
    if not policy.can_view_agenda(person, process):
        return []
    slug = {"slug": process.slug}
    return [
        NavItem("agenda", _("Policy issues"), reverse("agenda:issues", kwargs=slug), 20),
        NavItem("clusters", _("Clusters"), reverse("agenda:clusters", kwargs=slug), 21),
        NavItem("priorities", _("Priorities"), reverse("agenda:priorities", kwargs=slug), 22),
    ]


def home_panels(request: Any, process: Process) -> list[str]:
    if not policy.can_view_agenda(request.user, process):
        return []
    issues = selectors.active_issues(process=process)
    view = selectors.priority_results(process=process)
    top = [row for row in view.rows if row.result.rank is not None][:3] if view.has_votes else []
    context = {
        "process": process,
        "call": selectors.call_to_show(process=process),
        "open_call": selectors.open_call(process=process),
        "now": timezone.now(),
        "can_propose": policy.can_propose_issue(request.user, process),
        "issue_count": issues.count(),
        "cluster_count": Cluster.objects.filter(process=process).count(),
        "top": top,
    }
    return [render_to_string("agenda/_home_panel.html", context, request=request)]
