"""Writes about people: preferences and personal API tokens."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record

from .middleware import resolve_time_zone
from .models import ApiToken, Person
from .tokens import new_secret, secret_hash

API_TOKEN_PREFIX = "rt_"  # noqa: S105 - a public prefix, not a secret


def person_set_language(*, person: Person, language: str) -> None:
    if language in dict(settings.LANGUAGES) and person.preferred_language != language:
        Person.objects.filter(pk=person.pk).update(preferred_language=language)
        person.preferred_language = language


@transaction.atomic
def person_update_profile(
    *, person: Person, name: str, preferred_language: str, time_zone: str
) -> Person:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Please give your name.")]
    if preferred_language not in dict(settings.LANGUAGES):
        errors["preferred_language"] = [_("Choose one of the listed languages.")]
    if resolve_time_zone(time_zone) is None:
        errors["time_zone"] = [_("“%(zone)s” is not a known time zone.") % {"zone": time_zone}]
    if errors:
        raise ValidationError(errors)
    person.name = name
    person.preferred_language = preferred_language
    person.time_zone = time_zone
    person.save(update_fields=["name", "preferred_language", "time_zone"])
    return person


@transaction.atomic
def api_token_create(*, person: Person, label: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored."""
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [_("Give the token a label so you can recognise it.")]})
    limit = settings.ROUNDTABLE["MAX_API_TOKENS_PER_PERSON"]
    if person.api_tokens.filter(revoked_at__isnull=True).count() >= limit:
        raise ValidationError(
            _("You already have %(limit)d active tokens; revoke one first.") % {"limit": limit}
        )
    secret = new_secret(API_TOKEN_PREFIX)
    token = ApiToken.objects.create(
        person=person, label=label[:100], prefix=secret[:10], token_hash=secret_hash(secret)
    )
    audit_record(actor=person, action="api_token.created", obj=token)
    return token, secret


@transaction.atomic
def api_token_revoke(*, person: Person, token: ApiToken) -> None:
    if token.person_id != person.pk:
        raise ValidationError(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=person, action="api_token.revoked", obj=token)


def person_for_api_token(secret: str) -> Person | None:
    """The active person a bearer token belongs to, or None."""
    if not secret or not secret.startswith(API_TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(token_hash=secret_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
