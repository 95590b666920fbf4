from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error

from . import services
from .forms import ApiTokenForm, ProfileForm
from .models import ApiToken


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "name": person.name,
            "preferred_language": person.preferred_language,
            "time_zone": person.time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_profile(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            response = redirect("people:profile")
            # The language chosen here replaces any earlier switcher choice.
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
            return response
    memberships = person.memberships.select_related("process", "stakeholder_group", "region")
    return render(request, "people/profile.html", {"form": form, "memberships": memberships})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.api_token_create(
                person=request.user, label=form.cleaned_data["label"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "people/api_tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, person=request.user)
    services.api_token_revoke(person=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("people:api_tokens")


def sign_up(request: HttpRequest) -> HttpResponse:
    from django.conf import settings
    from django.http import Http404
    from django.utils.translation import get_language

    from .forms import SignUpForm

    if not settings.ROUNDTABLE["ALLOW_SIGN_UP"]:
        raise Http404
    if request.user.is_authenticated:
        return redirect("people:profile")
    form = SignUpForm(request.POST or None, initial={"preferred_language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_sign_up(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                language=form.cleaned_data["preferred_language"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            # The same answer whether or not the address was already registered.
            return render(
                request, "people/sign_up_sent.html", {"email": form.cleaned_data["email"]}
            )
    return render(
        request, "people/sign_up.html", {"form": form}, status=400 if form.errors else 200
    )


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    from django.contrib.auth import login

    try:
        person = services.person_verify_email(token=token)
    except ValidationError as error:
        return render(request, "people/verify_failed.html", {"errors": error.messages}, status=400)
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your address is verified. Welcome!"))
    return redirect("core:home")
