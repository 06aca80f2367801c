from django.apps import AppConfig


class CourseConfig(AppConfig):
    name = "rxplain.course"
    label = "course"
    verbose_name = "Treatment course"

    def ready(self) -> None:
        # The project's Celery app must be the current one before any task is sent (eager in the embedded default).
        import rxplain.celery  # noqa: F401
