"""The one place that decides how a speaker or author is named when content leaves.

Every surface that shows who said or wrote something (pages, API, feeds,
exports, e-mails, search) passes the speaker through ``attribute``. Under the
Chatham House Rule what was said may be used, but neither the identity nor the
affiliation of the speaker may be revealed: the result then carries no name,
no e-mail, no organisation and no person id; only the stakeholder group, and
only if the process allows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from roundtable.core.conf import setting

from .models import AttributionRule, Membership, Process

CHATHAM_HOUSE_MIN_GROUP = 3


def _enough_peers(process: Process, group: Any, peers: int | None) -> bool:
    minimum = setting("CHATHAM_HOUSE_MIN_GROUP", CHATHAM_HOUSE_MIN_GROUP)
    if peers is None:
        group_id = getattr(group, "pk", None)
        if group_id is None:
            return False  # a group we cannot count is not shown
        from .selectors import current_memberships

        peers = current_memberships(process=process).filter(stakeholder_group_id=group_id).count()
    return peers >= minimum


@dataclass(frozen=True)
class Attribution:
    """What may be shown about a speaker. ``str()`` gives the label to print."""

    label: str
    person_id: int | None = None
    name: str | None = None
    organisation: str | None = None
    stakeholder_group: str | None = None
    stakeholder_group_slug: str | None = None
    anonymous: bool = False

    def __str__(self) -> str:
        return self.label

    def as_dict(self) -> dict[str, Any]:
        """For JSON: the keys are always present, so nothing hints at what was hidden."""
        return {
            "label": self.label,
            "name": self.name,
            "organisation": self.organisation,
            "stakeholder_group": self.stakeholder_group_slug,
            "anonymous": self.anonymous,
        }


def attribute(
    *,
    process: Process,
    rule: str,
    person: Any | None = None,
    membership: Membership | None = None,
    name: str | None = None,
    organisation: str | None = None,
    stakeholder_group: Any | None = None,
    peers: int | None = None,
) -> Attribution:
    """How to name a speaker under ``rule`` (an ``AttributionRule`` value).

    Give a ``membership`` (preferred), or a ``person``, or, for someone with no
    account (a member of the public at an open consultation), a ``name`` with
    optional ``organisation`` and ``stakeholder_group``.

    Under the Chatham House Rule the stakeholder group is shown only if the
    process allows it and the group is not so small that it points at one
    person: ``peers`` is how many people of that group were there (e.g. in the
    room); without it, the group's members in the process are counted. Below
    ``CHATHAM_HOUSE_MIN_GROUP`` (a setting, 3 by default) the group is dropped.
    """
    if membership is None and person is not None and getattr(person, "pk", None):
        membership = (
            Membership.objects.select_related("stakeholder_group", "organisation")
            .filter(person_id=person.pk, process_id=process.pk)
            .first()
        )
    group = stakeholder_group
    if membership is not None:
        person = person or membership.person
        group = membership.stakeholder_group or group
        organisation = membership.organisation.name if membership.organisation else organisation
    group_name = getattr(group, "display_name", None) or (str(group) if group else None)
    group_slug = getattr(group, "slug", None)

    if rule == AttributionRule.CHATHAM_HOUSE:
        if (
            process.chatham_house_shows_stakeholder_group
            and group_name
            and _enough_peers(process, group, peers)
        ):
            label = _("A participant (%(group)s)") % {"group": group_name}
            return Attribution(
                label=label,
                stakeholder_group=group_name,
                stakeholder_group_slug=group_slug,
                anonymous=True,
            )
        return Attribution(label=_("A participant"), anonymous=True)

    display = (
        name or (getattr(person, "name", None) if person is not None else None) or _("Unknown")
    )
    label = f"{display} ({organisation})" if organisation else display
    return Attribution(
        label=label,
        person_id=getattr(person, "pk", None),
        name=display,
        organisation=organisation,
        stakeholder_group=group_name,
        stakeholder_group_slug=group_slug,
    )
