from django.urls import path

from . import views

app_name = "surveys"

S = "p/<slug:slug>/surveys/"
ONE = S + "<int:pk>/"

urlpatterns = [
    path(S, views.survey_list, name="list"),
    path(S + "new/", views.survey_new, name="new"),
    path(S + "partnership-assessment.xlsx", views.assessment_download, name="assessment"),
    path(ONE, views.survey_detail, name="detail"),
    path(ONE + "settings/", views.survey_settings, name="settings"),
    path(ONE + "form/", views.survey_replace_form, name="replace_form"),
    path(ONE + "form.xlsx", views.survey_form_download, name="form_download"),
    path(ONE + "copy/", views.survey_copy, name="copy"),
    path(ONE + "open/", views.survey_open, name="open"),
    path(ONE + "close/", views.survey_close, name="close"),
    path(ONE + "publish/", views.survey_publish, name="publish"),
    path(ONE + "invitations/", views.survey_invitations, name="invitations"),
    path(ONE + "import/", views.survey_import, name="import"),
    path(ONE + "results/", views.results, name="results"),
    path(ONE + "results.<str:file_format>", views.results_export, name="export"),
    path(ONE + "answer/", views.answer_start, name="answer_start"),
    path(ONE + "a/<str:key>/", views.answer, name="answer"),
    path(ONE + "link/<str:open_key>/", views.open_link, name="open_link"),
    path(ONE + "thanks/", views.thanks, name="thanks"),
]
