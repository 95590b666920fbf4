from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.audit.selectors import audit_entries_for_process
from roundtable.core.forms import apply_validation_error
from roundtable.people.models import Region, StakeholderGroup

from . import policy, selectors, services
from .forms import (
    AcceptInvitationForm,
    CategoriesForm,
    DeclarationForm,
    InvitationForm,
    RoleForm,
    TargetForm,
)
from .models import Invitation, Membership, Process, Role
from .roles import membership_of


def process_for(request: HttpRequest, slug: str) -> Process:
    """The process, or 404 for anyone who may not see it (its existence included)."""
    process = get_object_or_404(Process, slug=slug)
    if not policy.can_view_process(request.user, process):
        raise Http404
    return process


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def home(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    context = {
        "process": process,
        "deliverables": process.deliverables.all(),
        "my_membership": membership_of(request.user, process),
        "nav_current": "home",
        **selectors.members_grouped(process=process),
    }
    return render(request, "processes/home.html", context)


def directory(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_member_directory(request.user, process))
    group = request.GET.get("stakeholder_group") or None
    region = request.GET.get("region") or None
    role = request.GET.get("role") or None
    if role and role not in Role.values:
        role = None
    memberships = selectors.member_directory(
        process=process, stakeholder_group=group, region=region, role=role
    )
    page = Paginator(memberships, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "processes/directory.html",
        {
            "process": process,
            "page": page,
            "groups": StakeholderGroup.objects.all(),
            "regions": Region.objects.all(),
            "roles": Role.choices,
            "selected": {"stakeholder_group": group, "region": region, "role": role},
            "can_change_role": policy.can_change_role(request.user, process),
            "nav_current": "members",
        },
    )


def member(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    process = process_for(request, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("person", "stakeholder_group", "region", "organisation"),
        pk=membership_id,
        process=process,
    )
    require(policy.can_view_member_page(request.user, membership))
    can_declare = policy.can_declare_interests(request.user, membership)
    can_change_role = policy.can_change_role(request.user, process)
    declaration_form = DeclarationForm(request.POST or None) if can_declare else None
    if request.method == "POST":
        require(can_declare)
        if declaration_form.is_valid():
            try:
                services.declaration_publish(
                    actor=request.user,
                    membership=membership,
                    text=declaration_form.cleaned_data["text"],
                )
            except ValidationError as error:
                apply_validation_error(declaration_form, error)
            else:
                messages.success(request, _("Your declaration of interests was published."))
                return redirect(membership)
    return render(
        request,
        "processes/member.html",
        {
            "process": process,
            "membership": membership,
            "nav_current": "members",
            "declarations": membership.declarations.all(),
            "declaration_form": declaration_form,
            "can_change_role": can_change_role,
            "role_form": RoleForm(initial={"role": membership.role}) if can_change_role else None,
            "categories_form": CategoriesForm(
                initial={
                    "stakeholder_group": membership.stakeholder_group.slug
                    if membership.stakeholder_group
                    else "",
                    "region": membership.region.slug if membership.region else "",
                    "development_status": membership.development_status,
                }
            )
            if can_change_role
            else None,
        },
        status=400 if declaration_form is not None and declaration_form.errors else 200,
    )


@require_POST
def member_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_change_role(request.user, process))
    membership = get_object_or_404(Membership, pk=membership_id, process=process)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": membership.person.name, "role": Role(form.cleaned_data["role"]).label},
            )
    else:
        messages.error(request, _("Choose a role from the list."))
    return redirect(membership)


@require_POST
def member_categories(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_change_role(request.user, process))
    membership = get_object_or_404(Membership, pk=membership_id, process=process)
    form = CategoriesForm(request.POST)
    if form.is_valid():
        try:
            services.membership_update_categories(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The member's categories were saved."))
    else:
        messages.error(request, _("Choose values from the lists."))
    return redirect(membership)


def balance(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_balance(request.user, process))
    return render(
        request,
        "processes/balance.html",
        {
            "process": process,
            "balance": selectors.process_balance(process=process),
            "can_edit": policy.can_edit_process(request.user, process),
            "nav_current": "balance",
        },
    )


def targets(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_edit_process(request.user, process))
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dimension, category = form.split_category()
            services.composition_target_set(
                actor=request.user,
                process=process,
                dimension=dimension,
                category=category,
                min_percent=form.cleaned_data["min_percent"],
                max_percent=form.cleaned_data["max_percent"],
                min_count=form.cleaned_data["min_count"],
                max_count=form.cleaned_data["max_count"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("processes:targets", slug=process.slug)
    return render(
        request,
        "processes/targets.html",
        {
            "process": process,
            "form": form,
            "targets": process.composition_targets.select_related("stakeholder_group", "region"),
            "nav_current": "balance",
        },
        status=400 if form.errors else 200,
    )


def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_invitations(request.user, process))
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        require(policy.can_invite_member(request.user, process))
        if form.is_valid():
            try:
                invitation, _secret = services.invitation_create(
                    actor=request.user, process=process, **form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("processes:invitations", slug=process.slug)
    page = Paginator(selectors.invitations_for(process=process), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "processes/invitations.html",
        {"process": process, "form": form, "page": page, "nav_current": "invitations"},
        status=400 if form.errors else 200,
    )


@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_invite_member(request.user, process))
    invitation = get_object_or_404(Invitation, pk=invitation_id, process=process)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The invitation was withdrawn."))
    return redirect("processes:invitations", slug=process.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return render(
            request, "processes/invitation_invalid.html", {"errors": error.messages}, status=400
        )
    logged_in = request.user.is_authenticated
    form = (
        None
        if logged_in
        else AcceptInvitationForm(request.POST or None, initial={"name": invitation.name})
    )
    errors: list[str] = []
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                secret=token,
                person=request.user if logged_in else None,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except ValidationError as error:
            if form is not None:
                apply_validation_error(form, error)
            else:
                errors = error.messages
        else:
            if not logged_in:
                login(
                    request, membership.person, backend="django.contrib.auth.backends.ModelBackend"
                )
            messages.success(
                request,
                _("Welcome to %(process)s. You are now %(role)s.")
                % {"process": membership.process.name, "role": membership.get_role_display()},
            )
            return redirect(membership.process)
    has_account = (
        not logged_in and services.Person.objects.filter(email__iexact=invitation.email).exists()
    )
    return render(
        request,
        "processes/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "errors": errors,
            "has_account": has_account,
        },
        status=400 if (errors or (form is not None and form.errors)) else 200,
    )


def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_audit_log(request.user, process))
    page = Paginator(audit_entries_for_process(process_id=process.pk), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "processes/audit_log.html",
        {"process": process, "page": page, "nav_current": "audit"},
    )
