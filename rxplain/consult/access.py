"""Who may open a visit: the browser session or the API token that started it (and a signed-in owner).

Everyone else gets 404, never 403, so a visit's existence is not revealed. Only hashes of the secrets are stored.
"""

from __future__ import annotations

import secrets
import uuid

from django.db.models import Q
from django.http import Http404, HttpRequest

from rxplain.consult.models import ConsultSession, owner_hash

SESSION_KEY = "consult_owner"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def browser_owner(request: HttpRequest, create: bool = False) -> str | None:
    """The owner hash of this browser session; with create=True a secret is made on first use.

    A secret kept in the session (rather than the session key itself) survives the key change at sign-in.
    """
    secret = request.session.get(SESSION_KEY)
    if not secret and create:
        secret = new_secret()
        request.session[SESSION_KEY] = secret
    return owner_hash("web", secret) if secret else None


def token_owner(token: str) -> str:
    return owner_hash("api", token)


def visit_for_browser(request: HttpRequest, public_id: uuid.UUID) -> ConsultSession:
    owner = browser_owner(request)
    allowed = Q(owner_hash=owner, channel=ConsultSession.Channel.WEB) if owner else Q(pk__in=[])
    if request.user.is_authenticated:
        allowed |= Q(user=request.user)
    visit = ConsultSession.objects.filter(allowed, public_id=public_id).first()
    if visit is None:
        raise Http404("No such consultation.")
    return visit


def visit_for_token(token: str, public_id: uuid.UUID) -> ConsultSession:
    visit = ConsultSession.objects.filter(
        owner_hash=token_owner(token), channel=ConsultSession.Channel.API, public_id=public_id
    ).first()
    if visit is None:
        raise Http404("No such consultation.")
    return visit
