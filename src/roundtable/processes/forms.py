from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import DevelopmentStatus, Region, StakeholderGroup

from .models import Access, AttributionRule, Capacity, Dimension, Role


def _group_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(g.slug, g.display_name) for g in StakeholderGroup.objects.all()]


def _region_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(r.slug, r.display_name) for r in Region.objects.all()]


class InvitationForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"),
        choices=_group_choices,
        required=False,
        help_text=_("Required for members."),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=_region_choices,
        required=False,
        help_text=_("Required for members."),
    )
    development_status = forms.ChoiceField(
        label=_("Developed or developing"),
        choices=[("", "—"), *DevelopmentStatus.choices],
        required=False,
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=Capacity.choices)
    message = forms.CharField(
        label=_("Personal message"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class CategoriesForm(forms.Form):
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=_group_choices, required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=_region_choices, required=False)
    development_status = forms.ChoiceField(
        label=_("Developed or developing"),
        choices=[("", "—"), *DevelopmentStatus.choices],
        required=False,
    )


class DeclarationForm(forms.Form):
    text = forms.CharField(
        label=_("Declaration of interests"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Employment, funding, board seats and anything else relevant to your work here."
        ),
    )


def _target_category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            str(_("Stakeholder group")),
            [
                (f"stakeholder_group:{g.slug}", g.display_name)
                for g in StakeholderGroup.objects.all()
            ],
        ),
        (str(_("Region")), [(f"region:{r.slug}", r.display_name) for r in Region.objects.all()]),
        (
            str(_("Developed or developing")),
            [(f"development_status:{value}", label) for value, label in DevelopmentStatus.choices],
        ),
    ]


class TargetForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=_target_category_choices)
    min_percent = forms.IntegerField(
        label=_("Minimum share (%)"), required=False, min_value=0, max_value=100
    )
    max_percent = forms.IntegerField(
        label=_("Maximum share (%)"), required=False, min_value=0, max_value=100
    )
    min_count = forms.IntegerField(label=_("Minimum members"), required=False, min_value=0)
    max_count = forms.IntegerField(label=_("Maximum members"), required=False, min_value=0)

    def split_category(self) -> tuple[str, str]:
        dimension, _sep, category = self.cleaned_data["category"].partition(":")
        if dimension not in Dimension.values:
            raise forms.ValidationError(_("Choose a category."))
        return dimension, category


class ProcessForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mandate = forms.CharField(
        label=_("Mandate"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Markdown: **bold**, lists, [links](https://example.org)."),
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_attribution = forms.ChoiceField(
        label=_("Default attribution rule"), choices=AttributionRule.choices
    )
    chatham_house_shows_stakeholder_group = forms.BooleanField(
        label=_("Under the Chatham House Rule, show the speaker's stakeholder group"),
        required=False,
    )
    access = forms.ChoiceField(label=_("Who can see this process"), choices=Access.choices)


class NewProcessForm(ProcessForm):
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Used in addresses, e.g. /p/wgig/. Letters, numbers and hyphens."),
    )
    secretariat_email = forms.EmailField(
        label=_("Secretariat"),
        help_text=_("The e-mail address of an existing account, who will run the process."),
    )


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Deliverable"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
