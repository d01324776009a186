"""Login throttling against password guessing.

Failures are counted per username and per client address in the shared cache (Redis when several
servers run). Past ``LOGIN_MAX_FAILURES`` within ``LOGIN_FAILURE_WINDOW_SECONDS`` further attempts
are refused without checking the password, until the window has passed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str | None) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    keys = [f"login-fail:user:{name}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def is_locked(username: str, ip: str | None) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(username, ip))


def record_failure(username: str, ip: str | None) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(username, ip):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def clear(username: str, ip: str | None) -> None:
    # A success clears the username's count only: the address may be shared by an office, and
    # clearing it would let a guesser reset their count by logging into an account of their own.
    cache.delete(_keys(username, ip)[0])
