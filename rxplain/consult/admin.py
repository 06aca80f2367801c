"""Staff see visits and safety events by id, status, category and time. Message text is not shown here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest

from rxplain.consult.models import ConsultSession, SafetyEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ConsultSession)
class ConsultSessionAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "started_at", "channel", "status", "message_count", "ended_at"]
    list_filter = ["status", "channel", "started_at"]
    search_fields = ["public_id"]
    date_hierarchy = "started_at"
    fields = ["public_id", "channel", "user", "medicine", "started_at", "expires_at", "status", "ended_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_total=Count("messages"))

    @admin.display(description="messages", ordering="message_total")
    def message_count(self, obj: ConsultSession) -> int:
        return obj.message_total


@admin.register(SafetyEvent)
class SafetyEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "verdict", "category", "visit_id"]
    list_filter = ["verdict", "category", "created_at"]
    date_hierarchy = "created_at"
    fields = ["created_at", "verdict", "category", "session"]
    readonly_fields = fields

    @admin.display(description="visit")
    def visit_id(self, obj: SafetyEvent) -> str:
        return str(obj.session.public_id)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session")
