from django.urls import path

app_name = "feedback"
urlpatterns: list = [
    path("", lambda request: __import__("django.http").http.HttpResponse("coming soon"), name="start"),
    path("contact/", lambda request: __import__("django.http").http.HttpResponse("coming soon"), name="contact"),
]
