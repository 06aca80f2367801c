from django.apps import AppConfig


class CourseConfig(AppConfig):
    name = "rxplain.course"
    label = "course"
