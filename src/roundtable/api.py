"""The HTTP API: django-ninja at /api/, OpenAPI 3 at /api/openapi.json.

Every operation runs as a person or as the anonymous public:
``Authorization: Bearer rt_...`` (a personal API token) or the browser
session (with the CSRF check on writes). The apps' policies decide the rest,
exactly as for pages. Errors are JSON: ``{"message": ..., "errors": {field: [...]}}``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from roundtable.core.forms import validation_error_dict
from roundtable.people.services import person_for_api_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class PublicVisitor:
    """What authentication returns for the anonymous public (ninja needs a truthy value)."""

    def __bool__(self) -> bool:
        return True


class PersonAuth(HttpBearer):
    """Bearer token, else session (CSRF-checked on writes), else the anonymous public.

    Anonymous requests pass authentication on purpose: public data is public,
    and each operation's policy refuses what the public may not do. A wrong
    token is an error (401), never a silent fall-back to anonymous.
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, token = header.partition(" ")
            person = (
                self.authenticate(request, token.strip()) if scheme.lower() == "bearer" else None
            )
            if person is not None:
                request.user = person
            return person
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise HttpError(403, _("CSRF check failed. Reload the page and try again."))
            return user
        request.user = AnonymousUser()
        return PublicVisitor()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return person_for_api_token(token)


api = NinjaAPI(
    title="Roundtable API",
    version="1",
    description=(
        "Read processes, memberships and balance; the secretariat invites people and "
        "changes roles. Authenticate with a personal API token: `Authorization: Bearer rt_…`."
    ),
    auth=PersonAuth(),
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, message: str, errors: Any = None) -> HttpResponse:
    body: dict[str, Any] = {"message": message}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = validation_error_dict(error)
    first = next(iter(errors.values()))[0] if errors else _("Invalid input.")
    return _error(request, 400, str(first), errors)


@api.exception_handler(SchemaValidationError)
def on_schema_error(request: HttpRequest, error: SchemaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [
            str(part)
            for part in item.get("loc", [])
            if part not in ("body", "payload", "query", "path")
        ]
        errors.setdefault(".".join(location) or "__all__", []).append(str(item.get("msg", "")))
    return _error(request, 400, _("Some fields are missing or invalid."), errors)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    if not request.user.is_authenticated:
        return _error(request, 401, _("Log in or send an API token to do this."))
    return _error(request, 403, str(error) or _("You are not allowed to do this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("The API token is not valid or was revoked."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return _error(request, error.status_code, str(error))


def _register_routers() -> None:
    from roundtable.people.api import router as people_router
    from roundtable.processes.api import router as processes_router

    api.add_router("/", people_router)
    api.add_router("/processes", processes_router)
    # Apps built later register here, one line each, e.g.
    # api.add_router("/processes/{slug}/calls", consultations_router)
    for module_name in (
        "roundtable.agenda.api",
        "roundtable.meetings.api",
        "roundtable.consultations.api",
        "roundtable.drafting.api",
        "roundtable.discussions.api",
        "roundtable.surveys.api",
    ):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        module.register(api)


_register_routers()
