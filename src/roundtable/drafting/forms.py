"""Forms of the drafting pages. Validation that matters lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    AmendmentKind,
    DocumentKind,
    ExportFormat,
    ExportView,
    Finding,
    Stance,
    Visibility,
)

TEXT_HELP = _(
    "Markdown: **bold**, *italic*, lists with “- ”. HTML is not accepted. Square brackets "
    "must open and close."
)


def _textarea(rows: int = 6, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "dir": "auto", **attrs})


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Visibility.choices)
    summary = forms.CharField(
        label=_("Summary"), widget=_textarea(4), required=False, help_text=TEXT_HELP
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=300)
    cluster = forms.TypedChoiceField(
        label=_("Cluster of policy issues"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, clusters: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", "—")] + [(c.pk, c.title) for c in clusters]


class ParagraphForm(forms.Form):
    text = forms.CharField(
        label=_("Paragraph text"), widget=_textarea(8), help_text=TEXT_HELP, strip=False
    )
    is_recommendation = forms.BooleanField(
        label=_("This paragraph is a recommendation"), required=False
    )
    reason = forms.CharField(
        label=_("Why (shown in the history)"), widget=_textarea(2), required=False
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    after = forms.TypedChoiceField(
        label=_("Place it after"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, after_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if after_choices is None:
            del self.fields["after"]
        else:
            self.fields["after"].choices = [("", _("the start of the section")), *after_choices]


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why is it removed?"), widget=_textarea(2))
    base_version = forms.IntegerField(widget=forms.HiddenInput)


class AlternativesForm(forms.Form):
    lead = forms.CharField(
        label=_("Lead-in text (optional when there are options)"),
        widget=_textarea(3),
        required=False,
        strip=False,
    )
    reason = forms.CharField(
        label=_("Why (shown in the history)"), widget=_textarea(2), required=False
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, slots: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .services.base import option_label

        for index in range(slots):
            self.fields[f"option_{index}"] = forms.CharField(
                label=_("Option %(label)s") % {"label": option_label(index)},
                widget=_textarea(3),
                required=False,
                strip=False,
            )

    def options(self) -> list[str]:
        return [
            self.cleaned_data.get(name, "") for name in self.fields if name.startswith("option_")
        ]


class BracketForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you ask for brackets? (optional)"), widget=_textarea(2), required=False
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=_textarea(3))


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you propose?"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Proposed text"),
        widget=_textarea(8),
        required=False,
        help_text=TEXT_HELP,
        strip=False,
    )
    rationale = forms.CharField(label=_("Rationale"), widget=_textarea(3))
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    after = forms.TypedChoiceField(
        label=_("Insert after"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: Any, insert: bool = False, after_choices: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if insert:
            self.fields["kind"].choices = [(AmendmentKind.INSERT, AmendmentKind.INSERT.label)]
            self.fields["kind"].initial = AmendmentKind.INSERT
            self.fields["after"].choices = [("", _("the start of the section"))] + (
                after_choices or []
            )
        else:
            self.fields["kind"].choices = [
                (k, k.label)
                for k in (AmendmentKind.REPLACE, AmendmentKind.ALTERNATIVE, AmendmentKind.DELETE)
            ]
            self.fields["kind"].initial = AmendmentKind.REPLACE
            del self.fields["after"]


class ReviseForm(forms.Form):
    text = forms.CharField(
        label=_("Proposed text"), widget=_textarea(8), required=False, strip=False
    )
    rationale = forms.CharField(label=_("Rationale"), widget=_textarea(3))
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PositionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your position"), choices=Stance.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment (optional)"), widget=_textarea(2), required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required to decline)"), widget=_textarea(2), required=False
    )


def member_choices(memberships: Any) -> list[tuple[int, str]]:
    """Members for the chair's forms. The chair sees names here: the record keeps
    them only through the attribution rule."""
    return [
        (
            m.pk,
            f"{m.person.name} — {m.stakeholder_group.display_name}"
            if m.stakeholder_group
            else m.person.name,
        )
        for m in memberships
    ]


class ConsensusForm(forms.Form):
    finding = forms.ChoiceField(
        label=_("Finding"), choices=Finding.choices, widget=forms.RadioSelect
    )
    adopted_option = forms.ChoiceField(label=_("Option adopted"), required=False)
    objections = forms.TypedMultipleChoiceField(
        label=_("Objecting members (rough consensus)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objection_reason = forms.CharField(
        label=_("The objections, in brief"), widget=_textarea(2), required=False
    )
    ad_referendum = forms.TypedMultipleChoiceField(
        label=_("Agreed ad referendum: members who must confirm with their principals"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Explanatory note (required when there is no consensus)"),
        widget=_textarea(3),
        required=False,
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, members: Any = (), options: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = member_choices(members)
        self.fields["objections"].choices = choices
        self.fields["ad_referendum"].choices = choices
        if options:
            self.fields["adopted_option"].choices = [("", "—")] + [(o, o) for o in options]
        else:
            del self.fields["adopted_option"]


class MinorityStatementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Statement"), widget=_textarea(10), help_text=TEXT_HELP)


class SilenceForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Deadline (your time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    message = forms.CharField(label=_("Message to members"), widget=_textarea(3), required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Your objection"), widget=_textarea(3))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2))


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, widget=forms.RadioSelect
    )
    view = forms.ChoiceField(label=_("View"), choices=ExportView.choices, widget=forms.RadioSelect)
    revision = forms.TypedChoiceField(label=_("Revision"), coerce=int)

    def __init__(self, *args: Any, revisions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].choices = revisions
