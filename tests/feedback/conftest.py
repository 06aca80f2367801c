"""Feedback's cast: a `patient` who had a visit, a `stranger`, and `staff` who read the admin."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.consult.helpers import Engines, install_fakes


@pytest.fixture(autouse=True)
def engines(monkeypatch) -> Engines:
    return install_fakes(monkeypatch)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def patient(db) -> Client:
    return Client()


@pytest.fixture
def stranger(db) -> Client:
    return Client()


@pytest.fixture
def staff(db, django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("staff", "staff@rxplain.example", "pw-staff-123")
    client = Client()
    client.force_login(user)
    return client
