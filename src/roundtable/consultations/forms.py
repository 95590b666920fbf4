from __future__ import annotations

import secrets
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import Region, StakeholderGroup

from .models import (
    Call,
    Outcome,
    PaperStatus,
    Publication,
    Reaction,
    RejectionReason,
)
from .services import Decision
from .services._common import target_choices

DEFAULT_MODERATION_RULES = _(
    "Submissions are read by the secretariat before they are published. We publish every "
    "submission on the subject of the call, whatever its view. We do not publish spam, "
    "advertising, personal attacks, threats, or personal data about other people; such "
    "submissions are rejected with the reason given to the author. If a submission needs a "
    "small change to be published, we ask the author to edit it."
)


def _group_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(g.slug, g.display_name) for g in StakeholderGroup.objects.all()]


def _region_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(r.slug, r.display_name) for r in Region.objects.all()]


def language_choices(codes: list[str] | None = None) -> list[tuple[str, str]]:
    names = {code: str(name) for code, name in settings.LANGUAGES}
    return [(code, names.get(code, code)) for code in (codes or names)]


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard); bots fill it in."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("What input is wanted, and why"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Say what the input will be used for and when."),
    )
    target = forms.ChoiceField(label=_("The call is about"), required=False)
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of these dates"),
        choices=zone_choices,
        help_text=_("Everyone sees the dates in their own time zone as well."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages accepted"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    publication = forms.ChoiceField(
        label=_("Submissions are published"),
        choices=Publication.choices,
        widget=forms.RadioSelect,
        initial=Publication.AUTHOR_CHOICE,
    )
    questions = forms.CharField(
        label=_("Questions (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One question per line; each is answered separately. Start a line with * to "
            "make an answer required."
        ),
    )
    moderation_rules = forms.CharField(
        label=_("Moderation rules"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=DEFAULT_MODERATION_RULES,
        help_text=_("Published on the call's page. Markdown."),
    )

    def __init__(self, *args: Any, process: Any, frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("The whole process")), *target_choices(process)]
        if frozen:
            for name, field in self.fields.items():
                if name != "closes_at":
                    field.disabled = True
            self.fields["closes_at"].help_text = _(
                "The call is open: its rules are frozen. Only the closing date can be extended."
            )

    def split_target(self) -> tuple[str, Any]:
        label, _sep, target_id = (self.cleaned_data.get("target") or "").partition(":")
        return label, (target_id or None)

    def question_list(self) -> list[dict[str, Any]]:
        questions = []
        for line in (self.cleaned_data.get("questions") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            required = line.startswith("*")
            questions.append({"text": line.lstrip("*").strip(), "required": required})
        return questions

    @staticmethod
    def questions_text(call: Call) -> str:
        return "\n".join(
            ("* " if question.required else "") + question.text for question in call.questions.all()
        )


class VerificationForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm it. No account is needed."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SubmissionForm(HoneypotMixin):
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation (if you write for one)"), max_length=200, required=False
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=_group_choices, required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=_region_choices, required=False)
    language = forms.ChoiceField(label=_("Language of your submission"))
    text = forms.CharField(
        label=_("Your comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("Markdown is allowed: *emphasis*, lists, links."),
    )
    attachments = MultipleFileField(label=_("Attach files (optional)"), required=False)
    consent_to_publish = forms.BooleanField(
        label=_("My submission may be published on this site"), required=False, initial=True
    )
    show_name = forms.BooleanField(
        label=_("Publish my name and organisation with it"), required=False, initial=True
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(
        self,
        *args: Any,
        call: Call,
        limits: dict[str, Any],
        editing: bool = False,
        attachments: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["language"].choices = language_choices(call.languages)
        self.fields["attachments"].help_text = (
            _(
                "PDF, DOCX, ODT or plain text; up to %(max_files)s files of %(max_size)s each. "
                "Files are checked by their content."
            )
            % limits
        )
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = secrets.token_urlsafe(24)
        if call.publication != Publication.AUTHOR_CHOICE:
            del self.fields["show_name"]
        self.question_fields = []
        for question in call.questions.all():
            name = f"answer_{question.pk}"
            self.fields[name] = forms.CharField(
                label=question.text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
                help_text=_("An answer is required.") if question.required else "",
            )
            self.question_fields.append(name)
        if editing:
            del self.fields["idempotency_key"]
            del self.fields["website"]
            self.fields["attachments"].label = _("Add files")
            self.fields["remove_attachments"] = forms.MultipleChoiceField(
                label=_("Remove files"),
                required=False,
                choices=[(str(a.pk), a.filename) for a in attachments or []],
                widget=forms.CheckboxSelectMultiple,
            )

    def answers(self) -> dict[int, str]:
        return {
            int(name.split("_", 1)[1]): self.cleaned_data.get(name, "")
            for name in self.question_fields
        }


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.APPROVE, _("Approve")),
            (Decision.REJECT, _("Reject")),
            (Decision.REQUEST_CHANGES, _("Ask the author to edit")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for rejecting"),
        choices=[("", "—"), *RejectionReason.choices],
        required=False,
    )
    message = forms.CharField(
        label=_("Message to the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when asking for edits; sent with a rejection too."),
    )


class DispositionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How the submission was considered and why. Markdown."),
    )
    links = forms.MultipleChoiceField(
        label=_("What changed because of it"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, process: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["links"].choices = target_choices(process)

    def link_pairs(self) -> list[tuple[str, str]]:
        return [
            tuple(value.split(":", 1))  # type: ignore[misc]
            for value in self.cleaned_data.get("links", [])
        ]


class GroupDispositionForm(DispositionForm):
    replace = forms.BooleanField(
        label=_("Also replace dispositions already recorded for copies in this group"),
        required=False,
    )


class ReactionForm(forms.Form):
    reaction = forms.ChoiceField(
        label=_("Your view of this disposition"),
        choices=Reaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Required if you object."),
    )


class PaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    authors = forms.CharField(label=_("Authors"), max_length=500)
    abstract = forms.CharField(
        label=_("Abstract"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    file = forms.FileField(label=_("The paper"), help_text=_("PDF, DOCX, ODT or plain text."))


class PaperManageForm(forms.Form):
    series = forms.ChoiceField(label=_("Series (gives the document symbol)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PaperStatus.choices)
    issues = forms.MultipleChoiceField(
        label=_("Issues it treats"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, paper: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from roundtable.agenda.models import PolicyIssue

        series = paper.process.paper_series.all()
        self.fields["series"].choices = [("", "—")] + [(str(s.pk), str(s)) for s in series]
        if paper.series_id:
            self.fields["series"].disabled = True
        self.fields["issues"].choices = [
            (str(issue.pk), issue.title)
            for issue in PolicyIssue.objects.filter(process=paper.process)
        ]


class PaperVersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    title = forms.CharField(label=_("Title in this language"), max_length=300, required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, ODT or plain text."))


class SeriesForm(forms.Form):
    prefix = forms.CharField(
        label=_("Symbol prefix"), max_length=40, help_text=_("For example WG/WP or WGIS/BP.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
