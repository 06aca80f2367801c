"""/course/: the patient's pages, the account pages and the clinic (clinician) pages."""

from django.urls import path

from rxplain.course import views_account as account
from rxplain.course import views_clinician as clinic
from rxplain.course import views_patient as patient

app_name = "course"
urlpatterns = [
    path("", patient.start, name="start"),
    path("new/", patient.new, name="new"),
    path("crisis/", patient.crisis, name="crisis"),
    path("<int:pk>/", patient.detail, name="detail"),
    path("<int:pk>/edit/", patient.edit, name="edit"),
    path("<int:pk>/delete/", patient.delete_course, name="delete"),
    path("<int:pk>/dose/", patient.dose_change, name="dose_change"),
    path("<int:pk>/log/", patient.dose_log, name="dose_log"),
    path("<int:pk>/check-in/", patient.checkin, name="checkin"),
    path("<int:pk>/check-in/<int:checkin_pk>/", patient.checkin_detail, name="checkin_detail"),
    path("<int:pk>/labs/", patient.labs, name="labs"),
    path("<int:pk>/summary/", patient.summary, name="summary"),
    path("<int:pk>/summary.pdf", patient.summary_pdf, name="summary_pdf"),
    path("<int:pk>/chart/dose.svg", patient.chart_dose, name="chart_dose"),
    path("<int:pk>/chart/labs.svg", patient.chart_labs, name="chart_labs"),
    # account
    path("signup/", account.signup, name="signup"),
    path("link/", account.link, name="link"),
    path("link/<int:link_pk>/remove/", account.unlink, name="unlink"),
    path("export.csv", account.export_csv, name="export"),
    path("account/delete/", account.delete_account, name="delete_account"),
    # clinic
    path("clinic/", clinic.dashboard, name="dashboard"),
    path("clinic/invite/", clinic.invite, name="invite"),
    path("clinic/<int:pk>/", clinic.patient, name="clinic_patient"),
    path("clinic/<int:pk>/labs-due/", clinic.labs_due, name="clinic_labs_due"),
    path("clinic/<int:pk>/summary/", clinic.summary, name="clinic_summary"),
    path("clinic/<int:pk>/summary.pdf", clinic.summary_pdf, name="clinic_summary_pdf"),
    path("clinic/<int:pk>/chart/dose.svg", clinic.chart_dose, name="clinic_chart_dose"),
    path("clinic/<int:pk>/chart/labs.svg", clinic.chart_labs, name="clinic_chart_labs"),
]
