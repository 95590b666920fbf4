from django.urls import path

from .views import amendments, consensus, documents, exports, paragraphs

app_name = "drafting"

D = "p/<slug:slug>/drafts/<int:document_id>/"
P = D + "paragraphs/<int:paragraph_id>/"
S = D + "sections/<int:section_id>/"
A = D + "amendments/<int:amendment_id>/"

urlpatterns = [
    path("p/<slug:slug>/drafts/", documents.document_list, name="documents"),
    path("p/<slug:slug>/drafts/new/", documents.document_new, name="document_new"),
    path(D, documents.document_detail, name="document"),
    path(D + "edit/", documents.document_edit, name="document_edit"),
    path(D + "final/", documents.document_final, name="document_final"),
    path(D + "revisions/", documents.revisions, name="revisions"),
    path(D + "authorship/", documents.authorship, name="authorship"),
    path(D + "sections/new/", documents.section_new, name="section_new"),
    path(S + "edit/", documents.section_edit, name="section_edit"),
    path(S + "paragraphs/new/", documents.paragraph_new, name="paragraph_new"),
    path(S + "amend/", amendments.amend_section, name="amend_section"),
    path(S + "minority/new/", consensus.minority_new, name="minority_new"),
    path(P, paragraphs.paragraph_detail, name="paragraph"),
    path(P + "edit/", paragraphs.paragraph_edit, name="paragraph_edit"),
    path(P + "remove/", paragraphs.paragraph_remove, name="paragraph_remove"),
    path(P + "alternatives/", paragraphs.alternatives_edit, name="alternatives"),
    path(P + "brackets/", paragraphs.brackets, name="brackets"),
    path(P + "sponsor/", paragraphs.sponsor, name="sponsor"),
    path(P + "comments/", paragraphs.comment, name="comment"),
    path(P + "confirm/", paragraphs.confirm, name="confirm"),
    path(P + "amend/", amendments.amend_paragraph, name="amend_paragraph"),
    path(D + "comments/<int:comment_id>/delete/", paragraphs.comment_delete, name="comment_delete"),
    path(D + "amendments/", amendments.amendment_list, name="amendments"),
    path(A, amendments.amendment_detail, name="amendment"),
    path(A + "position/", amendments.amendment_position, name="amendment_position"),
    path(A + "decide/", amendments.amendment_decide, name="amendment_decide"),
    path(A + "withdraw/", amendments.amendment_withdraw, name="amendment_withdraw"),
    path(A + "revise/", amendments.amendment_revise, name="amendment_revise"),
    path(D + "consensus/", consensus.calls, name="calls"),
    path(D + "consensus/new/", consensus.consensus_new, name="consensus_new"),
    path(D + "minority/<int:statement_id>/", consensus.minority_action, name="minority_action"),
    path(D + "silence/new/", consensus.silence_new, name="silence_new"),
    path(D + "silence/<int:procedure_id>/", consensus.silence_detail, name="silence"),
    path(D + "silence/<int:procedure_id>/act/", consensus.silence_action, name="silence_action"),
    path(D + "export/", exports.export_form, name="export"),
    path(D + "print/", exports.print_view, name="print"),
    path(D + "exports/<int:job_id>/", exports.export_job, name="export_job"),
    path(D + "exports/<int:job_id>/download/", exports.export_download, name="export_download"),
]
