from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from rxplain.library.models import ArticlePage, GlossaryTerm, HubPage

MAX_QUERY = 200


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers (and the load bench's ceiling)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _expand_names(query: str) -> str:
    """A brand or common misspelling of a medicine also searches for its generic name."""
    lowered = query.lower()
    for hub in HubPage.objects.live().only("names", "medicine"):
        names = hub.names or {}
        variants = [*names.get("brands", []), *names.get("misspellings", []), *names.get("other_names", [])]
        if any(v.lower() in lowered for v in variants if v) and hub.medicine not in lowered:
            return f"{query} {names.get('generic', hub.medicine)}"
    return query


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context: dict = {"query": query[:MAX_QUERY], "results": [], "terms": [], "max_length": MAX_QUERY}
    if len(query) > MAX_QUERY:
        context["error"] = f"Please use a shorter search (at most {MAX_QUERY} characters)."
        return render(request, "search.html", context, status=400)
    if query:
        expanded = _expand_names(query)
        context["results"] = list(ArticlePage.objects.live().specific().search(expanded, operator="or")[:20])
        words = [w for w in query.split() if len(w) > 2][:5]
        term_filter = Q()
        for word in words:
            term_filter |= Q(term__icontains=word) | Q(slug__icontains=word)
        context["terms"] = list(GlossaryTerm.objects.filter(term_filter)[:10]) if words else []
    return render(request, "search.html", context)
