"""Pages and API answer each role exactly as the policy tables say; attribution on every surface."""

from __future__ import annotations

import pytest
from django.test import Client

from roundtable.discussions.models import Archive, Message, Thread
from roundtable.processes.models import AttributionRule
from tests.discussions.helpers import cluster, set_rules, start_thread
from tests.discussions.test_policy import MEMBERS_ARCHIVE, PUBLIC_ARCHIVE, TABLES, arrange
from tests.factories import ROLES
from tests.surfaces import allowed, client_for

pytestmark = pytest.mark.django_db


def base(personas) -> str:
    return f"/p/{personas.process.slug}/discussions/"


PAGES = {
    "read": lambda p, t: base(p),
    "moderate": lambda p, t: base(p) + "moderation/",
    "configure": lambda p, t: base(p) + "settings/",
    "subscribe": lambda p, t: base(p) + "following/",
}
THREAD_PAGES = {"read": lambda p, t: f"{base(p)}t/{t.pk}/"}
API = {
    "read": lambda p, t: f"/api/processes/{p.process.slug}/discussions/threads",
    "moderate": lambda p, t: f"/api/processes/{p.process.slug}/discussions/moderation",
    "configure": lambda p, t: f"/api/processes/{p.process.slug}/discussions/settings",
    "subscribe": lambda p, t: f"/api/processes/{p.process.slug}/discussions/subscriptions",
}


