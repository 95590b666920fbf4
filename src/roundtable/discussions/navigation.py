from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from roundtable.core.hooks import NavItem
from roundtable.processes.models import Process

from . import policy, selectors


def nav_items(person: Any, process: Process) -> list[NavItem]:
    if not policy.can_read_discussions(person, process):
        return []
    return [
        NavItem(
            "discussions",
            _("Discussions"),
            reverse("discussions:index", kwargs={"slug": process.slug}),
            35,
        )
    ]


def home_panels(request: Any, process: Process) -> list[str]:
    person = request.user
    if not policy.can_read_discussions(person, process):
        return []
    moderator = policy.can_moderate(person, process)
    return [
        render_to_string(
            "discussions/_home_panel.html",
            {
                "process": process,
                "threads": selectors.recent_threads(process=process),
                "pending": selectors.moderation_queue(process=process).count() if moderator else 0,
                "moderator": moderator,
            },
            request=request,
        )
    ]
