"""The demo process's discussions: a thread or two per cluster, in several languages.

Written straight to the tables (not through the services) so loading the demo
queues no e-mail to the fictional members; already "notified". Idempotent:
threads are found by title, messages by thread, author and text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from roundtable.agenda.models import Cluster
from roundtable.processes.models import AttributionRule

from .models import Archive, DiscussionSettings, Message, MessageStatus, Subscription, Thread
from .services import new_message_id

CLUSTERS = [
    "Infrastructure and management of critical Internet resources",
    "Issues relating to the use of the Internet",
    "Issues wider than the Internet",
    "Development issues and capacity building",
]

# (cluster index or None, title, [(author: chair, secretariat or a language), text], lock reason)
THREADS: list[tuple[int | None, str, list[tuple[str, str]], str]] = [
    (
        0,
        "Root zone oversight: which models go into the report?",
        [
            (
                "chair",
                "We have four models on the table. Please say which you can live with, "
                "and why, before the Geneva meeting. Divergence is fine: the report can show it.",
            ),
            (
                "fr",
                "Le modèle 2 me paraît le plus équilibré : un conseil mondial sans "
                "tutelle d'un seul gouvernement. Il faudra préciser le rôle des "
                "registres régionaux.",
            ),
            (
                "en",
                "I can live with model 2 or 3. Model 1 keeps the status quo, which several "
                "of us said we cannot support.",
            ),
            (
                "ru",
                "Мы поддерживаем модель 3 при условии, что межправительственный орган "
                "будет подотчётен всем заинтересованным сторонам.",
            ),
        ],
        "",
    ),
    (
        0,
        "IPv6 transition and address allocation",
        [
            (
                "en",
                "Regional registries report that IPv4 pools in two regions will run out "
                "within the year. Should the report say something on IPv6 readiness?",
            ),
            (
                "es",
                "Sí. En América Latina muchos operadores pequeños no tienen los recursos "
                "para la transición; una recomendación sobre formación sería útil.",
            ),
        ],
        "",
    ),
    (
        1,
        "Spam: what can governments and operators do together?",
        [
            (
                "es",
                "Propongo que el informe distinga entre la legislación nacional contra el "
                "correo no deseado y la cooperación técnica entre operadores.",
            ),
            (
                "ar",
                "نؤيد هذا التمييز. كثير من البلدان النامية لا تملك إطاراً قانونياً بعد، "
                "والتعاون بين المشغلين هو الخطوة الأولى الممكنة.",
            ),
            (
                "en",
                "Agreed. The OECD toolkit is a good reference for the legal side; the "
                "technical side is best left to operator groups.",
            ),
        ],
        "",
    ),
    (
        2,
        "Intellectual property and access to knowledge",
        [
            (
                "en",
                "Several submissions to the open consultation ask us to address access to "
                "knowledge. Is this within our mandate, or wider than the Internet?",
            ),
            (
                "fr",
                "C'est à la frontière du mandat. Je propose de le mentionner comme question "
                "transversale, sans recommandation détaillée.",
            ),
        ],
        "",
    ),
    (
        3,
        "Capacity building for developing countries",
        [
            (
                "zh-hans",
                "能力建设应当成为报告的重点之一。许多发展中国家缺乏参与国际讨论的专家和资金。",
            ),
            (
                "en",
                "We could recommend a fund for remote participation and travel support, "
                "managed by the future forum's secretariat.",
            ),
            ("ar", "نقترح أن يشمل التدريب المسؤولين الحكوميين والمجتمع المدني معاً."),
        ],
        "",
    ),
    (
        None,
        "Logistics for the Geneva meeting",
        [
            (
                "secretariat",
                "Rooms, interpretation (all six languages) and remote participation "
                "are confirmed. Travel support requests are due by Friday.",
            ),
            ("en", "Thank you. Will the plenary be streamed for observers?"),
            (
                "secretariat",
                "Yes, the plenary sessions will be streamed; closed sessions will not.",
            ),
        ],
        "Logistics are settled; see the secretariat's last message.",
    ),
]

# A first post that waits for a moderator (shown in the moderation queue).
PENDING = (3, "es", "Soy nuevo en el grupo: ¿hay materiales de formación en español?")


def _clusters(process: Any) -> list[Cluster]:
    existing = list(Cluster.objects.filter(process=process).order_by("position", "pk"))
    if len(existing) >= len(CLUSTERS):
        return existing
    for position, title in enumerate(CLUSTERS):
        Cluster.objects.get_or_create(process=process, title=title, defaults={"position": position})
    return list(Cluster.objects.filter(process=process).order_by("position", "pk"))


def load(context: Any) -> None:
    process = context.process
    DiscussionSettings.objects.get_or_create(
        process=process,
        defaults={
            "archive": Archive.PUBLIC,
            "attribution": AttributionRule.CHATHAM_HOUSE,
            "moderate_first_posts": True,
        },
    )
    clusters = _clusters(process)
    by_language: dict[str, list[Any]] = {}
    for person in context.members:
        by_language.setdefault(person.preferred_language, []).append(person)

    def author(key: str, turn: int) -> Any:
        if key == "chair":
            return context.chair
        if key == "secretariat":
            return context.secretariat[0]
        people = by_language.get(key) or context.members
        return people[turn % len(people)]

    now = timezone.now()
    hours = 0
    for turn, (cluster_index, title, posts, locked) in enumerate(THREADS):
        cluster = clusters[cluster_index] if cluster_index is not None else None
        start = now - dt.timedelta(hours=6 * len(THREADS) - hours)
        first_author = author(posts[0][0], turn)
        thread = Thread.objects.filter(process=process, title=title).first()
        if thread is None:
            root = new_message_id("t")
            thread = Thread.objects.create(
                process=process,
                cluster=cluster,
                title=title,
                created_by=first_author,
                created_at=start,
                last_message_at=start,
                root_message_id=root,
            )
        previous = None
        for index, (key, text) in enumerate(posts):
            person = author(key, turn + index)
            when = start + dt.timedelta(hours=index * 2)
            message = Message.objects.filter(thread=thread, author=person, body=text).first()
            if message is None:
                message = Message.objects.create(
                    thread=thread,
                    process=process,
                    author=person,
                    parent=previous,
                    body=text,
                    status=MessageStatus.PUBLISHED,
                    created_at=when,
                    published_at=when,
                    notified_at=when,
                    message_id=thread.root_message_id if index == 0 else new_message_id(),
                )
            previous = message
            thread.last_message_at = max(thread.last_message_at, message.published_at)
        if locked and not thread.locked_at:
            thread.locked_at = now
            thread.locked_by = context.chair
            thread.lock_reason = locked
        thread.save()
        hours += 6

    cluster_index, key, text = PENDING
    capacity = Thread.objects.get(process=process, title=THREADS[4][1])
    newcomer = context.members[-1]
    if not Message.objects.filter(thread=capacity, body=text).exists():
        Message.objects.create(
            thread=capacity,
            process=process,
            author=newcomer,
            body=text,
            status=MessageStatus.PENDING,
            message_id=new_message_id(),
        )

    # Different ways of following: floods for the secretariat, digests for most.
    def follow(person: Any, delivery: str, **target: Any) -> None:
        Subscription.objects.get_or_create(
            person=person,
            process=process,
            cluster=target.get("cluster"),
            thread=target.get("thread"),
            defaults={"delivery": delivery},
        )

    follow(context.chair, "daily")
    follow(context.secretariat[0], "each")
    follow(context.secretariat[1], "weekly")
    for index, person in enumerate(context.members):
        mode = ["daily", "weekly", "each", "none"][index % 4]
        follow(person, mode, cluster=clusters[index % len(clusters)])
    follow(
        context.members[0], "each", thread=Thread.objects.get(process=process, title=THREADS[0][1])
    )
    follow(context.observers[0], "weekly")
