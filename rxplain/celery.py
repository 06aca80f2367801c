"""The Celery app: reminders and background work (index rebuilds). Eager in the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rxplain.settings")

app = Celery("rxplain")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
