"""Small builders for the discussions tests."""

from __future__ import annotations

from roundtable.agenda.models import Cluster
from roundtable.discussions import services
from roundtable.discussions.models import Archive, DiscussionSettings
from roundtable.processes.models import AttributionRule


def set_rules(
    process,
    *,
    archive: str = Archive.MEMBERS,
    attribution: str = AttributionRule.ATTRIBUTED,
    moderate_first_posts: bool = False,
) -> DiscussionSettings:
    found, _created = DiscussionSettings.objects.update_or_create(
        process=process,
        defaults={
            "archive": archive,
            "attribution": attribution,
            "moderate_first_posts": moderate_first_posts,
        },
    )
    process.__dict__.pop("_discussion_settings", None)
    return found


def cluster(process, title: str = "Infrastructure", position: int = 0) -> Cluster:
    return Cluster.objects.create(process=process, title=title, position=position)


def start_thread(personas, *, title="Root zone oversight", body="Opening remarks.", **kwargs):
    author = kwargs.pop("author", personas.secretariat)
    return services.thread_create(
        actor=author, process=personas.process, title=title, body=body, **kwargs
    )
