from django.urls import path

from . import views

app_name = "discussions"

P = "p/<slug:slug>/discussions/"

urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "new/", views.thread_new, name="thread_new"),
    path(P + "t/<int:thread_id>/", views.thread, name="thread"),
    path(P + "t/<int:thread_id>/lock/", views.thread_lock, name="thread_lock"),
    path(P + "t/<int:thread_id>/moderation/", views.thread_moderation, name="thread_moderation"),
    path(P + "m/<int:message_id>/", views.message_permalink, name="message"),
    path(P + "m/<int:message_id>/moderate/", views.message_moderate, name="message_moderate"),
    path(P + "moderation/", views.moderation, name="moderation"),
    path(P + "following/", views.subscriptions, name="subscriptions"),
    path(P + "settings/", views.settings_view, name="settings"),
    path(P + "search/", views.search, name="search"),
    path(
        P + "files/<int:attachment_id>/<str:filename>",
        views.attachment,
        name="attachment",
    ),
    path("discussions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
