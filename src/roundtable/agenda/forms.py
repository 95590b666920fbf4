from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import StakeholderGroup

from . import conf
from .models import Cluster, IssueStatus, PolicyIssue


def _group_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(g.slug, g.display_name) for g in StakeholderGroup.objects.all()]


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("Not stated"))] + [(code, name) for code, name in settings.LANGUAGES]


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, strip=True)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        required=False,
        help_text=_("Why this is a public policy issue, and for whom. Markdown."),
    )
    references = forms.CharField(
        label=_("Supporting references"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        required=False,
        help_text=_("Documents, studies or links that support the proposal. Markdown."),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"), choices=_language_choices, required=False
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Your stakeholder group"),
        choices=_group_choices,
        required=False,
        help_text=_("Proposals are counted by stakeholder group. Individuals: civil society."),
    )

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["dir"] = "auto"
        if not public:
            del self.fields["stakeholder_group"]


class CallForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the call asks for, shown above the proposal form. Markdown."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (IssueStatus.PROPOSED, IssueStatus.PROPOSED.label),
            (IssueStatus.ACCEPTED, IssueStatus.ACCEPTED.label),
            (IssueStatus.WITHDRAWN, IssueStatus.WITHDRAWN.label),
        ],
    )


def issue_choices(issues: Iterable[PolicyIssue], blank: str = "—") -> list[tuple[str, str]]:
    return [("", blank)] + [(str(issue.pk), f"#{issue.pk} {issue.title}") for issue in issues]


class MergeForm(forms.Form):
    into = forms.ChoiceField(label=_("Merge this issue into"))

    def __init__(self, *args: Any, issues: Iterable[PolicyIssue] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = issue_choices(issues)


def cluster_choices(clusters: Iterable[Cluster], blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(c.pk), c.title) for c in clusters]


class IssueClusterForm(forms.Form):
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)

    def __init__(self, *args: Any, clusters: Iterable[Cluster] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = cluster_choices(clusters, str(_("No cluster")))


def person_choices(memberships: Iterable[Any], blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    for membership in memberships:
        label = membership.person.name
        if membership.stakeholder_group:
            label = f"{label} ({membership.stakeholder_group.display_name})"
        choices.append((str(membership.person_id), label))
    return choices


class ClusterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    coordinator = forms.ChoiceField(label=_("Coordinator"), required=False)

    def __init__(self, *args: Any, candidates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = person_choices(candidates, str(_("No coordinator")))


class TeamForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=_("Drafting team"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, candidates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = person_choices(candidates)


class AssignForm(forms.Form):
    """Put several issues in a cluster (the issue list and the cluster page)."""

    issues = forms.MultipleChoiceField(
        label=_("Issues"), widget=forms.CheckboxSelectMultiple, required=False
    )
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)

    def __init__(
        self,
        *args: Any,
        issues: Iterable[PolicyIssue] = (),
        clusters: Iterable[Cluster] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issues"].choices = [(str(i.pk), f"#{i.pk} {i.title}") for i in issues]
        self.fields["cluster"].choices = cluster_choices(clusters, str(_("No cluster")))


class SuggestForm(forms.Form):
    clusters = forms.IntegerField(
        label=_("Number of clusters"),
        required=False,
        min_value=2,
        help_text=_("Leave empty to let Roundtable choose from the texts."),
    )
    only_unclustered = forms.BooleanField(
        label=_("Only issues not yet in a cluster"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clusters"].max_value = conf.max_suggested_clusters()
        self.fields["clusters"].widget.attrs["max"] = conf.max_suggested_clusters()


class AcceptForm(forms.Form):
    issues = forms.MultipleChoiceField(
        label=_("Issues to keep"), widget=forms.CheckboxSelectMultiple, required=False
    )
    title = forms.CharField(label=_("Name of the new cluster"), max_length=200, required=False)
    cluster = forms.ChoiceField(label=_("Or add them to an existing cluster"), required=False)

    def __init__(
        self,
        *args: Any,
        issues: Iterable[PolicyIssue] = (),
        clusters: Iterable[Cluster] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issues"].choices = [(str(i.pk), f"#{i.pk} {i.title}") for i in issues]
        self.fields["cluster"].choices = cluster_choices(clusters, str(_("A new cluster")))


def score_choices(blank: str | None = None) -> list[tuple[str, str]]:
    top = conf.rating_scale_max()
    choices = [(str(value), str(value)) for value in range(top + 1)]
    return ([("", blank)] if blank is not None else []) + choices


class RatingForm(forms.Form):
    score = forms.ChoiceField(label=_("Your rating"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = score_choices()
        self.fields["score"].help_text = _(
            "0 means not a priority, %(max)d the highest priority."
        ) % {"max": conf.rating_scale_max()}


class RatingSheetForm(forms.Form):
    """One radio group per issue; "no rating" clears a rating."""

    def __init__(self, *args: Any, issues: Sequence[PolicyIssue] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issues = list(issues)
        for issue in self.issues:
            self.fields[f"issue_{issue.pk}"] = forms.ChoiceField(
                label=f"#{issue.pk} {issue.title}",
                choices=score_choices(str(_("No rating"))),
                widget=forms.RadioSelect,
                required=False,
            )

    def scores(self) -> dict[int, str]:
        """The ratings sent: an issue left out of the submission is left unchanged;
        "No rating" chosen clears it."""
        return {
            issue.pk: self.cleaned_data.get(f"issue_{issue.pk}", "")
            for issue in self.issues
            if f"issue_{issue.pk}" in self.data
        }


class RankingForm(forms.Form):
    """One select per place, first place first: works without JavaScript."""

    def __init__(self, *args: Any, issues: Sequence[PolicyIssue] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = min(conf.max_ranked(), len(issues))
        choices = issue_choices(issues, str(_("(none)")))
        for place in range(1, places + 1):
            self.fields[f"place_{place}"] = forms.ChoiceField(
                label=_("Place %(place)d") % {"place": place},
                choices=choices,
                required=False,
            )

    def issue_ids(self) -> list[str]:
        return [value for name, value in self.cleaned_data.items() if value]
