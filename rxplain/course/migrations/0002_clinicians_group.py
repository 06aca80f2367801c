"""The Clinicians group: its members follow patients who link them with an invitation code."""

from django.db import migrations

CLINICIANS = "Clinicians"  # rxplain.course.access.CLINICIANS (migrations do not import app code)


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=CLINICIANS)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=CLINICIANS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("course", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
