"""Writes about processes, memberships, invitations and targets.

Each function is keyword-only, runs in one transaction, checks the policy,
and records the decision in the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.models import (
    DevelopmentStatus,
    Organisation,
    Person,
    Region,
    StakeholderGroup,
)
from roundtable.people.tokens import new_secret, secret_hash

from . import policy
from .models import (
    AttributionRule,
    Capacity,
    CompositionTarget,
    DeclarationOfInterests,
    Deliverable,
    DeliverableStatus,
    Dimension,
    Invitation,
    Membership,
    Process,
    Role,
)
from .roles import forget_memberships

# Roles that are counted in the balance need the categories it is measured on.
ROLES_NEEDING_CATEGORIES = (Role.MEMBER,)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def resolve_stakeholder_group(value: StakeholderGroup | str | None) -> StakeholderGroup | None:
    """A stakeholder group from an object or a slug; a clear error if unknown."""
    if value is None or value == "" or isinstance(value, StakeholderGroup):
        return value or None
    group = StakeholderGroup.objects.filter(slug=value).first()
    if group is None:
        raise ValidationError(
            {"stakeholder_group": [_("Unknown stakeholder group “%(value)s”.") % {"value": value}]}
        )
    return group


def resolve_region(value: Region | str | None) -> Region | None:
    if value is None or value == "" or isinstance(value, Region):
        return value or None
    region = Region.objects.filter(slug=value).first()
    if region is None:
        raise ValidationError({"region": [_("Unknown region “%(value)s”.") % {"value": value}]})
    return region


def _check_choice(field: str, value: str, choices: Any, *, blank: bool = False) -> None:
    if blank and not value:
        return
    if value not in choices.values:
        raise ValidationError({field: [_("“%(value)s” is not a valid choice.") % {"value": value}]})


def _check_categories(role: str, group: StakeholderGroup | None, region: Region | None) -> None:
    errors: dict[str, list[str]] = {}
    if role in ROLES_NEEDING_CATEGORIES:
        if group is None:
            errors["stakeholder_group"] = [_("A member needs a stakeholder group.")]
        if region is None:
            errors["region"] = [_("A member needs a region.")]
    if errors:
        raise ValidationError(errors)


# --- Processes ----------------------------------------------------------------


@transaction.atomic
def process_create(
    *,
    actor: Person,
    name: str,
    slug: str,
    start_date: dt.date,
    mandate: str = "",
    end_date: dt.date | None = None,
    working_languages: list[str] | None = None,
    default_attribution: str = AttributionRule.CHATHAM_HOUSE,
    chatham_house_shows_stakeholder_group: bool = True,
    access: str = "public",
    secretariat: Person | None = None,
) -> Process:
    _require(policy.can_create_process(actor))
    process = Process(
        name=name.strip(),
        slug=slug,
        mandate=mandate,
        start_date=start_date,
        end_date=end_date,
        working_languages=working_languages or [],
        default_attribution=default_attribution,
        chatham_house_shows_stakeholder_group=chatham_house_shows_stakeholder_group,
        access=access,
    )
    process.full_clean()
    process.save()
    audit_record(actor=actor, action="process.created", obj=process, process=process)
    if secretariat is not None:
        Membership.objects.create(person=secretariat, process=process, role=Role.SECRETARIAT)
        audit_record(
            actor=actor,
            action="membership.created",
            obj=process,
            process=process,
            data={"person": secretariat.pk, "role": Role.SECRETARIAT},
        )
    return process


PROCESS_EDITABLE_FIELDS = (
    "name",
    "mandate",
    "start_date",
    "end_date",
    "working_languages",
    "default_attribution",
    "chatham_house_shows_stakeholder_group",
    "access",
)


@transaction.atomic
def process_update(*, actor: Person, process: Process, **changes: Any) -> Process:
    _require(policy.can_edit_process(actor, process))
    unknown = set(changes) - set(PROCESS_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = {field: getattr(process, field) for field in changes}
    for field, value in changes.items():
        setattr(process, field, value)
    process.full_clean()
    process.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        action="process.updated",
        obj=process,
        process=process,
        data={"before": before, "after": changes},
    )
    return process


@transaction.atomic
def deliverable_create(
    *,
    actor: Person,
    process: Process,
    title: str,
    description: str = "",
    due_date: dt.date | None = None,
    status: str = DeliverableStatus.PLANNED,
) -> Deliverable:
    _require(policy.can_edit_process(actor, process))
    deliverable = Deliverable(
        process=process,
        title=(title or "").strip(),
        description=description,
        due_date=due_date,
        status=status,
        position=process.deliverables.count(),
    )
    deliverable.full_clean()
    deliverable.save()
    audit_record(actor=actor, action="deliverable.created", obj=deliverable, process=process)
    return deliverable


@transaction.atomic
def deliverable_set_status(*, actor: Person, deliverable: Deliverable, status: str) -> Deliverable:
    _require(policy.can_edit_process(actor, deliverable.process))
    _check_choice("status", status, DeliverableStatus)
    before = deliverable.status
    deliverable.status = status
    deliverable.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="deliverable.status_changed",
        obj=deliverable,
        process=deliverable.process,
        data={"before": before, "after": status},
    )
    return deliverable


# --- Invitations -------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: Person,
    process: Process,
    email: str,
    role: str,
    name: str = "",
    stakeholder_group: StakeholderGroup | str | None = None,
    region: Region | str | None = None,
    development_status: str = "",
    organisation_name: str = "",
    capacity: str = Capacity.PERSONAL,
    message: str = "",
) -> tuple[Invitation, str]:
    """Invite someone by e-mail with a role; returns the invitation and its secret token.

    The e-mail is queued in the same transaction, so it goes out exactly when
    the invitation exists.
    """
    _require(policy.can_invite_member(actor, process))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": [_("“%(email)s” is not a valid e-mail address.") % {"email": email}]}
        ) from None
    _check_choice("role", role, Role)
    _check_choice("capacity", capacity, Capacity)
    _check_choice("development_status", development_status, DevelopmentStatus, blank=True)
    group = resolve_stakeholder_group(stakeholder_group)
    place = resolve_region(region)
    _check_categories(role, group, place)
    if Membership.objects.filter(process=process, person__email__iexact=email).exists():
        raise ValidationError(
            {"email": [_("%(email)s already has a role in this process.") % {"email": email}]}
        )
    now = timezone.now()
    pending = Invitation.objects.filter(
        process=process,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    if pending.exists():
        raise ValidationError(
            {
                "email": [
                    _("%(email)s already has a pending invitation; withdraw it first.")
                    % {"email": email}
                ]
            }
        )
    secret = new_secret()
    invitation = Invitation(
        process=process,
        email=email,
        name=(name or "").strip()[:200],
        role=role,
        stakeholder_group=group,
        region=place,
        development_status=development_status,
        organisation_name=(organisation_name or "").strip()[:200],
        capacity=capacity,
        message=(message or "").strip()[: settings.ROUNDTABLE["MAX_DECLARATION_CHARS"]],
        token_hash=secret_hash(secret),
        invited_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.ROUNDTABLE["INVITATION_VALID_DAYS"]),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        action="invitation.created",
        obj=invitation,
        process=process,
        data={"email": email, "role": role},
    )
    existing = Person.objects.filter(email__iexact=email).first()
    language = existing.preferred_language if existing else settings.LANGUAGE_CODE
    subject, text, html = mail_render(
        template="processes/email/invitation",
        context={
            "invitation": invitation,
            "process": process,
            "inviter": actor,
            "accept_url": settings.SITE_URL + reverse("processes:invitation_accept", args=[secret]),
            "role_label": invitation.get_role_display(),
        },
        language=language,
    )
    mail_queue(to=email, subject=subject, text=text, html=html, kind="invitation")
    return invitation, secret


@transaction.atomic
def invitation_revoke(*, actor: Person, invitation: Invitation) -> Invitation:
    _require(policy.can_invite_member(actor, invitation.process))
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="invitation.revoked", obj=invitation, process=invitation.process
    )
    return invitation


def invitation_for_token(secret: str) -> Invitation:
    """The invitation a link stands for, or a clear error saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("process", "stakeholder_group", "region")
        .filter(token_hash=secret_hash(secret or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _("This invitation link is not valid. Check that you copied the whole link.")
        )
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        raise ValidationError(
            _("This invitation has already been used. Log in with the account that accepted it.")
        )
    if status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation was withdrawn by the secretariat."))
    if status == Invitation.Status.EXPIRED:
        raise ValidationError(
            _("This invitation expired on %(date)s. Ask the secretariat for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")}
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    secret: str,
    person: Person | None = None,
    name: str = "",
    password: str = "",
) -> Membership:
    """Accept an invitation as the logged-in ``person``, or create an account.

    An existing account for the invited address must be logged in to accept,
    so nobody takes over an account by holding an invitation link.
    """
    invitation = invitation_for_token(secret)
    # Lock the row so two clicks cannot both accept.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if person is not None and person.is_authenticated:
        if person.email.lower() != invitation.email.lower():
            raise ValidationError(
                _(
                    "This invitation was sent to %(email)s, but you are logged in as "
                    "%(current)s. Log out first, or ask for an invitation to your address."
                )
                % {"email": invitation.email, "current": person.email}
            )
    else:
        if Person.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account for %(email)s already exists. Log in to accept the invitation.")
                % {"email": invitation.email}
            )
        name = (name or "").strip() or invitation.name
        errors: dict[str, list[str]] = {}
        if not name:
            errors["name"] = [_("Please give your name.")]
        candidate = Person(email=invitation.email, name=name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            errors["password"] = list(error.messages)
        if errors:
            raise ValidationError(errors)
        person = Person.objects.create_user(email=invitation.email, password=password, name=name)
    organisation = None
    if invitation.organisation_name:
        organisation, _created = Organisation.objects.get_or_create(
            name=invitation.organisation_name
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                person=person,
                process=invitation.process,
                role=invitation.role,
                stakeholder_group=invitation.stakeholder_group,
                region=invitation.region,
                development_status=invitation.development_status,
                organisation=organisation,
                capacity=invitation.capacity,
            )
    except IntegrityError:
        raise ValidationError(_("You already have a role in this process.")) from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=person,
        action="invitation.accepted",
        obj=membership,
        process=invitation.process,
        data={"invitation": invitation.pk, "role": invitation.role},
    )
    forget_memberships(person)
    return membership


