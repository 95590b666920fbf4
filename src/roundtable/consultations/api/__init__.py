"""The consultations API: calls, submissions, moderation, dispositions, reports, papers.

Same permissions as the pages (they ask the same policy functions). An author
without an account proves authorship with the ``X-Submission-Token`` header
(the secret from the receipt's link).
"""

from ninja import NinjaAPI

from . import calls, papers, submissions  # noqa: F401  (operations register on the router)
from .common import router

__all__ = ["register", "router"]


def register(api: NinjaAPI) -> None:
    api.add_router("/", router)
