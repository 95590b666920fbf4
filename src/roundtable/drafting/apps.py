from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftingConfig(AppConfig):
    name = "roundtable.drafting"
    verbose_name = _("Drafting")
