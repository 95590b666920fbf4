"""Writes about surveys: each keyword-only, in one transaction, policy-checked, audited.

Answering is the exception to "audited": nothing about a respondent's
answering is written anywhere but the draft (deleted on submit), the
invitation's ``used`` flag and the anonymous pending response. See the
models' docstring for how anonymity is kept.
"""

from .answers import (
    AnswerKey,
    answer_key,
    draft_save,
    open_link_start,
    response_submit,
    responses_import,
    responses_release,
    ui_language,
)
from .invitations import (
    InvitationsSent,
    answer_url,
    invitation_new,
    invitation_token,
    invitations_send,
    reminders_send,
)
from .surveys import (
    TEMPLATES,
    results_export_record,
    survey_close,
    survey_copy,
    survey_create,
    survey_open,
    survey_publish,
    survey_replace_form,
    survey_update,
    surveys_close_due,
)

__all__ = [
    "TEMPLATES",
    "AnswerKey",
    "InvitationsSent",
    "answer_key",
    "answer_url",
    "draft_save",
    "invitation_new",
    "invitation_token",
    "invitations_send",
    "open_link_start",
    "reminders_send",
    "response_submit",
    "responses_import",
    "responses_release",
    "results_export_record",
    "survey_close",
    "survey_copy",
    "survey_create",
    "survey_open",
    "survey_publish",
    "survey_replace_form",
    "survey_update",
    "surveys_close_due",
    "ui_language",
]
