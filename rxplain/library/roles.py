"""The library's roles: editors draft, clinical reviewers approve and publish."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

EDITORS = "Editors"
CLINICAL_REVIEWERS = "Clinical reviewers"
WORKFLOW_NAME = "Clinical review"


def is_clinical_reviewer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.groups.filter(name=CLINICAL_REVIEWERS).exists())
