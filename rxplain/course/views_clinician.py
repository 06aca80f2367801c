"""The clinician's pages: linked patients only (others get 404), and every view of a record is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rxplain.course import forms
from rxplain.course.access import clinician_course, followed_courses, is_clinician
from rxplain.course.flags import LEVELS
from rxplain.course.models import AuditLog, ClinicianInvite
from rxplain.course.records import PREFETCH, State
from rxplain.course.schedule import day_text
from rxplain.course.views_common import (
    course_context,
    dose_chart_response,
    lab_chart_response,
    patient_name,
    pdf_response,
    state_of,
    summary_context,
    timeline,
)


def _clinician_only(request: HttpRequest) -> None:
    if not is_clinician(request.user):
        raise Http404


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Linked patients, those with the most pressing flags first."""
    _clinician_only(request)
    today = timezone.localdate()
    rows = []
    for course in followed_courses(request.user).prefetch_related(*PREFETCH):
        state = State.of(course, today)
        top = state.flags[0].rank if state.flags else len(LEVELS)
        rows.append({"course": course, "name": patient_name(course), "state": state, "flags": state.flags,
                     "rank": top, "f": state.figures})
    # Most pressing flag first, then more flags, then the latest course start.
    rows.sort(key=lambda r: (r["rank"], -len(r["flags"]), -r["course"].start_date.toordinal()))
    # The dashboard shows each patient's figures and flags: that is a view of their record, so it is audited too.
    AuditLog.objects.bulk_create([AuditLog(clinician=request.user, patient=r["course"].patient, course=r["course"],
                                           what="dashboard") for r in rows])
    invites = ClinicianInvite.objects.filter(clinician=request.user, used_by__isnull=True,
                                             expires_at__gt=timezone.now()).order_by("-created_at")
    return render(request, "course/dashboard.html", {"rows": rows, "invites": invites, "today": today})


@require_POST
@login_required
def invite(request: HttpRequest) -> HttpResponse:
    _clinician_only(request)
    code = ClinicianInvite.objects.create(clinician=request.user)
    messages.success(request, f"New invitation code: {code.code}. Give it to your patient; it works once, "
                              f"until {day_text(code.expires_at.date())}.")
    return redirect("course:dashboard")


@never_cache
@login_required
def patient(request: HttpRequest, pk: int) -> HttpResponse:
    state = state_of(clinician_course(request.user, pk, "course page"))
    context = course_context(state)
    context.update(timeline=timeline(state), name=patient_name(state.course),
                   labs_due_form=forms.LabsDueForm(instance=state.course))
    return render(request, "course/clinic_patient.html", context)


@require_POST
@login_required
def labs_due(request: HttpRequest, pk: int) -> HttpResponse:
    course = clinician_course(request.user, pk, "set next blood tests")
    form = forms.LabsDueForm(request.POST, instance=course)
    if form.is_valid():
        form.save()
        messages.success(request, "The next blood-test date is saved; the patient will be reminded.")
    else:
        messages.error(request, "Enter a valid date.")
    return redirect("course:clinic_patient", pk=course.pk)


@never_cache
@login_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    state = state_of(clinician_course(request.user, pk, "summary"))
    return render(request, "course/summary.html", {"course": state.course, "s": summary_context(state),
                                                   "state": state, "pdf_url_name": "course:clinic_summary_pdf"})


@login_required
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return pdf_response(clinician_course(request.user, pk, "summary PDF"))


@login_required
def chart_dose(request: HttpRequest, pk: int) -> HttpResponse:
    return dose_chart_response(clinician_course(request.user, pk, "dose chart"))


@login_required
def chart_labs(request: HttpRequest, pk: int) -> HttpResponse:
    return lab_chart_response(clinician_course(request.user, pk, "lab chart"))
