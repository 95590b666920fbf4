from django.urls import path

from .feeds import CallFeed
from .views import calls, papers, report, secretariat, submit

app_name = "consultations"

CALL = "p/<slug:slug>/calls/<int:call_id>/"
SUBMISSION = CALL + "submissions/<int:number>/"
PAPER = "p/<slug:slug>/papers/<int:paper_id>/"

urlpatterns = [
    path("calls/verify/<str:token>/", submit.verify_confirm, name="verify"),
    path("p/<slug:slug>/calls/", calls.call_list, name="call_list"),
    path("p/<slug:slug>/calls/new/", calls.call_create, name="call_create"),
    path(CALL, calls.call_detail, name="call"),
    path(CALL + "edit/", calls.call_edit, name="call_edit"),
    path(CALL + "announce/", calls.call_publish, name="call_publish"),
    path(CALL + "feed/", CallFeed(), name="call_feed"),
    path(CALL + "verify/", submit.verify_request, name="verify_request"),
    path(CALL + "submit/", submit.submit, name="submit"),
    path(CALL + "submissions/", submit.submission_list, name="submission_list"),
    path(SUBMISSION, submit.submission_detail, name="submission"),
    path(SUBMISSION + "manage/<str:token>/", submit.manage, name="manage"),
    path(SUBMISSION + "edit/", submit.submission_edit, name="submission_edit"),
    path(SUBMISSION + "withdraw/", submit.submission_withdraw, name="submission_withdraw"),
    path(SUBMISSION + "reaction/", submit.reaction, name="reaction"),
    path(SUBMISSION + "moderate/", secretariat.moderate, name="moderate"),
    path(SUBMISSION + "disposition/", secretariat.disposition_edit, name="disposition"),
    path(
        CALL + "attachments/<int:attachment_id>/",
        submit.attachment_download,
        name="attachment",
    ),
    path(CALL + "moderation/", secretariat.moderation_queue, name="moderation"),
    path(CALL + "dispositions/", secretariat.disposition_queue, name="dispositions"),
    path(CALL + "campaigns/<int:representative>/", secretariat.campaign, name="campaign"),
    path(CALL + "analysis/", secretariat.analysis_dashboard, name="analysis"),
    path(CALL + "report/", report.report, name="report"),
    path(CALL + "report.csv", report.report_csv, name="report_csv"),
    path(CALL + "report.xlsx", report.report_xlsx, name="report_xlsx"),
    path(CALL + "contacts.csv", report.contact_export, name="contact_export"),
    path("p/<slug:slug>/papers/", papers.library, name="library"),
    path("p/<slug:slug>/papers/submit/", papers.paper_submit, name="paper_submit"),
    path("p/<slug:slug>/papers/series/", papers.series, name="series"),
    path(PAPER, papers.paper_detail, name="paper"),
    path(PAPER + "manage/", papers.paper_manage, name="paper_manage"),
    path(PAPER + "versions/", papers.paper_version, name="paper_version"),
    path(PAPER + "files/<int:version_id>/", papers.paper_file, name="paper_file"),
]
