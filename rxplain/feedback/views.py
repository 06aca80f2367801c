"""Feedback pages: the NPS survey, the article "Was this helpful?" vote, and the contact form with its ticket."""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages as flash
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rxplain.consult.access import visit_for_browser
from rxplain.consult.limits import Rate, client_ip, hit
from rxplain.consult.models import ConsultSession
from rxplain.feedback.forms import ContactForm, HelpfulForm, NpsForm
from rxplain.feedback.models import REPLY_DAYS, ArticleVote, ContactTicket, NpsResponse

logger = logging.getLogger("rxplain.feedback")
TICKET_SESSION_KEY = "feedback_ticket"
CONTACT_RATE = Rate(5, 3600)  # messages per address per hour: plenty for people, little for a spam script


def _owned_visit(request: HttpRequest, public_id: str) -> ConsultSession | None:
    # A score is linked to a visit only by the person who had it; anyone else's answer is kept without the link.
    try:
        return visit_for_browser(request, uuid.UUID(public_id))
    except (ValueError, TypeError, Http404):
        return None


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The NPS survey: 'How likely are you to recommend Rxplain to a friend or family member?' (0-10)."""
    if request.method == "POST":
        form = NpsForm(request.POST)
        if form.is_valid():
            response = form.save(commit=False)
            visit = _owned_visit(request, form.cleaned_data.get("visit"))
            if visit is not None and not NpsResponse.objects.filter(visit=visit).exists():
                response.visit = visit
            try:
                response.save()
            except IntegrityError:  # a second answer for the same visit, sent twice at once: keep it unlinked
                response.visit = None
                response.save()
            logger.info("nps answer id=%s score=%s", response.pk, response.score)
            if request.htmx:
                return render(request, "feedback/_nps_thanks.html")
            return redirect("feedback:thanks")
        status = 400
    else:
        form = NpsForm(initial={"visit": request.GET.get("visit", "")})
        status = 200
    template = "feedback/nps_form.html" if request.htmx else "feedback/nps.html"
    return render(request, template, {"form": form, "visit_id": form["visit"].value()}, status=status)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/thanks.html")


@require_POST
def helpful(request: HttpRequest) -> HttpResponse:
    """Record a vote from the article widget; works with HTMX (the widget is replaced) and as a plain form."""
    form = HelpfulForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Please choose yes or no.", status=400, content_type="text/plain; charset=utf-8")
    page = _page(form.cleaned_data.get("page_id"))
    next_url = form.cleaned_data.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = (page.url if page is not None else None) or "/"
    vote = ArticleVote.objects.create(
        page=page,
        page_url=page.url if page is not None and page.url else next_url,
        page_title=page.title if page is not None else "",
        helpful=form.cleaned_data["helpful"] == "yes",
        comment=form.cleaned_data.get("comment", ""),
    )
    logger.info("article vote id=%s page=%s helpful=%s", vote.pk, vote.page_id, vote.helpful)
    if request.htmx:
        return render(request, "feedback/_helpful_thanks.html", {"vote": vote})
    flash.success(request, "Thank you for your feedback.")
    return redirect(next_url + "#was-this-helpful")


def _page(page_id: int | None):
    if not page_id:
        return None
    from wagtail.models import Page

    return Page.objects.filter(pk=page_id).first()


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        retry = hit("contact", client_ip(request), CONTACT_RATE)
        if retry:
            response = render(request, "feedback/contact.html", {"form": ContactForm(request.POST), "retry_after": retry},
                              status=429)
            response["Retry-After"] = str(retry)
            return response
        form = ContactForm(request.POST)
        if form.is_valid():
            ticket = _open_ticket(form)
            logger.info("contact ticket opened id=%s", ticket.pk)
            send_mail(
                f"Rxplain: we received your message ({ticket.number})",
                f"Thank you for writing to Rxplain. Your ticket number is {ticket.number}.\n"
                f"We reply within 5-{REPLY_DAYS} days. In an emergency call 911; "
                "for suicidal thoughts call or text 988.\n",
                None, [ticket.email], fail_silently=True,
            )
            request.session[TICKET_SESSION_KEY] = ticket.number
            return redirect("feedback:contact_sent")
        return render(request, "feedback/contact.html", {"form": form}, status=400)
    return render(request, "feedback/contact.html", {"form": ContactForm()})


def _open_ticket(form: ContactForm) -> ContactTicket:
    for _ in range(5):  # 32^6 numbers: a clash is rare, but the number is unique, so retry on one
        try:
            with transaction.atomic():
                return form.save()
        except IntegrityError:
            form.instance.pk = None
            form.instance.number = ContactTicket._meta.get_field("number").get_default()
    raise RuntimeError("could not allocate a ticket number")


@require_GET
def contact_sent(request: HttpRequest) -> HttpResponse:
    number = request.session.get(TICKET_SESSION_KEY)
    if not number:
        return redirect("feedback:contact")
    return render(request, "feedback/contact_sent.html", {"number": number, "reply_days": REPLY_DAYS})
