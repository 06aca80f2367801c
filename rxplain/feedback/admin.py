"""Staff views: NPS with its arithmetic shown, helpfulness per article, and contact tickets with an overdue flag."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from rxplain.feedback.models import REPLY_DAYS, ArticleVote, ContactTicket, NpsResponse
from rxplain.feedback.nps import summarise_queryset


def _filtered_queryset(response) -> QuerySet | None:
    # The change list's own queryset, so the summary follows the admin's filters and search.
    context = getattr(response, "context_data", None) or {}
    changelist = context.get("cl")
    return changelist.queryset if changelist is not None else None


class _AnswersAdmin(admin.ModelAdmin):
    """Read-only lists of what visitors sent, with a summary of the filtered rows above the list."""

    summary_name = ""

    def summarise(self, queryset: QuerySet) -> object:
        raise NotImplementedError

    @admin.display(boolean=True, description="comment")
    def has_comment(self, obj: NpsResponse | ArticleVote) -> bool:
        return bool(obj.comment)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        queryset = _filtered_queryset(response)
        if queryset is not None:
            response.context_data[self.summary_name] = self.summarise(queryset)
        return response


@admin.register(NpsResponse)
class NpsResponseAdmin(_AnswersAdmin):
    list_display = ["created_at", "score", "group", "has_comment", "visit"]
    list_filter = ["score", "created_at"]
    date_hierarchy = "created_at"
    readonly_fields = ["score", "comment", "visit", "created_at"]
    search_fields = ["comment"]

    @admin.display(description="group")
    def group(self, obj: NpsResponse) -> str:
        return obj.group

    summary_name = "nps"

    def summarise(self, queryset: QuerySet) -> object:
        return summarise_queryset(queryset)


@admin.register(ArticleVote)
class ArticleVoteAdmin(_AnswersAdmin):
    list_display = ["created_at", "page_title", "page_url", "helpful", "has_comment"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["page_title", "page_url", "comment"]
    readonly_fields = ["page", "page_url", "page_title", "helpful", "comment", "created_at"]

    summary_name = "helpfulness"

    def summarise(self, queryset: QuerySet) -> object:
        return helpfulness_by_article(queryset)


def helpfulness_by_article(votes: QuerySet) -> list[dict]:
    """Yes and no counts per article, least helpful first (what to improve next)."""
    rows = (
        votes.order_by()
        .values("page_url")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    )
    titles = dict(votes.order_by().exclude(page_title="").values_list("page_url", "page_title"))
    out = []
    for row in rows:
        total = row["yes"] + row["no"]
        out.append({**row, "title": titles.get(row["page_url"], ""), "total": total,
                    "percent": round(100 * row["yes"] / total) if total else None})
    return sorted(out, key=lambda r: (r["percent"] if r["percent"] is not None else 101, -r["total"]))


class OverdueFilter(admin.SimpleListFilter):
    title = "reply overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", f"Overdue (open over {REPLY_DAYS} days)"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        cutoff = timezone.now() - dt.timedelta(days=REPLY_DAYS)
        overdue = Q(status=ContactTicket.Status.OPEN, created_at__lt=cutoff)
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


@admin.register(ContactTicket)
class ContactTicketAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "name", "email", "status", "overdue"]
    list_filter = [OverdueFilter, "status", "created_at"]
    search_fields = ["number", "name", "email"]
    readonly_fields = ["number", "name", "email", "message", "created_at"]
    fields = ["number", "created_at", "name", "email", "message", "status", "answered_at"]
    actions = ["mark_answered"]

    @admin.display(boolean=True, description=f"overdue (> {REPLY_DAYS} days)")
    def overdue(self, obj: ContactTicket) -> bool:
        return obj.is_overdue

    @admin.action(description="Mark selected tickets as answered")
    def mark_answered(self, request, queryset):
        updated = queryset.filter(status=ContactTicket.Status.OPEN).update(
            status=ContactTicket.Status.ANSWERED, answered_at=timezone.now()
        )
        self.message_user(request, f"{updated} ticket(s) marked as answered.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
