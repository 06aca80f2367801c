from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "rxplain.feedback"
    label = "feedback"
    verbose_name = "Feedback"
