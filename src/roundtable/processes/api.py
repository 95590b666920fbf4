import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from . import policy, selectors, services
from .models import Capacity, Membership, Process, Role

router = Router(tags=["processes"])


def process_for(request: HttpRequest, slug: str) -> Process:
    process = get_object_or_404(Process, slug=slug)
    if not policy.can_view_process(request.user, process):
        raise Http404
    return process


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class ProcessOut(Schema):
    slug: str
    name: str
    mandate: str
    start_date: dt.date
    end_date: dt.date | None
    working_languages: list[str]
    default_attribution: str
    access: str


class MembershipOut(Schema):
    id: int
    name: str
    role: str
    stakeholder_group: str | None
    region: str | None
    development_status: str
    organisation: str | None
    capacity: str
    start_date: dt.date

    @staticmethod
    def resolve_name(membership: Membership) -> str:
        return membership.person.name

    @staticmethod
    def resolve_stakeholder_group(membership: Membership) -> str | None:
        return membership.stakeholder_group.slug if membership.stakeholder_group else None

    @staticmethod
    def resolve_region(membership: Membership) -> str | None:
        return membership.region.slug if membership.region else None

    @staticmethod
    def resolve_organisation(membership: Membership) -> str | None:
        return membership.organisation.name if membership.organisation else None


class MembershipFilter(Schema):
    stakeholder_group: str | None = None
    region: str | None = None
    role: Role | None = None


class InvitationIn(Schema):
    email: str
    role: Role
    name: str = ""
    stakeholder_group: str | None = Field(None, description="slug, required for members")
    region: str | None = Field(None, description="slug, required for members")
    development_status: str = ""
    organisation_name: str = ""
    capacity: Capacity = Capacity.PERSONAL
    message: str = ""


class InvitationOut(Schema):
    id: int
    email: str
    name: str
    role: str
    status: str
    created_at: dt.datetime
    expires_at: dt.datetime


class MembershipPatch(Schema):
    role: Role | None = None
    stakeholder_group: str | None = None
    region: str | None = None
    development_status: str | None = None


@router.get("", response=list[ProcessOut], summary="Processes the caller can see")
def list_processes(request: HttpRequest) -> Any:
    return selectors.processes_visible_to(person=request.user)


@router.get("/{slug}", response=ProcessOut)
def get_process(request: HttpRequest, slug: str) -> Any:
    return process_for(request, slug)


@router.get("/{slug}/memberships", response=list[MembershipOut])
@paginate(LimitOffsetPagination)
def list_memberships(request: HttpRequest, slug: str, filters: Query[MembershipFilter]) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_member_directory(request.user, process))
    memberships = selectors.member_directory(
        process=process,
        stakeholder_group=filters.stakeholder_group,
        region=filters.region,
        role=filters.role,
    )
    return memberships


@router.patch("/{slug}/memberships/{membership_id}", response=MembershipOut)
def patch_membership(
    request: HttpRequest, slug: str, membership_id: int, payload: MembershipPatch
) -> Any:
    process = process_for(request, slug)
    require(policy.can_change_role(request.user, process))
    membership = get_object_or_404(
        Membership.objects.select_related("stakeholder_group", "region"),
        pk=membership_id,
        process=process,
    )
    changes = payload.dict(exclude_unset=True)
    if {"stakeholder_group", "region", "development_status"} & set(changes):
        membership = services.membership_update_categories(
            actor=request.user,
            membership=membership,
            stakeholder_group=changes.get(
                "stakeholder_group",
                membership.stakeholder_group.slug if membership.stakeholder_group else None,
            ),
            region=changes.get("region", membership.region.slug if membership.region else None),
            development_status=changes.get("development_status") or membership.development_status,
        )
    if changes.get("role"):
        membership = services.membership_change_role(
            actor=request.user, membership=membership, role=changes["role"]
        )
    membership = Membership.objects.select_related(
        "person", "stakeholder_group", "region", "organisation"
    ).get(pk=membership.pk)
    return membership


@router.get(
    "/{slug}/balance", summary="Counts and shares by stakeholder group x region, targets, gaps"
)
def get_balance(request: HttpRequest, slug: str) -> dict[str, Any]:
    process = process_for(request, slug)
    require(policy.can_view_balance(request.user, process))
    return selectors.process_balance(process=process).as_dict()


@router.get("/{slug}/invitations", response=list[InvitationOut])
@paginate(LimitOffsetPagination)
def list_invitations(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_invitations(request.user, process))
    return selectors.invitations_for(process=process)


@router.post("/{slug}/invitations", response={201: InvitationOut})
def create_invitation(request: HttpRequest, slug: str, payload: InvitationIn) -> Any:
    process = process_for(request, slug)
    require(policy.can_invite_member(request.user, process))
    invitation, _secret = services.invitation_create(
        actor=request.user, process=process, **payload.dict()
    )
    return Status(201, invitation)
