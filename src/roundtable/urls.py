from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from roundtable.api import api
from roundtable.people.forms import QueuedPasswordResetForm

urlpatterns = [
    path("", include("roundtable.core.urls")),
    path("", include("roundtable.processes.urls")),
    # Before Django's auth URLs so the reset e-mail goes through the outbox.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("roundtable.people.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# Apps built later add their URLs here through their own urls.py, e.g.
# path("", include("roundtable.agenda.urls")),
for _app in ("agenda", "meetings", "consultations", "drafting", "discussions", "surveys"):
    try:
        __import__(f"roundtable.{_app}.urls")
    except ModuleNotFoundError as _error:
        if _error.name != f"roundtable.{_app}.urls":
            raise
        continue
    urlpatterns.append(path("", include(f"roundtable.{_app}.urls")))

handler403 = "roundtable.core.errors.permission_denied"
handler404 = "roundtable.core.errors.page_not_found"
handler500 = "roundtable.core.errors.server_error"
