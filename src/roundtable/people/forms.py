from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import time_zone_choices


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)


class ApiTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        help_text=_("For example the name of the script or tool that will use it."),
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the e-mail queued in the outbox and in the person's language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader
        from django.utils import translation

        from roundtable.core.mail import mail_queue

        user = context.get("user")
        with translation.override(
            getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
        ):
            context = {**context, "site_name": settings.SITE_NAME}
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        mail_queue(to=to_email, subject=subject, text=body, kind="password_reset")


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
