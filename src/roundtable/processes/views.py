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
from roundtable.people.models import Person, Region, StakeholderGroup

from . import policy, selectors, services
from .forms import (
    AcceptInvitationForm,
    CategoriesForm,
    DeclarationForm,
    DeliverableForm,
    InvitationForm,
    NewProcessForm,
    ProcessForm,
    RoleForm,
    TargetForm,
)
from .models import DeliverableStatus, Invitation, Membership, Process, Role
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
    has_account = not logged_in and Person.objects.filter(email__iexact=invitation.email).exists()
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


def process_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat edits the mandate, dates, languages, rules and deliverables."""
    process = process_for(request, slug)
    require(policy.can_edit_process(request.user, process))
    initial = {field: getattr(process, field) for field in services.PROCESS_EDITABLE_FIELDS}
    form = ProcessForm(request.POST if "save_process" in request.POST else None, initial=initial)
    deliverable_form = DeliverableForm(request.POST if "add_deliverable" in request.POST else None)
    if request.method == "POST":
        try:
            if "save_process" in request.POST and form.is_valid():
                changes = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != v}
                if changes:
                    services.process_update(actor=request.user, process=process, **changes)
                messages.success(request, _("The process settings were saved."))
                return redirect("processes:settings", slug=process.slug)
            if "add_deliverable" in request.POST and deliverable_form.is_valid():
                services.deliverable_create(
                    actor=request.user, process=process, **deliverable_form.cleaned_data
                )
                messages.success(request, _("The deliverable was added."))
                return redirect("processes:settings", slug=process.slug)
            if "deliverable_status" in request.POST:
                deliverable = get_object_or_404(
                    process.deliverables, pk=request.POST.get("deliverable")
                )
                services.deliverable_set_status(
                    actor=request.user,
                    deliverable=deliverable,
                    status=request.POST.get("deliverable_status", ""),
                )
                messages.success(request, _("The deliverable's status was changed."))
                return redirect("processes:settings", slug=process.slug)
        except ValidationError as error:
            if "deliverable_status" in request.POST:
                messages.error(request, " ".join(error.messages))
                return redirect("processes:settings", slug=process.slug)
            apply_validation_error(
                deliverable_form if "add_deliverable" in request.POST else form, error
            )
    return render(
        request,
        "processes/settings.html",
        {
            "process": process,
            "form": form,
            "deliverable_form": deliverable_form,
            "deliverables": process.deliverables.all(),
            "statuses": DeliverableStatus.choices,
            "nav_current": "settings",
        },
        status=400 if (form.errors or deliverable_form.errors) else 200,
    )


def process_new(request: HttpRequest) -> HttpResponse:
    """A site administrator opens a new process and names its secretariat."""
    require(policy.can_create_process(request.user))
    form = NewProcessForm(
        request.POST or None, initial={"access": "public", "default_attribution": "chatham_house"}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        secretariat = Person.objects.filter(email__iexact=data.pop("secretariat_email")).first()
        if secretariat is None:
            form.add_error(
                "secretariat_email",
                _("There is no account with this address. Ask the person to sign up first."),
            )
        else:
            try:
                process = services.process_create(
                    actor=request.user, secretariat=secretariat, **data
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The process was created."))
                return redirect(process)
    return render(request, "processes/new.html", {"form": form}, status=400 if form.errors else 200)
