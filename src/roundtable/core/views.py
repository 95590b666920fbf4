from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from roundtable.people.services import person_set_language
from roundtable.processes.selectors import processes_visible_to


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"processes": processes_visible_to(person=request.user)}
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Like Django's set_language, and remembers the choice on the person."""
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 60 * 60,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
        if request.user.is_authenticated:
            person_set_language(person=request.user, language=code)
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def process_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Search everything in a process the viewer may read; apps answer through hooks."""
    from roundtable.core.hooks import collect
    from roundtable.processes.views import process_for

    process = process_for(request, slug)
    query = (request.GET.get("q") or "").strip()[:200]
    hits = []
    if len(query) >= 2:
        for app_hits in collect("search", process=process, query=query, person=request.user):
            hits.extend(app_hits)
        hits.sort(key=lambda hit: (hit.when is None, -(hit.when.timestamp() if hit.when else 0)))
    return render(
        request,
        "core/search.html",
        {"process": process, "query": query, "hits": hits[:200], "nav_current": "search"},
    )
