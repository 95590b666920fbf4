from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from roundtable.core.hooks import NavItem

from . import policy
from .models import Process


def nav_items(person: Any, process: Process) -> list[NavItem]:
    slug = {"slug": process.slug}
    items = [
        NavItem("home", _("Overview"), reverse("processes:home", kwargs=slug), 0),
        NavItem("members", _("Members"), reverse("processes:directory", kwargs=slug), 10),
        NavItem("balance", _("Balance"), reverse("processes:balance", kwargs=slug), 11),
    ]
    items.append(NavItem("search", _("Search"), reverse("core:process_search", kwargs=slug), 80))
    if policy.can_view_invitations(person, process):
        items.append(
            NavItem(
                "invitations", _("Invitations"), reverse("processes:invitations", kwargs=slug), 90
            )
        )
    if policy.can_edit_process(person, process):
        items.append(
            NavItem("settings", _("Settings"), reverse("processes:settings", kwargs=slug), 92)
        )
    if policy.can_view_audit_log(person, process):
        items.append(
            NavItem("audit", _("Audit log"), reverse("processes:audit_log", kwargs=slug), 95)
        )
    return items
