"""Every write of the consultations app (see ARCHITECTURE.md, "services").

Split by concern; import from here.
"""

from .analysis import analysis_request, analysis_requeue_stale, analysis_run
from .calls import call_create, call_publish, call_update
from .dispositions import disposition_apply_to_group, disposition_react, disposition_set
from .moderation import Decision, submission_moderate, submissions_moderate_many
from .papers import (
    paper_add_version,
    paper_publish,
    paper_submit,
    paper_update,
    series_create,
)
from .submissions import (
    attachment_limits,
    manage_url,
    submission_create,
    submission_update,
    submission_withdraw,
    verification_confirm,
    verification_for_token,
    verification_request,
)

__all__ = [
    "Decision",
    "analysis_request",
    "analysis_requeue_stale",
    "analysis_run",
    "attachment_limits",
    "call_create",
    "call_publish",
    "call_update",
    "disposition_apply_to_group",
    "disposition_react",
    "disposition_set",
    "manage_url",
    "paper_add_version",
    "paper_publish",
    "paper_submit",
    "paper_update",
    "series_create",
    "submission_create",
    "submission_moderate",
    "submission_update",
    "submission_withdraw",
    "submissions_moderate_many",
    "verification_confirm",
    "verification_for_token",
    "verification_request",
]
