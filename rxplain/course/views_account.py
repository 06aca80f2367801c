"""Account pages for patients: sign up, link a clinician, export all data, delete the account and its records."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from rxplain.course import export, forms, services
from rxplain.course.models import CareLink

log = logging.getLogger(__name__)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("course:start")
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome. Your account is ready.")
        return redirect("course:new")
    return render(request, "course/signup.html", {"form": form})


@login_required
def link(request: HttpRequest) -> HttpResponse:
    form = forms.LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_clinician(request.user, form.cleaned_data["code"])
        except services.LinkError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, "Your clinician can now see your course record.")
            return redirect("course:link")
    links = CareLink.objects.filter(patient=request.user).select_related("clinician")
    return render(request, "course/link.html", {"form": form, "links": links})


@login_required
def unlink(request: HttpRequest, link_pk: int) -> HttpResponse:
    if request.method == "POST":
        CareLink.objects.filter(pk=link_pk, patient=request.user).delete()
        messages.success(request, "That clinician can no longer see your course record.")
    return redirect("course:link")


@never_cache
@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.to_csv(request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rxplain-my-data-{timezone.localdate():%Y-%m-%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = forms.DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            with transaction.atomic():
                user.delete()  # cascades to courses, doses, check-ins, labs, reminders, links and invites
        except ProtectedError:
            log.error("account deletion blocked by a protected reference (user id %s)", user.pk)
            form.add_error(None, "We could not delete your account automatically. Please contact us and we "
                                 "will delete it for you.")
        else:
            logout(request)
            messages.success(request, "Your account and all its records are deleted.")
            return redirect("course:start")
    return render(request, "course/delete_account.html", {"form": form})
