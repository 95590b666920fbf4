"""Survey pages: the secretariat's (manage), respondents' (answer) and results."""

from .answer import answer, answer_start, open_link, thanks
from .manage import (
    assessment_download,
    survey_close,
    survey_copy,
    survey_detail,
    survey_form_download,
    survey_import,
    survey_invitations,
    survey_list,
    survey_new,
    survey_open,
    survey_publish,
    survey_replace_form,
    survey_settings,
)
from .results import results, results_export

__all__ = [
    "answer",
    "answer_start",
    "assessment_download",
    "open_link",
    "results",
    "results_export",
    "survey_close",
    "survey_copy",
    "survey_detail",
    "survey_form_download",
    "survey_import",
    "survey_invitations",
    "survey_list",
    "survey_new",
    "survey_open",
    "survey_publish",
    "survey_replace_form",
    "survey_settings",
    "thanks",
]
