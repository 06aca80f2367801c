"""Limits on what a visitor may send: the message size cap and a small cache-based rate limiter.

The limiter counts requests in fixed windows in Django's cache: a local cache in the embedded default (so the count
is per process) and Redis when REDIS_URL is set (shared by every app server).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def max_chars() -> int:
    return int(getattr(settings, "CONSULT_MESSAGE_MAX_CHARS", 4000))


def too_long_message() -> str:
    return f"Your message is too long. Please keep it under {max_chars():,} characters."


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'20/60' means at most 20 requests in each 60-second window."""
        count, _, seconds = text.partition("/")
        rate = cls(int(count), int(seconds or 60))
        if rate.count < 1 or rate.seconds < 1:
            raise ValueError(f"a rate needs a positive count and window, not {text!r}")
        return rate


# Defaults, overridable in settings: a person types far slower than 20 messages a minute; an address may be a
# clinic or a household behind one router, so it gets more room.
DEFAULT_RATES = {
    "visitor": "20/60",  # messages per visitor (browser session or API token)
    "ip": "300/60",  # messages per client address
    "start": "30/600",  # new visits per client address
}


def rate(name: str) -> Rate:
    configured = getattr(settings, "CONSULT_RATE_LIMITS", {}) or {}
    return Rate.parse(configured.get(name, DEFAULT_RATES[name]))


def hit(scope: str, ident: str, limit: Rate) -> int | None:
    """Count one request; return None if allowed, or the seconds to wait (for Retry-After) if over the limit."""
    now = time.time()
    window = int(now // limit.seconds)
    key = f"rxplain:rl:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: start the window again
        cache.add(key, 1, timeout=limit.seconds + 1)
        count = 1
    if count <= limit.count:
        return None
    return max(1, math.ceil((window + 1) * limit.seconds - now))


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: behind a proxy, the proxy must set it from the real address (never trust X-Forwarded-For here).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check_message_rate(request: HttpRequest, owner: str) -> int | None:
    """Retry-After seconds if this visitor or their address is over the message rate, else None."""
    return hit("visitor", owner, rate("visitor")) or hit("ip", client_ip(request), rate("ip"))


def check_start_rate(request: HttpRequest) -> int | None:
    return hit("start", client_ip(request), rate("start"))
