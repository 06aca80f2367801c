"""The patient's pages: their own course only (anyone else's gives 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rxplain.course import forms, phq9, services
from rxplain.course.access import is_clinician, own_course
from rxplain.course.models import CheckIn, Course
from rxplain.course.rules import available_medicines, rules_for
from rxplain.course.safety import CRISIS_LINES, OUTSIDE_US
from rxplain.course.views_common import (
    course_context,
    dose_chart_response,
    lab_chart_response,
    pdf_response,
    state_of,
    summary_context,
)

DEFAULT_MEDICINE = "isotretinoin"


def _medicine(request: HttpRequest) -> str:
    wanted = request.GET.get("medicine") or request.POST.get("medicine") or DEFAULT_MEDICINE
    return wanted if wanted in available_medicines() else DEFAULT_MEDICINE


def start(request: HttpRequest) -> HttpResponse:
    """/course/: the landing page, or straight to the clinic, the patient's course, or a new course."""
    if not request.user.is_authenticated:
        return render(request, "course/landing.html")
    if is_clinician(request.user):
        return redirect("course:dashboard")
    course = Course.objects.filter(patient=request.user).first()
    return redirect("course:detail", pk=course.pk) if course else redirect("course:new")


@login_required
def new(request: HttpRequest) -> HttpResponse:
    medicine = _medicine(request)
    rules = rules_for(medicine)
    form = forms.CourseForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        course = services.create_course(request.user, form, medicine)
        messages.success(request, "Your course is set up.")
        return redirect("course:detail", pk=course.pk)
    return render(request, "course/course_form.html", {"form": form, "rules": rules, "medicine": medicine,
                                                       "title": "Start your course record"})


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    state = state_of(own_course(request.user, pk))
    context = course_context(state)
    context["today_form"] = forms.DoseTodayForm()
    context["today_entry"] = next((e for e in state.course.dose_entries.all() if e.day == state.today), None)
    return render(request, "course/detail.html", context)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = own_course(request.user, pk)
    rules = rules_for(course.medicine)
    form = forms.CourseEditForm(request.POST or None, instance=course, rules=rules)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("course:detail", pk=course.pk)
    return render(request, "course/course_form.html", {"form": form, "rules": rules, "course": course,
                                                       "title": "Edit your course"})


@login_required
def dose_change(request: HttpRequest, pk: int) -> HttpResponse:
    course = own_course(request.user, pk)
    rules = rules_for(course.medicine)
    form = forms.DoseChangeForm(request.POST or None, course=course, rules=rules)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The new dose is saved. The figures now use it from its first day.")
        return redirect("course:detail", pk=course.pk)
    return render(request, "course/dose_change.html", {"form": form, "course": course, "rules": rules})


@never_cache
@login_required
def dose_log(request: HttpRequest, pk: int) -> HttpResponse:
    course = own_course(request.user, pk)
    today_form = forms.DoseTodayForm(request.POST if request.POST.get("action") == "today" else None)
    range_form = forms.DoseRangeForm(request.POST if request.POST.get("action") == "range" else None, course=course)
    if request.method == "POST":
        today = timezone.localdate()
        if request.POST.get("action") == "today" and today_form.is_valid():
            if course.start_date > today or (course.end_date and course.end_date < today):
                messages.error(request, "Today is outside your course dates.")
            else:
                services.log_doses(course, [today], today_form.cleaned_data["taken"])
                messages.success(request, "Today's dose is logged.")
                target = "course:detail" if request.POST.get("next") == "detail" else "course:dose_log"
                return redirect(target, pk=course.pk)
        elif request.POST.get("action") == "range" and range_form.is_valid():
            count = services.log_doses(course, range_form.days(), range_form.cleaned_data["taken"])
            messages.success(request, f"{count} days logged.")
            return redirect("course:dose_log", pk=course.pk)
    state = state_of(course)
    entries = sorted(state.course.dose_entries.all(), key=lambda e: e.day, reverse=True)
    return render(request, "course/dose_log.html", {
        "course": course, "today_form": today_form, "range_form": range_form, "entries": entries[:120],
        "f": state.figures, "today": state.today,
    })


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    course = own_course(request.user, pk)
    rules = rules_for(course.medicine)
    form = forms.CheckInForm(request.POST or None, course=course, rules=rules)
    if request.method == "POST" and form.is_valid():
        outcome = services.save_checkin(course, form, rules)
        if outcome.crisis:
            return redirect("course:crisis")
        return redirect("course:checkin_detail", pk=course.pk, checkin_pk=outcome.checkin.pk)
    return render(request, "course/checkin_form.html", {
        "form": form, "course": course, "rules": rules, "phq9_lead_in": phq9.LEAD_IN,
    })


@login_required
def checkin_detail(request: HttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    course = own_course(request.user, pk)
    rules = rules_for(course.medicine)
    item = get_object_or_404(CheckIn, pk=checkin_pk, course=course)
    effects = {s.id: s.label for s in rules.side_effects}
    return render(request, "course/checkin_detail.html", {
        "course": course, "checkin": item, "rules": rules, "phq9": item.phq9,
        "side_effects": [(effects.get(k, k), v) for k, v in item.side_effects.items()],
        "positive": item.pregnancy_test_result == "positive",
        "red_flag": rules.red_flags.get(item.triage_category),
    })


def crisis(request: HttpRequest) -> HttpResponse:
    """The crisis screen: open to anyone, signed in or not."""
    return render(request, "course/crisis.html", {"lines": CRISIS_LINES, "outside_us": OUTSIDE_US})


@never_cache
@login_required
def labs(request: HttpRequest, pk: int) -> HttpResponse:
    course = own_course(request.user, pk)
    rules = rules_for(course.medicine)
    form = forms.LabForm(request.POST or None, course=course, rules=rules)
    if request.method == "POST" and form.is_valid():
        services.save_lab(course, form)
        messages.success(request, "The result is saved.")
        return redirect("course:labs", pk=course.pk)
    context = course_context(state_of(course))
    context.update(form=form, labs_due=[(i, s) for i, s in context["due"] if i.kind == "labs"])
    return render(request, "course/labs.html", context)


@never_cache
@login_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    state = state_of(own_course(request.user, pk))
    return render(request, "course/summary.html", {"course": state.course, "s": summary_context(state),
                                                   "state": state, "pdf_url_name": "course:summary_pdf"})


@login_required
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return pdf_response(own_course(request.user, pk))


@login_required
def chart_dose(request: HttpRequest, pk: int) -> HttpResponse:
    return dose_chart_response(own_course(request.user, pk))


@login_required
def chart_labs(request: HttpRequest, pk: int) -> HttpResponse:
    return lab_chart_response(own_course(request.user, pk))


@require_POST
@login_required
def delete_course(request: HttpRequest, pk: int) -> HttpResponse:
    own_course(request.user, pk).delete()
    messages.success(request, "The course record is deleted.")
    return redirect("course:start")
