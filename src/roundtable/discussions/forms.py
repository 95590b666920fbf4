from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from roundtable.processes.models import AttributionRule

from . import conf
from .models import Archive, Delivery


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def read_uploads(files: list[Any]) -> list[tuple[str, bytes]]:
    """Uploaded files as (name, bytes); the size limit is enforced before reading all of it."""
    limit = conf.max_attachment_bytes()
    result = []
    for upload in files:
        content = upload.read(limit + 1)
        result.append((upload.name, content))
    return result


def _body_field() -> forms.CharField:
    return forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        help_text=_("Markdown: *emphasis*, **bold**, lists with -, links as [text](https://…)."),
        required=False,
    )


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    cluster = forms.TypedChoiceField(
        label=_("Cluster"), required=False, coerce=int, empty_value=None
    )
    body = _body_field()
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("PDF, office documents, plain text or images."),
    )

    def __init__(self, *args: Any, clusters: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("The whole process"))] + [
            (cluster.pk, cluster.title) for cluster in clusters
        ]


class ReplyForm(forms.Form):
    body = _body_field()
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("PDF, office documents, plain text or images."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class DeliveryForm(forms.Form):
    # Empty: no choice of its own here, the cluster's or the process's applies.
    delivery = forms.ChoiceField(
        label=_("Receive"), choices=[("", "-"), *Delivery.choices], required=False
    )
    cluster = forms.IntegerField(required=False, widget=forms.HiddenInput)
    thread = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SettingsForm(forms.Form):
    archive = forms.ChoiceField(label=_("Who may read the discussions"), choices=Archive.choices)
    attribution = forms.ChoiceField(
        label=_("Attribution"),
        choices=AttributionRule.choices,
        help_text=_(
            "Under the Chatham House Rule, people without a role in the process see "
            "“A participant” instead of the author's name."
        ),
    )
    moderate_first_posts = forms.BooleanField(
        label=_("First posts of new participants wait for approval"), required=False
    )
