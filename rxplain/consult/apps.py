from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "rxplain.consult"
    label = "consult"
    verbose_name = "Consultations"
