from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "rxplain.library"
    label = "library"
    verbose_name = "Health library"

    def ready(self) -> None:
        # Celery's app is imported here, not in rxplain/__init__.py, so the plain-Python engines
        # (rxplain.answers, rxplain.triage) import without pulling in Celery or Django.
        import rxplain.celery  # noqa: F401
        from rxplain.library import signals  # noqa: F401  (review records and index rebuilds on publish)
