from django.urls import path

from rxplain.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.start, name="start"),
    path("thanks/", views.thanks, name="thanks"),
    path("helpful/", views.helpful, name="helpful"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
]