# --- Memberships -------------------------------------------------------------


@transaction.atomic
def membership_create(
    *,
    actor: Person,
    process: Process,
    person: Person,
    role: str,
    stakeholder_group: StakeholderGroup | str | None = None,
    region: Region | str | None = None,
    development_status: str = "",
    organisation: Organisation | None = None,
    capacity: str = Capacity.PERSONAL,
    start_date: dt.date | None = None,
) -> Membership:
    """Give an existing person a role directly (used by the demo and imports)."""
    _require(policy.can_change_role(actor, process) or policy.can_create_process(actor))
    _check_choice("role", role, Role)
    _check_choice("capacity", capacity, Capacity)
    _check_choice("development_status", development_status, DevelopmentStatus, blank=True)
    group = resolve_stakeholder_group(stakeholder_group)
    place = resolve_region(region)
    _check_categories(role, group, place)
    if Membership.objects.filter(process=process, person=person).exists():
        raise ValidationError(
            {"person": [_("%(name)s already has a role in this process.") % {"name": person}]}
        )
    membership = Membership.objects.create(
        person=person,
        process=process,
        role=role,
        stakeholder_group=group,
        region=place,
        development_status=development_status,
        organisation=organisation,
        capacity=capacity,
        start_date=start_date or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action="membership.created",
        obj=membership,
        process=process,
        data={"person": person.pk, "role": role},
    )
    forget_memberships(person)
    return membership


