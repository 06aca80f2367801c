from django.apps import AppConfig


class ConsultConfig(AppConfig):
    name = "rxplain.consult"
    label = "consult"
