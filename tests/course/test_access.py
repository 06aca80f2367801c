"""Who sees what: a patient only their own course, a clinician only linked patients'; everyone else gets 404.

Every clinician view of a record writes an audit row; a refused view writes none.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rxplain.course.models import AuditLog, CareLink, CheckIn, ClinicianInvite, Course

PATIENT_PAGES = ["detail", "edit", "dose_change", "dose_log", "checkin", "labs", "summary", "summary_pdf",
                 "chart_dose", "chart_labs"]
CLINIC_PAGES = ["clinic_patient", "clinic_summary", "clinic_summary_pdf", "clinic_chart_dose", "clinic_chart_labs"]
API_GETS = ["/api/course/courses/{id}", "/api/course/courses/{id}/doses", "/api/course/courses/{id}/checkins",
            "/api/course/courses/{id}/labs"]


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PATIENT_PAGES)
def test_patient_sees_their_own_course_pages(client, patient, course, name):
    assert as_user(client, patient).get(reverse(f"course:{name}", args=[course.pk])).status_code == 200


@pytest.mark.parametrize("name", PATIENT_PAGES)
@pytest.mark.parametrize("who", ["other_patient", "stranger", "clinician"])
def test_anyone_else_gets_404_on_a_patients_course_pages(client, course, linked, request, name, who):
    # even the linked clinician: clinicians read records through the audited clinic pages
    user = request.getfixturevalue(who)
    assert as_user(client, user).get(reverse(f"course:{name}", args=[course.pk])).status_code == 404


def test_patient_gets_404_on_another_patients_course(client, patient, other_course):
    assert as_user(client, patient).get(reverse("course:detail", args=[other_course.pk])).status_code == 404


def test_patient_gets_404_on_another_patients_check_in(client, patient, course, other_course):
    other = CheckIn.objects.create(course=other_course, day=other_course.start_date)
    url = reverse("course:checkin_detail", args=[course.pk, other.pk])
    assert as_user(client, patient).get(url).status_code == 404


def test_patient_cannot_post_to_another_patients_course(client, patient, other_course):
    client = as_user(client, patient)
    assert client.post(reverse("course:delete", args=[other_course.pk])).status_code == 404
    assert client.post(reverse("course:dose_log", args=[other_course.pk]),
                       {"action": "today", "taken": "no"}).status_code == 404
    assert Course.objects.filter(pk=other_course.pk).exists()
    assert not other_course.dose_entries.exists()


@pytest.mark.parametrize("url", API_GETS)
def test_patient_gets_404_on_another_patients_course_in_the_api(client, patient, other_course, url):
    assert as_user(client, patient).get(url.format(id=other_course.pk)).status_code == 404


def test_stranger_gets_404_from_the_api_and_an_empty_list(client, stranger, course):
    client = as_user(client, stranger)
    assert client.get(f"/api/course/courses/{course.pk}").status_code == 404
    assert client.get("/api/course/courses").json() == []
    response = client.post(f"/api/course/courses/{course.pk}/doses", {"first": "2025-05-01", "taken": False},
                           content_type="application/json")
    assert response.status_code == 404
    assert not course.dose_entries.exists()


def test_the_api_lists_only_the_patients_own_courses(client, patient, course, other_course):
    ids = [c["id"] for c in as_user(client, patient).get("/api/course/courses").json()]
    assert ids == [course.pk]


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401(client, course):
    response = client.get(reverse("course:detail", args=[course.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(f"/api/course/courses/{course.pk}").status_code == 401


@pytest.mark.parametrize("name", CLINIC_PAGES)
def test_a_linked_clinician_sees_the_patients_record_and_each_view_is_audited(client, clinician, course, linked,
                                                                            name):
    response = as_user(client, clinician).get(reverse(f"course:{name}", args=[course.pk]))
    assert response.status_code == 200
    row = AuditLog.objects.get()
    assert (row.clinician, row.patient, row.course) == (clinician, course.patient, course)
    assert row.what


@pytest.mark.parametrize("name", CLINIC_PAGES)
@pytest.mark.parametrize("who", ["other_clinician", "stranger", "patient", "other_patient"])
def test_anyone_but_a_linked_clinician_gets_404_on_the_clinic_pages_and_nothing_is_audited(client, course, linked,
                                                                                         request, name, who):
    user = request.getfixturevalue(who)
    assert as_user(client, user).get(reverse(f"course:{name}", args=[course.pk])).status_code == 404
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "patient"])
def test_only_clinicians_have_a_dashboard(client, request, who, course):
    assert as_user(client, request.getfixturevalue(who)).get(reverse("course:dashboard")).status_code == 404
    assert as_user(client, request.getfixturevalue(who)).post(reverse("course:invite")).status_code == 404


def test_a_clinician_dashboard_lists_only_linked_patients_and_audits_each(client, clinician, course, other_course,
                                                                          linked):
    response = as_user(client, clinician).get(reverse("course:dashboard"))
    assert [r["course"] for r in response.context["rows"]] == [course]
    assert list(AuditLog.objects.values_list("patient__username", "what")) == [("patient", "dashboard")]


def test_the_invitation_code_links_a_patient_to_the_clinician_once(client, clinician, patient, other_patient, course):
    as_user(client, clinician).post(reverse("course:invite"))
    code = ClinicianInvite.objects.get(clinician=clinician).code
    response = as_user(client, patient).post(reverse("course:link"), {"code": code.lower()})
    assert response.status_code == 302
    assert CareLink.objects.filter(patient=patient, clinician=clinician).exists()
    assert as_user(client, clinician).get(reverse("course:clinic_patient", args=[course.pk])).status_code == 200

    response = as_user(client, other_patient).post(reverse("course:link"), {"code": code})
    assert "That code does not work" in response.content.decode()
    assert not CareLink.objects.filter(patient=other_patient).exists()


def test_an_expired_code_does_not_link(client, clinician, patient, frozen):
    invite = ClinicianInvite.objects.create(clinician=clinician)
    frozen.move_to(timezone.now() + timedelta(days=15), tick=False)
    response = as_user(client, patient).post(reverse("course:link"), {"code": invite.code})
    assert "That code does not work" in response.content.decode()
    assert not CareLink.objects.exists()


def test_removing_a_link_takes_the_clinicians_access_away(client, clinician, patient, course, linked):
    as_user(client, patient).post(reverse("course:unlink", args=[linked.pk]))
    assert as_user(client, clinician).get(reverse("course:clinic_patient", args=[course.pk])).status_code == 404


def test_a_patient_cannot_remove_another_patients_link(client, other_patient, linked):
    as_user(client, other_patient).post(reverse("course:unlink", args=[linked.pk]))
    assert CareLink.objects.filter(pk=linked.pk).exists()