@transaction.atomic
def membership_change_role(*, actor: Person, membership: Membership, role: str) -> Membership:
    """Change a role; the process keeps at least one secretariat member."""
    process = membership.process
    _require(policy.can_change_role(actor, process))
    _check_choice("role", role, Role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = membership.role
    if before == role:
        return membership
    _check_categories(role, membership.stakeholder_group, membership.region)
    if before == Role.SECRETARIAT:
        others = (
            Membership.objects.filter(process=process, role=Role.SECRETARIAT)
            .exclude(pk=membership.pk)
            .count()
        )
        if others == 0:
            raise ValidationError({"role": [_("A process needs at least one secretariat member.")]})
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership.role_changed",
        obj=membership,
        process=process,
        data={"person": membership.person_id, "before": before, "after": role},
    )
    forget_memberships(actor)
    forget_memberships(membership.person)
    return membership


@transaction.atomic
def membership_update_categories(
    *,
    actor: Person,
    membership: Membership,
    stakeholder_group: StakeholderGroup | str | None,
    region: Region | str | None,
    development_status: str = "",
) -> Membership:
    process = membership.process
    _require(policy.can_change_role(actor, process))
    _check_choice("development_status", development_status, DevelopmentStatus, blank=True)
    group = resolve_stakeholder_group(stakeholder_group)
    place = resolve_region(region)
    _check_categories(membership.role, group, place)
    before = {
        "stakeholder_group": membership.stakeholder_group.slug
        if membership.stakeholder_group
        else None,
        "region": membership.region.slug if membership.region else None,
        "development_status": membership.development_status,
    }
    membership.stakeholder_group = group
    membership.region = place
    membership.development_status = development_status
    membership.save(update_fields=["stakeholder_group", "region", "development_status"])
    audit_record(
        actor=actor,
        action="membership.categories_changed",
        obj=membership,
        process=process,
        data={
            "before": before,
            "after": {
                "stakeholder_group": group.slug if group else None,
                "region": place.slug if place else None,
                "development_status": development_status,
            },
        },
    )
    return membership


