"""The consultation pages. HTMX makes the chat feel live; every form also works as a plain POST without JavaScript."""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rxplain.consult import limits
from rxplain.consult.access import browser_owner, visit_for_browser
from rxplain.consult.models import ConsultSession
from rxplain.consult.summary import exchanges, pdf_bytes, pdf_filename, status_line
from rxplain.consult.turn import VisitClosed, take_turn
from rxplain.feedback.models import NpsResponse

logger = logging.getLogger("rxplain.consult")


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The front door: explain the visit, start one (no account needed), and list a signed-in patient's past visits."""
    if request.method == "POST":
        retry = limits.check_start_rate(request)
        if retry:
            return _start_page(request, status=429, retry_after=retry)
        owner = browser_owner(request, create=True)
        visit = ConsultSession.objects.create(
            owner_hash=owner, channel=ConsultSession.Channel.WEB,
            user=request.user if request.user.is_authenticated else None,
        )
        logger.info("visit started visit=%s channel=web", visit.public_id)
        return redirect("consult:visit", visit_id=visit.public_id)
    return _start_page(request)


def _start_page(request: HttpRequest, status: int = 200, retry_after: int | None = None) -> HttpResponse:
    past = []
    if request.user.is_authenticated:
        past = list(ConsultSession.objects.filter(user=request.user).order_by("-started_at")[:50])
    owner = browser_owner(request)
    current = None
    if owner:
        current = ConsultSession.objects.filter(
            owner_hash=owner, channel=ConsultSession.Channel.WEB, status=ConsultSession.Status.OPEN
        ).first()
        if current and current.expire_if_due():
            current = None
    response = render(
        request, "consult/start.html",
        {"past_visits": past, "current": current, "retry_after": retry_after}, status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_GET
def visit(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    consult = visit_for_browser(request, visit_id)
    if consult.expire_if_due():
        flash.info(request, "Your 15 minutes are up. Here is a summary of your visit.")
        return redirect("consult:summary", visit_id=consult.public_id)
    return _chat_page(request, consult)


def _chat_page(request: HttpRequest, consult: ConsultSession, status: int = 200, **extra: object) -> HttpResponse:
    context = {"visit": consult, "messages_list": list(consult.messages.all()),
               "max_chars": limits.max_chars(), "max_chars_text": f"{limits.max_chars():,}", **extra}
    return render(request, "consult/visit.html", context, status=status)


@never_cache
@require_POST
def send(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """Take one message. HTMX gets the new messages as a fragment; a plain POST is redirected back to the chat."""
    consult = visit_for_browser(request, visit_id)
    if consult.expire_if_due() or not consult.is_open:
        return _closed(request, consult)

    text = (request.POST.get("text") or "").strip()
    if not text:
        return _refuse(request, consult, 400, "Please write your question first.", text)
    if len(text) > limits.max_chars():
        return _refuse(request, consult, 413, limits.too_long_message(), text)
    retry = limits.check_message_rate(request, consult.owner_hash)
    if retry:
        message = f"You are sending messages very quickly. Please wait {retry} seconds and try again."
        return _refuse(request, consult, 429, message, text, retry_after=retry)

    try:
        turn = take_turn(consult, text)
    except VisitClosed:
        return _closed(request, consult)

    if not request.htmx:
        anchor = f"#m{turn.new_messages[-1].id}"
        return redirect(reverse("consult:visit", kwargs={"visit_id": consult.public_id}) + anchor, permanent=False)
    if not turn.visit.is_open:  # a crisis: the whole panel becomes the emergency screen
        response = render(request, "consult/_panel.html", {"visit": turn.visit, "messages_list": []})
        response["HX-Retarget"] = "#consult-panel"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "consult/_messages.html", {"messages_list": turn.new_messages, "visit": turn.visit})


def _closed(request: HttpRequest, consult: ConsultSession) -> HttpResponse:
    if consult.status == ConsultSession.Status.ENDED_TIME:
        flash.info(request, "Your 15 minutes are up. Here is a summary of your visit.")
        target = reverse("consult:summary", kwargs={"visit_id": consult.public_id})
    else:
        target = reverse("consult:visit", kwargs={"visit_id": consult.public_id})
    if request.htmx:
        response = HttpResponse(status=200)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _refuse(request: HttpRequest, consult: ConsultSession, status: int, error: str, text: str,
            retry_after: int | None = None) -> HttpResponse:
    """Say plainly why a message was not taken; the text stays in the box (no JS) or in the form (HTMX)."""
    if request.htmx:
        response = render(request, "consult/_error.html", {"error": error}, status=status)
        response["HX-Retarget"] = "#consult-error"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = _chat_page(request, consult, status=status, error=error, draft=text)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_GET
def summary(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    consult = visit_for_browser(request, visit_id)
    consult.expire_if_due()
    ask_survey = (consult.status == ConsultSession.Status.ENDED_TIME or consult.is_open) and not (
        NpsResponse.objects.filter(visit=consult).exists()
    )
    context = {"visit": consult, "exchanges": exchanges(consult), "status_line": status_line(consult),
               "ask_survey": ask_survey}
    return render(request, "consult/summary.html", context)


@never_cache
@require_GET
def summary_pdf(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    consult = visit_for_browser(request, visit_id)
    consult.expire_if_due()
    response = HttpResponse(pdf_bytes(consult), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(consult)}"'
    response["Cache-Control"] = "no-store"
    return response
