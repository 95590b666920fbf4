"""The categories a new installation starts with (configurable afterwards).

Names are marked with gettext_noop so the catalogues carry them, and
``display_name`` translates them; names a secretariat adds pass through.
"""

from django.utils.translation import gettext_noop

STAKEHOLDER_GROUPS = [
    ("government", gettext_noop("Government")),
    ("private-sector", gettext_noop("Private sector")),
    ("civil-society", gettext_noop("Civil society")),
    ("academia", gettext_noop("Academia")),
    ("technical-community", gettext_noop("Technical community")),
    ("intergovernmental", gettext_noop("Intergovernmental organisation")),
]

# The five UN regional groups.
REGIONS = [
    ("africa", gettext_noop("African States")),
    ("asia-pacific", gettext_noop("Asia-Pacific States")),
    ("eastern-europe", gettext_noop("Eastern European States")),
    ("latin-america-caribbean", gettext_noop("Latin American and Caribbean States")),
    ("weog", gettext_noop("Western European and other States")),
]


def install_defaults(stakeholder_group_model, region_model) -> None:
    """Create the default categories that do not exist yet (idempotent)."""
    for position, (slug, name) in enumerate(STAKEHOLDER_GROUPS):
        stakeholder_group_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for position, (slug, name) in enumerate(REGIONS):
        region_model.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