@transaction.atomic
def declaration_publish(
    *, actor: Person, membership: Membership, text: str
) -> DeclarationOfInterests:
    _require(policy.can_declare_interests(actor, membership))
    text = (text or "").strip()
    limit = settings.ROUNDTABLE["MAX_DECLARATION_CHARS"]
    if not text:
        raise ValidationError({"text": [_("The declaration cannot be empty.")]})
    if len(text) > limit:
        raise ValidationError(
            {"text": [_("Keep the declaration under %(limit)d characters.") % {"limit": limit}]}
        )
    declaration = DeclarationOfInterests.objects.create(membership=membership, text=text)
    audit_record(
        actor=actor,
        action="declaration.published",
        obj=declaration,
        process=membership.process,
    )
    return declaration


# --- Composition targets -------------------------------------------------------


@transaction.atomic
def composition_target_set(
    *,
    actor: Person,
    process: Process,
    dimension: str,
    category: str,
    min_percent: int | None = None,
    max_percent: int | None = None,
    min_count: int | None = None,
    max_count: int | None = None,
) -> CompositionTarget | None:
    """Set (or, with no limits, remove) the target for one category, named by slug."""
    _require(policy.can_edit_process(actor, process))
    _check_choice("dimension", dimension, Dimension)
    lookup: dict[str, Any] = {"process": process, "dimension": dimension}
    if dimension == Dimension.STAKEHOLDER_GROUP:
        lookup["stakeholder_group"] = resolve_stakeholder_group(category)
        if lookup["stakeholder_group"] is None:
            raise ValidationError({"category": [_("Choose a stakeholder group.")]})
    elif dimension == Dimension.REGION:
        lookup["region"] = resolve_region(category)
        if lookup["region"] is None:
            raise ValidationError({"category": [_("Choose a region.")]})
    else:
        _check_choice("category", category, DevelopmentStatus)
        lookup["development_status"] = category
    errors: dict[str, list[str]] = {}
    for field, value in (("min_percent", min_percent), ("max_percent", max_percent)):
        if value is not None and not 0 <= value <= 100:
            errors[field] = [_("A share is between 0 and 100 per cent.")]
    for field, value in (("min_count", min_count), ("max_count", max_count)):
        if value is not None and value < 0:
            errors[field] = [_("A count cannot be negative.")]
    if min_percent is not None and max_percent is not None and min_percent > max_percent:
        errors["max_percent"] = [_("The maximum share is below the minimum.")]
    if min_count is not None and max_count is not None and min_count > max_count:
        errors["max_count"] = [_("The maximum count is below the minimum.")]
    if errors:
        raise ValidationError(errors)
    limits = {
        "min_percent": min_percent,
        "max_percent": max_percent,
        "min_count": min_count,
        "max_count": max_count,
    }
    existing = CompositionTarget.objects.filter(**lookup).first()
    if all(value is None for value in limits.values()):
        if existing is not None:
            audit_record(
                actor=actor,
                action="composition_target.removed",
                obj=existing,
                process=process,
                data={"dimension": dimension, "category": category},
            )
            existing.delete()
        return None
    target = existing or CompositionTarget(**lookup)
    for field, value in limits.items():
        setattr(target, field, value)
    target.save()
    audit_record(
        actor=actor,
        action="composition_target.set",
        obj=target,
        process=process,
        data={"dimension": dimension, "category": category, **limits},
    )
    return target
