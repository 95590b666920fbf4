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


# --- Self sign-up for the public ------------------------------------------------

SIGN_UP_SALT = "roundtable.people.sign-up"


def person_sign_up(*, name: str, email: str, password: str, language: str) -> Person | None:
    """Register a member of the public; the account works once the address is verified.

    Whether an address already has an account is never revealed on the page:
    its owner gets an e-mail saying so instead of a verification link.
    Returns the new (inactive) person, or None when the address was taken.
    """
    from django.contrib.auth.password_validation import validate_password
    from django.core.validators import validate_email
    from django.urls import reverse

    from roundtable.core.mail import mail_queue, mail_render

    name = (name or "").strip()
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Please give your name.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("“%(email)s” is not a valid e-mail address.") % {"email": email}]
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    try:
        validate_password(password, user=Person(email=email, name=name))
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = Person.objects.select_for_update().filter(email__iexact=email).first()
        if existing is not None and not existing.is_active and existing.last_login is None:
            # Signed up before but never verified: start again with the new details.
            existing.name, existing.preferred_language = name, language
            existing.set_password(password)
            existing.save(update_fields=["name", "preferred_language", "password"])
            _send_verification(existing)
            return existing
        if existing is not None:
            subject, text, html = mail_render(
                template="people/email/already_registered",
                context={"person": existing, "login_url": settings.SITE_URL + reverse("login")},
                language=existing.preferred_language,
            )
            mail_queue(to=existing.email, subject=subject, text=text, html=html, kind="sign_up")
            return None
        person = Person.objects.create_user(
            email=email, password=password, name=name, preferred_language=language, is_active=False
        )
        _send_verification(person)
        audit_record(actor=person, action="person.signed_up", obj=person)
    return person


def _send_verification(person: Person) -> None:
    from django.core import signing
    from django.urls import reverse

    from roundtable.core.mail import mail_queue, mail_render

    token = signing.dumps({"person": person.pk, "email": person.email}, salt=SIGN_UP_SALT)
    subject, text, html = mail_render(
        template="people/email/verify",
        context={
            "person": person,
            "verify_url": settings.SITE_URL + reverse("people:verify_email", args=[token]),
            "valid_days": settings.ROUNDTABLE["SIGN_UP_LINK_VALID_DAYS"],
        },
        language=person.preferred_language,
    )
    mail_queue(to=person.email, subject=subject, text=text, html=html, kind="sign_up")


def person_verify_email(*, token: str) -> Person:
    """Activate the account a verification link stands for."""
    from django.core import signing

    max_age = settings.ROUNDTABLE["SIGN_UP_LINK_VALID_DAYS"] * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=SIGN_UP_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired. Sign up again to get a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This link is not valid. Check that you copied all of it.")
        ) from None
    with transaction.atomic():
        person = (
            Person.objects.select_for_update()
            .filter(pk=data.get("person"), email__iexact=data.get("email", ""))
            .first()
        )
        if person is None:
            raise ValidationError(_("This link is not valid. Check that you copied all of it."))
        if not person.is_active:
            person.is_active = True
            person.save(update_fields=["is_active"])
            audit_record(actor=person, action="person.email_verified", obj=person)
    return person
