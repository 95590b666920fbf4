from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .assessment import SLUG as ASSESSMENT_SLUG
from .models import ResultsAudience


class DateInput(forms.DateInput):
    input_type = "date"


class SurveyCreateForm(forms.Form):
    SOURCES = [
        (ASSESSMENT_SLUG, _("The built-in partnership assessment")),
        ("upload", _("My own XLSForm (upload an .xlsx file)")),
    ]
    source = forms.ChoiceField(
        label=_("Start from"), choices=SOURCES, widget=forms.RadioSelect, initial=ASSESSMENT_SLUG
    )
    file = forms.FileField(
        label=_("XLSForm file"),
        required=False,
        help_text=_("An .xlsx file with “survey”, “choices” and “settings” sheets."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the form's own title."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source") == "upload" and not data.get("file"):
            self.add_error("file", _("Choose the XLSForm file to upload."))
        return data


class SurveySettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. Shown to respondents before the first question."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=DateInput,
        help_text=_("Answers are accepted until the end of this day. Leave empty for no date."),
    )
    min_cell = forms.IntegerField(
        label=_("Smallest group shown"),
        min_value=1,
        help_text=_(
            "In breakdowns by group, any figure for fewer respondents than this is hidden. "
            "Fixed once the survey opens."
        ),
    )
    open_link = forms.BooleanField(
        label=_("Open link: anyone with the survey's link may answer, without an invitation"),
        required=False,
    )


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))


class InvitationsForm(forms.Form):
    AUDIENCES = [
        ("", _("Only the addresses below")),
        ("members", _("Every member, plus the addresses below")),
        (
            "participants",
            _("Every participant (chair, secretariat, members, observers) and the addresses below"),
        ),
    ]
    audience = forms.ChoiceField(
        label=_("Invite"),
        choices=AUDIENCES,
        required=False,
        widget=forms.RadioSelect,
        initial="members",
    )
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, or separated by commas."),
    )

    def addresses(self) -> list[str]:
        raw = self.cleaned_data.get("emails") or ""
        return [part for part in raw.replace(",", "\n").replace(";", "\n").split() if part]


class PublishForm(forms.Form):
    audience = forms.ChoiceField(label=_("Results visible to"), choices=ResultsAudience.choices)


class CopyForm(forms.Form):
    title = forms.CharField(label=_("Title of the copy"), max_length=200, required=False)
