from django.urls import path

app_name = "consult"
urlpatterns: list = [
    path("", lambda request: __import__("django.http").http.HttpResponse("coming soon"), name="start"),
]
