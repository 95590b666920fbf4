"""Surveys in the admin site: definitions and invitations only.

Responses are not registered on purpose: nobody browses individual answers.
"""

from django.contrib import admin

from .models import Survey, SurveyInvitation


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "status", "results_audience", "created_at")
    list_filter = ("status", "results_audience")
    search_fields = ("title",)
    readonly_fields = ("definition", "source_name", "template", "results_version")
    exclude = ("source", "open_key")


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "survey", "used", "sent_at", "reminders_sent")
    list_filter = ("used",)
    search_fields = ("email",)
    readonly_fields = (
        "survey",
        "person",
        "email",
        "used",
        "sent_at",
        "reminders_sent",
        "last_reminded_at",
    )
    exclude = ("nonce", "token_hash")
