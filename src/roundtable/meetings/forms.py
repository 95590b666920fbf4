"""Forms for the meetings pages. Validation that needs the database is in the services."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import Region, StakeholderGroup, time_zone_choices
from roundtable.processes.models import AttributionRule

from . import conf
from .models import AttendanceMode, Session, SessionFormat, SessionKind


class WallClockField(forms.DateTimeField):
    """A date and time as read on a clock, kept naive: the service turns it into UTC in the
    chosen zone and refuses times that do not exist or happen twice there."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            raise forms.ValidationError(
                _("Enter a date and time like 2026-03-14 09:30."), code="invalid"
            ) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


def wall_clock(value: dt.datetime, zone_name: str) -> dt.datetime:
    """A stored UTC time as the clock in ``zone_name`` shows it (for editing)."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return value.astimezone(zone).replace(tzinfo=None)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of session"),
        choices=SessionKind.choices,
        help_text=_(
            "Closed working session: members, chair and secretariat. Plenary: observers attend "
            "too, without the right to speak. Open consultation: anyone who registers."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=SessionFormat.choices)
    room_name = forms.CharField(
        label=_("Room or place"),
        max_length=200,
        required=False,
        help_text=_("Needed in person or hybrid. Two sessions cannot overlap in one room."),
    )
    room_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    online_url = forms.CharField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        help_text=_("Needed online or hybrid. Shown only to those who may attend."),
        widget=forms.URLInput,
    )
    start = WallClockField(label=_("Starts"))
    end = WallClockField(label=_("Ends"))
    time_zone = forms.ChoiceField(
        label=_("Time zone of these times"),
        choices=time_zone_choices,
        help_text=_("Usually the venue's. Everyone sees the times in their own time zone."),
    )
    attribution_rule = forms.ChoiceField(
        label=_("Attribution rule"),
        choices=AttributionRule.choices,
        help_text=_(
            "Under the Chatham House Rule, what is said may be used, but no speaker is named "
            "or identified by affiliation in anything published."
        ),
    )
    speaking_minutes = forms.DecimalField(
        label=_("Speaking time per turn (minutes)"),
        min_value=0.5,
        max_digits=5,
        decimal_places=1,
        initial=3,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room_name"].widget.attrs["list"] = "room-names"
        self.fields["speaking_minutes"].max_value = conf.max_speaking_seconds() / 60
        self.fields["speaking_minutes"].widget.attrs.update({"step": "0.5"})

    @classmethod
    def initial_for(cls, session: Session | None, process: Any) -> dict[str, Any]:
        if session is None:
            return {
                "time_zone": timezone.get_current_timezone_name(),
                "attribution_rule": process.default_attribution,
                "speaking_minutes": conf.default_speaking_seconds() / 60,
                "kind": SessionKind.PLENARY,
            }
        return {
            "title": session.title,
            "kind": session.kind,
            "format": session.format,
            "room_name": session.room.name if session.room_id else "",
            "room_address": session.room.address if session.room_id else "",
            "online_url": session.online_url,
            "start": wall_clock(session.start, session.time_zone),
            "end": wall_clock(session.end, session.time_zone),
            "time_zone": session.time_zone,
            "attribution_rule": session.attribution_rule,
            "speaking_minutes": session.default_speaking_seconds / 60,
            "description": session.description,
        }

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["default_speaking_seconds"] = round(float(data.pop("speaking_minutes")) * 60)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to everyone invited)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def document_choices(process: Any) -> list[tuple[str, str]]:
    """Documents of the process an agenda item may point at, from the models the setting names.

    Looked up through the app registry, so this app never imports the drafting app.
    """
    choices: list[tuple[str, str]] = []
    for label in conf.document_models():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        field_names = {field.name for field in model._meta.get_fields()}
        queryset = model.objects.all()
        if "process" in field_names:
            queryset = queryset.filter(process=process)
        for obj in queryset.order_by("pk")[:500]:
            choices.append((f"{label}:{obj.pk}", str(obj)))
    return choices


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_minutes = forms.IntegerField(
        label=_("Planned minutes"), required=False, min_value=1, max_value=24 * 60
    )
    cluster = forms.TypedChoiceField(
        label=_("Cluster"), required=False, coerce=int, empty_value=None
    )
    policy_issue = forms.TypedChoiceField(
        label=_("Policy issue"), required=False, coerce=int, empty_value=None
    )
    document = forms.ChoiceField(label=_("Document"), required=False)

    def __init__(self, *args: Any, process: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["cluster"].choices = blank + [
            (cluster.pk, cluster.title) for cluster in process.clusters.all()
        ]
        self.fields["policy_issue"].choices = blank + [
            (issue.pk, issue.title)
            for issue in process.policy_issues.exclude(status__in=["merged", "withdrawn"])
        ]
        documents = document_choices(process)
        if documents:
            self.fields["document"].choices = blank + documents
        else:
            del self.fields["document"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "document" in data:
            raw = data.pop("document")
            label, _sep, pk = (raw or "").rpartition(":")
            data["document"] = (label, int(pk)) if raw and pk.isdigit() else None
        return data


class RegistrationForm(forms.Form):
    mode = forms.ChoiceField(label=_("I will attend"), choices=AttendanceMode.choices)
    stakeholder_group = forms.ChoiceField(label=_("Stakeholder group"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    def __init__(self, *args: Any, session: Session, ask_categories: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        modes = {
            SessionFormat.IN_PERSON: [AttendanceMode.IN_PERSON],
            SessionFormat.ONLINE: [AttendanceMode.REMOTE],
            SessionFormat.HYBRID: [AttendanceMode.IN_PERSON, AttendanceMode.REMOTE],
        }[session.format]
        self.fields["mode"].choices = [(m.value, m.label) for m in modes]
        if ask_categories:
            self.fields["stakeholder_group"].choices = [("", _("Prefer not to say"))] + [
                (g.slug, g.display_name) for g in StakeholderGroup.objects.all()
            ]
            self.fields["region"].choices = [("", _("Prefer not to say"))] + [
                (r.slug, r.display_name) for r in Region.objects.all()
            ]
            self.fields["stakeholder_group"].help_text = _(
                "Used only to measure the balance of the room, never shown with your name."
            )
        else:
            for name in ("stakeholder_group", "region", "organisation_name"):
                del self.fields[name]


class GrantForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput, required=False)
    time_limit_minutes = forms.DecimalField(
        label=_("Time limit (minutes)"), min_value=0.5, max_digits=5, decimal_places=1
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_limit_minutes"].widget.attrs.update({"step": "0.5"})
        self.fields["time_limit_minutes"].max_value = conf.max_speaking_seconds() / 60


class StatementForm(forms.Form):
    prefix = "statement"  # shares the editor page with the transcript form
    speaker = forms.TypedChoiceField(label=_("Speaker"), coerce=int)
    agenda_item = forms.TypedChoiceField(
        label=_("Agenda item"), required=False, coerce=int, empty_value=None
    )
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(
        self, *args: Any, speakers: list[tuple[int, str]], items: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = [("", "—"), *speakers]
        self.fields["agenda_item"].choices = [("", _("General"))] + [
            (item.pk, item.title) for item in items
        ]
        self.fields["text"].max_length = conf.max_statement_chars()


class StatementEditForm(forms.Form):
    agenda_item = forms.TypedChoiceField(
        label=_("Agenda item"), required=False, coerce=int, empty_value=None
    )
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", _("General"))] + [
            (item.pk, item.title) for item in items
        ]


class TranscriptForm(forms.Form):
    prefix = "transcript"
    transcript = forms.FileField(
        label=_("Transcript file"),
        required=False,
        help_text=_("Plain text (UTF-8), one “Speaker: text” line per statement."),
    )
    text = forms.CharField(
        label=_("Or paste the transcript"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    agenda_item = forms.TypedChoiceField(
        label=_("Agenda item"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", _("General"))] + [
            (item.pk, item.title) for item in items
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("transcript") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a transcript file or paste the text."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    due_date = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *owners]


class ObserverApplicationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    stakeholder_group = forms.ChoiceField(label=_("Stakeholder group"), required=False)
    session = forms.TypedChoiceField(
        label=_("What you wish to observe"), required=False, coerce=int, empty_value=None
    )
    purpose = forms.CharField(
        label=_("Why you wish to observe"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, plenaries: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_group"].choices = [("", "—")] + [
            (g.slug, g.display_name) for g in StakeholderGroup.objects.all()
        ]
        self.fields["session"].choices = [("", _("The whole process (all plenary sessions)"))] + [
            (s.pk, s.title) for s in plenaries
        ]


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
