from django.urls import path

from rxplain.consult import views

app_name = "consult"
urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:visit_id>/", views.visit, name="visit"),
    path("<uuid:visit_id>/messages/", views.send, name="send"),
    path("<uuid:visit_id>/summary/", views.summary, name="summary"),
    path("<uuid:visit_id>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
