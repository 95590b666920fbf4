"""Naming speakers: the one door to ``attribute`` for this app."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.attribution import Attribution, attribute
from roundtable.processes.models import AttributionRule, Membership, Role
from roundtable.processes.roles import is_authenticated

from .. import policy
from ..models import (
    Registration,
    Session,
)

# --- Naming speakers --------------------------------------------------------------------------


@dataclass
class Categories:
    stakeholder_group: StakeholderGroup | None
    region: Region | None
    organisation: str


class Speakers:
    """Names the speakers of one session for one purpose, only through ``attribute``."""

    def __init__(self, session: Session, *, named: bool, viewer: Any = None) -> None:
        self.session = session
        self.named = named
        self.rule = AttributionRule.ATTRIBUTED if named else session.attribution_rule
        self.viewer_id = viewer.pk if is_authenticated(viewer) else None
        self.memberships = {
            m.person_id: m
            for m in Membership.objects.filter(process_id=session.process_id).select_related(
                "person", "stakeholder_group", "region", "organisation"
            )
        }
        self.registrations = {
            r.person_id: r
            for r in Registration.objects.filter(session=session).select_related(
                "person", "stakeholder_group", "region"
            )
        }
        # How many people of each stakeholder group were registered for the room:
        # under the Chatham House Rule a group of one would name its speaker.
        # Nobody registered (e.g. imported minutes): count the process's members.
        people = self.registrations or {
            person_id for person_id, m in self.memberships.items() if m.is_current
        }
        self.group_peers: Counter[int | None] = Counter(
            getattr(self.categories(person_id).stakeholder_group, "pk", None)
            for person_id in people
        )

    def _peers(self, group: StakeholderGroup | None) -> int:
        return self.group_peers.get(getattr(group, "pk", None), 0)

    @classmethod
    def for_floor(cls, session: Session, viewer: Any) -> Speakers:
        """The live queue: names for the chair and secretariat (see policy.can_name_speakers)."""
        return cls(session, named=policy.can_name_speakers(viewer, session), viewer=viewer)

    @classmethod
    def for_record(cls, session: Session) -> Speakers:
        """Minutes, reports, exports, feeds, e-mails, search: the session's rule, for everyone."""
        return cls(session, named=False)

    @classmethod
    def for_draft(cls, session: Session, viewer: Any) -> Speakers:
        """The secretariat's working copy of the minutes, before publication."""
        named = policy.can_record_minutes(viewer, session) and not session.minutes_published
        return cls(session, named=named, viewer=viewer)

    def categories(self, person_id: int) -> Categories:
        membership = self.memberships.get(person_id)
        registration = self.registrations.get(person_id)
        if membership is not None and membership.role == Role.MEMBER:
            return Categories(
                membership.stakeholder_group,
                membership.region,
                membership.organisation.name if membership.organisation else "",
            )
        if registration is not None and (registration.stakeholder_group or registration.region):
            return Categories(
                registration.stakeholder_group,
                registration.region,
                registration.organisation_name,
            )
        if membership is not None:
            return Categories(
                membership.stakeholder_group,
                membership.region,
                membership.organisation.name if membership.organisation else "",
            )
        return Categories(None, None, registration.organisation_name if registration else "")

    def attribution(self, person: Any, *, group: StakeholderGroup | None = None) -> Attribution:
        person_id = getattr(person, "pk", person)
        membership = self.memberships.get(person_id)
        process = self.session.process
        if membership is not None:
            return attribute(
                process=process,
                rule=self.rule,
                membership=membership,
                peers=self._peers(membership.stakeholder_group),
            )
        registration = self.registrations.get(person_id)
        if registration is not None:
            return attribute(
                process=process,
                rule=self.rule,
                name=registration.person.name,
                organisation=registration.organisation_name or None,
                stakeholder_group=registration.stakeholder_group or group,
                peers=self._peers(registration.stakeholder_group or group),
            )
        name = getattr(person, "name", None)
        return attribute(
            process=process,
            rule=self.rule,
            name=name,
            stakeholder_group=group,
            peers=self._peers(group),
        )

    def owner_label(self, person_id: int) -> str:
        """Who owns an action. An office (chair, secretariat) is named as the office under
        the Chatham House Rule: it says who must act, not who said what."""
        membership = self.memberships.get(person_id)
        if (
            self.rule == AttributionRule.CHATHAM_HOUSE
            and membership is not None
            and membership.role in (Role.CHAIR, Role.SECRETARIAT)
        ):
            return _("the chair") if membership.role == Role.CHAIR else _("the secretariat")
        return self.attribution(person_id).label

    def label(self, person: Any, *, group: StakeholderGroup | None = None) -> str:
        person_id = getattr(person, "pk", person)
        if self.viewer_id is not None and person_id == self.viewer_id:
            return _("You")
        return self.attribution(person, group=group).label

    def known(self, person_id: int) -> bool:
        return person_id in self.memberships or person_id in self.registrations


def possible_speakers(*, session: Session) -> list[Any]:
    """People a statement may be attributed to: those entitled to speak, plus the chair
    and secretariat (who open, summarise and close)."""
    memberships = Membership.objects.filter(process_id=session.process_id).select_related("person")
    people = {}
    for membership in memberships:
        if not membership.is_current:
            continue
        if membership.role in (Role.CHAIR, Role.SECRETARIAT) or policy.can_request_floor(
            membership.person, session
        ):
            people[membership.person_id] = membership.person
    for registration in session.registrations.filter(cancelled_at__isnull=True).select_related(
        "person"
    ):
        if registration.person_id not in people and policy.can_request_floor(
            registration.person, session
        ):
            people[registration.person_id] = registration.person
    return sorted(people.values(), key=lambda person: person.name.casefold())