@pytest.mark.parametrize("archive", sorted(TABLES))
@pytest.mark.parametrize("action", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_reads_follow_policy(personas, archive, action, role):
    thread, _pending = arrange(personas, archive)
    expected = bool(TABLES[archive][action][ROLES.index(role)])
    client = client_for(personas, role)
    assert allowed(client.get(PAGES[action](personas, thread)).status_code) is expected
    if action in THREAD_PAGES:
        assert allowed(client.get(THREAD_PAGES[action](personas, thread)).status_code) is expected
        api_thread = f"/api/processes/{personas.process.slug}/discussions/threads/{thread.pk}"
        assert allowed(client.get(api_thread).status_code) is expected
    response = client.get(API[action](personas, thread))
    assert allowed(response.status_code) is expected
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("archive", sorted(TABLES))
@pytest.mark.parametrize("role", ROLES)
def test_starting_threads_and_posting_follow_policy(personas, archive, role):
    thread, _pending = arrange(personas, archive)
    expected = bool(TABLES[archive]["post_message"][ROLES.index(role)])
    client = client_for(personas, role)
    before = Message.objects.count()
    client.post(f"{base(personas)}t/{thread.pk}/", {"body": f"Page post by {role}"})
    client.post(
        f"/api/processes/{personas.process.slug}/discussions/threads/{thread.pk}/messages",
        {"body": f"API post by {role}"},
        content_type="application/json",
    )
    assert Message.objects.count() - before == (2 if expected else 0)
    threads = Thread.objects.count()
    client.post(f"{base(personas)}new/", {"title": f"By {role}", "body": "Opening"})
    client.post(
        f"/api/processes/{personas.process.slug}/discussions/threads",
        {"title": f"API by {role}", "body": "Opening"},
        content_type="application/json",
    )
    assert Thread.objects.count() - threads == (2 if expected else 0)


@pytest.mark.parametrize("role", ROLES)
def test_moderation_writes_follow_policy(personas, role):
    thread, pending = arrange(personas, Archive.PUBLIC)
    expected = bool(PUBLIC_ARCHIVE["moderate"][ROLES.index(role)])
    client = client_for(personas, role)
    client.post(f"{base(personas)}t/{thread.pk}/lock/", {"action": "lock", "reason": "done"})
    thread.refresh_from_db()
    assert thread.is_locked is expected
    api = client.post(
        f"/api/processes/{personas.process.slug}/discussions/messages/{pending.pk}/approve"
    )
    assert allowed(api.status_code) is expected
    pending.refresh_from_db()
    assert (pending.status == "published") is expected


@pytest.mark.parametrize("role", ROLES)
def test_thread_moderation_switch_follows_policy(personas, role):
    thread, _pending = arrange(personas, Archive.PUBLIC)
    expected = bool(PUBLIC_ARCHIVE["moderate"][ROLES.index(role)])
    client = client_for(personas, role)
    client.post(f"{base(personas)}t/{thread.pk}/moderation/", {})
    thread.refresh_from_db()
    assert thread.moderated is not expected
    api = client.put(
        f"/api/processes/{personas.process.slug}/discussions/threads/{thread.pk}/moderation",
        {"moderated": True},
        content_type="application/json",
    )
    assert allowed(api.status_code) is expected
    thread.refresh_from_db()
    assert thread.moderated is True
    if expected:
        assert api.json()["moderated"] is True


@pytest.mark.parametrize("role", ROLES)
def test_settings_writes_follow_policy(personas, role):
    arrange(personas, Archive.MEMBERS)
    expected = bool(MEMBERS_ARCHIVE["configure"][ROLES.index(role)])
    client = client_for(personas, role)
    client.post(f"{base(personas)}settings/", {"archive": "public", "attribution": "attributed"})
    api = client.put(
        f"/api/processes/{personas.process.slug}/discussions/settings",
        {"archive": "public", "attribution": "attributed", "moderate_first_posts": False},
        content_type="application/json",
    )
    assert allowed(api.status_code) is expected
    from roundtable.discussions.models import DiscussionSettings

    assert (
        DiscussionSettings.objects.get(process=personas.process).archive == "public"
    ) is expected


def test_chatham_house_on_every_public_surface(personas):
    """Pages, API, search (ours and the process-wide one) name no author to outsiders."""
    set_rules(personas.process, archive=Archive.PUBLIC, attribution=AttributionRule.CHATHAM_HOUSE)
    infra = cluster(personas.process)
    thread = start_thread(
        personas,
        author=personas.member,
        cluster=infra,
        title="Spectrum",
        body="Auction the spectrum",
    )
    slug = personas.process.slug
    surfaces = [
        f"/p/{slug}/discussions/t/{thread.pk}/",
        f"/api/processes/{slug}/discussions/threads/{thread.pk}",
        f"/p/{slug}/discussions/search/?q=spectrum",
        f"/api/processes/{slug}/discussions/search?q=spectrum",
        f"/p/{slug}/search/?q=spectrum",
    ]
    for role in ("public", "anonymous"):
        client = client_for(personas, role)
        for url in surfaces:
            body = client.get(url).content.decode()
            assert "Auction the spectrum" in body or "spectrum" in body.lower(), url
            assert "Mina" not in body and "Open Networks Trust" not in body, (role, url)
            assert "A participant" in body, (role, url)
    inside = client_for(personas, "observer")
    for url in surfaces:
        assert "Mina Member" in inside.get(url).content.decode(), url
    # Searching by the author's name finds nothing: names are not searched.
    assert (
        "Spectrum"
        not in client_for(personas, "public")
        .get(f"/p/{slug}/discussions/search/?q=Mina")
        .content.decode()
    )


def test_pending_and_hidden_messages(personas):
    thread, pending = arrange(personas, Archive.PUBLIC)
    url = f"{base(personas)}t/{thread.pk}/"
    assert "first" in client_for(personas, "member").get(url).content.decode()
    assert ">first<" not in client_for(personas, "observer").get(url).content.decode()
    from roundtable.discussions import services

    services.message_approve(actor=personas.chair, message=pending)
    services.message_hide(actor=personas.chair, message=pending, reason="Personal attack")
    page = client_for(personas, "public").get(url).content.decode()
    assert "hidden by the moderators: Personal attack" in page and "<p>first</p>" not in page
    assert "<p>first</p>" in client_for(personas, "secretariat").get(url).content.decode()
    api = (
        client_for(personas, "public")
        .get(f"/api/processes/{personas.process.slug}/discussions/threads/{thread.pk}")
        .json()
    )
    hidden = next(m for m in api["messages"] if m["status"] == "hidden")
    assert hidden["body"] is None and hidden["hidden_reason"] == "Personal attack"


def test_permalinks_and_attachments(personas, client):
    from roundtable.discussions import services

    set_rules(personas.process, archive=Archive.MEMBERS)
    thread = start_thread(personas, attachments=[("notes.txt", b"Meeting notes")])
    message = thread.messages.get()
    client.force_login(personas.member)
    response = client.get(f"{base(personas)}m/{message.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/t/{thread.pk}/#m{message.pk}"
    )
    [attachment] = message.attachments.all()
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"Meeting notes"
    outsider = Client()
    outsider.force_login(personas.public)
    assert outsider.get(attachment.get_absolute_url()).status_code == 403
    services.message_hide(actor=personas.chair, message=message, reason="x")
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_bad_input_on_the_page_is_shown_and_changes_nothing(personas, client):
    set_rules(personas.process)
    thread = start_thread(personas)
    client.force_login(personas.member)
    response = client.post(f"{base(personas)}t/{thread.pk}/", {"body": "   "})
    assert response.status_code == 400 and "Write a message first." in response.content.decode()
    upload = __import__(
        "django.core.files.uploadedfile", fromlist=["SimpleUploadedFile"]
    ).SimpleUploadedFile
    response = client.post(
        f"{base(personas)}t/{thread.pk}/",
        {
            "body": "See file",
            "attachments": [upload("x.pdf", b"MZ\x90\x00evil", content_type="application/pdf")],
        },
    )
    assert response.status_code == 400
    assert "content is not a .pdf file" in response.content.decode()
    api = client.post(
        f"/api/processes/{personas.process.slug}/discussions/threads",
        {"title": "", "body": ""},
        content_type="application/json",
    )
    assert api.status_code == 400 and set(api.json()["errors"]) == {"title", "body"}
    assert Message.objects.count() == 1


def test_hooks_answer_search_and_cluster_attention(personas):
    from roundtable.core.hooks import collect
    from roundtable.discussions import services

    set_rules(personas.process, archive=Archive.PUBLIC)
    infra = cluster(personas.process)
    thread = start_thread(personas, cluster=infra, body="Alpha")
    services.message_post(actor=personas.member, thread=thread, body="Beta")
    start_thread(personas, title="General", body="Gamma")
    [attention] = [a for a in collect("cluster_attention", process=personas.process) if a]
    assert attention == {infra.pk: {"messages": 2.0}}
    hits = [
        h
        for hits in collect(
            "search", process=personas.process, query="beta", person=personas.public
        )
        for h in hits
    ]
    assert [h.snippet for h in hits] == ["Beta"]
