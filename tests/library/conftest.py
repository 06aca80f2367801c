"""The library's cast: an editor who drafts, a clinical reviewer who approves, and a stranger."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from rxplain.library.models import ArticlePage, ReviewerProfile
from rxplain.library.roles import CLINICAL_REVIEWERS, EDITORS


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-editor-123")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer", password="pw-reviewer-123", first_name="Ana",
                                                 last_name="Ruiz")
    user.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    ReviewerProfile.objects.create(user=user, display_name="Dr Ana Ruiz", credentials="MD, dermatologist")
    return user


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("stranger", password="pw-stranger-123")


@pytest.fixture
def article(db) -> ArticlePage:
    return ArticlePage.objects.live().get(slug="how-isotretinoin-works").specific
