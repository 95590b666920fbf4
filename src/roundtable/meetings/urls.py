from django.urls import path

from . import views

app_name = "meetings"

S = "p/<slug:slug>/meetings/<int:session_id>/"

urlpatterns = [
    path("meetings/calendar/", views.my_calendar, name="my_calendar"),
    path("meetings/calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("p/<slug:slug>/meetings/", views.sessions, name="sessions"),
    path("p/<slug:slug>/meetings/new/", views.session_new, name="session_new"),
    path("p/<slug:slug>/meetings/calendar.ics", views.process_calendar, name="process_calendar"),
    path("p/<slug:slug>/meetings/observers/", views.observers, name="observers"),
    path("p/<slug:slug>/meetings/observers/apply/", views.observer_apply, name="observer_apply"),
    path(
        "p/<slug:slug>/meetings/observers/<int:application_id>/decide/",
        views.observer_decide,
        name="observer_decide",
    ),
    path(S, views.session, name="session"),
    path(S + "edit/", views.session_edit, name="session_edit"),
    path(S + "cancel/", views.session_cancel, name="session_cancel"),
    path(S + "invite/", views.session_invite, name="session_invite"),
    path(S + "event.ics", views.event_ics, name="event_ics"),
    path(S + "agenda/", views.agenda, name="agenda"),
    path(S + "agenda/<int:item_id>/", views.agenda_item_edit, name="agenda_item_edit"),
    path(S + "agenda/<int:item_id>/remove/", views.agenda_item_remove, name="agenda_item_remove"),
    path(S + "agenda/<int:item_id>/move/", views.agenda_item_move, name="agenda_item_move"),
    path(S + "register/", views.register, name="register"),
    path(S + "register/cancel/", views.unregister, name="unregister"),
    path(S + "attendance/", views.attendance, name="attendance"),
    path(S + "floor/", views.floor, name="floor"),
    path(S + "floor/live/", views.floor_live, name="floor_live"),
    path(S + "floor/open/", views.floor_open, name="floor_open"),
    path(S + "floor/close/", views.floor_close, name="floor_close"),
    path(S + "floor/request/", views.floor_request, name="floor_request"),
    path(S + "floor/<int:request_id>/withdraw/", views.floor_withdraw, name="floor_withdraw"),
    path(S + "floor/grant/", views.floor_grant, name="floor_grant"),
    path(S + "floor/end-turn/", views.floor_end_turn, name="floor_end_turn"),
    path(S + "floor/item/", views.floor_current_item, name="floor_current_item"),
    path(S + "floor/check-in/", views.floor_check_in, name="floor_check_in"),
    path(S + "report/", views.report, name="report"),
    path(S + "report.csv", views.report_csv, name="report_csv"),
    path(S + "minutes/", views.minutes, name="minutes"),
    path(S + "minutes.txt", views.minutes_txt, name="minutes_txt"),
    path(S + "minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(S + "minutes/edit/", views.minutes_edit, name="minutes_edit"),
    path(S + "minutes/import/", views.minutes_import, name="minutes_import"),
    path(S + "minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path(S + "minutes/withdraw/", views.minutes_withdraw, name="minutes_withdraw"),
    path(S + "minutes/statements/<int:statement_id>/", views.statement_edit, name="statement_edit"),
    path(
        S + "minutes/statements/<int:statement_id>/delete/",
        views.statement_delete,
        name="statement_delete",
    ),
    path(S + "minutes/items/<int:item_id>/outcome/", views.outcome, name="outcome"),
    path(S + "minutes/items/<int:item_id>/actions/", views.action_add, name="action_add"),
    path(S + "minutes/actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path(S + "minutes/actions/<int:action_id>/remove/", views.action_remove, name="action_remove"),
]
