from django.urls import path

from .views import clusters, issues, priorities

app_name = "agenda"

P = "p/<slug:slug>/agenda/"

urlpatterns = [
    path(P, issues.issue_list, name="issues"),
    path(P + "issues.csv", issues.issue_csv, name="issues_csv"),
    path(P + "propose/", issues.issue_propose, name="propose"),
    path(P + "assign/", issues.issues_assign, name="assign"),
    path(P + "issues/<int:issue_id>/", issues.issue_detail, name="issue"),
    path(P + "issues/<int:issue_id>/edit/", issues.issue_edit, name="issue_edit"),
    path(P + "issues/<int:issue_id>/status/", issues.issue_status, name="issue_status"),
    path(P + "issues/<int:issue_id>/merge/", issues.issue_merge, name="issue_merge"),
    path(P + "issues/<int:issue_id>/cluster/", issues.issue_cluster, name="issue_cluster"),
    path(P + "issues/<int:issue_id>/rate/", issues.issue_rate, name="issue_rate"),
    path(P + "call/", issues.call_manage, name="call"),
    path(P + "call/<int:call_id>/close/", issues.call_close, name="call_close"),
    path(P + "clusters/", clusters.cluster_list, name="clusters"),
    path(P + "clusters/suggest/", clusters.suggestions, name="suggestions"),
    path(
        P + "clusters/suggest/<int:suggested_id>/accept/",
        clusters.suggestion_accept,
        name="suggestion_accept",
    ),
    path(P + "clusters/<int:cluster_id>/", clusters.cluster_detail, name="cluster"),
    path(P + "clusters/<int:cluster_id>/edit/", clusters.cluster_edit, name="cluster_edit"),
    path(P + "clusters/<int:cluster_id>/team/", clusters.cluster_team, name="cluster_team"),
    path(P + "clusters/<int:cluster_id>/delete/", clusters.cluster_delete, name="cluster_delete"),
    path(P + "rate/", priorities.rate, name="rate"),
    path(P + "rank/", priorities.rank, name="rank"),
    path(P + "priorities/", priorities.priorities, name="priorities"),
    path(P + "priorities.csv", priorities.priorities_csv, name="priorities_csv"),
    path(P + "share/", priorities.agenda_share, name="share"),
]
