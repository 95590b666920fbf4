from django.urls import path

from . import views

app_name = "processes"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("processes/new/", views.process_new, name="new"),
    path("p/<slug:slug>/", views.home, name="home"),
    path("p/<slug:slug>/settings/", views.process_settings, name="settings"),
    path("p/<slug:slug>/members/", views.directory, name="directory"),
    path("p/<slug:slug>/members/<int:membership_id>/", views.member, name="member"),
    path("p/<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "p/<slug:slug>/members/<int:membership_id>/categories/",
        views.member_categories,
        name="member_categories",
    ),
    path("p/<slug:slug>/balance/", views.balance, name="balance"),
    path("p/<slug:slug>/balance/targets/", views.targets, name="targets"),
    path("p/<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "p/<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("p/<slug:slug>/audit/", views.audit_log, name="audit_log"),
]
