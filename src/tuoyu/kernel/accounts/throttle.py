"""Login throttling that slows guessing without locking an office out.

Three limits, none of them counted here:
- **per account and address** (django-axes): five wrong passwords for one account from one address
  lock that pair; each further round of failures that day doubles the wait (back-off). Colleagues
  behind the same address, and the account holder elsewhere, are not affected;
- **per address** (``attempts``, in the shared cache — Redis when configured): a generous
  ceiling of failures from one address across all accounts, against someone trying many names;
- **per account** (``attempts``): failures for one account across all addresses slow further
  attempts for a few minutes, except from an address where the account has signed in before —
  so guessing from many places cannot keep the holder out at their own desk.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from tuoyu import clock
from tuoyu.kernel.accounts import attempts
from tuoyu.kernel.accounts.actor import client_ip

ADDRESS_GROUP = "tuoyu.login.address"
ACCOUNT_GROUP = "tuoyu.login.account"


def username_of(request, credentials=None) -> str:
    """The account a login attempt is for, as axes and the limits below count it: case-insensitive."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return (raw or "").strip().lower()


def address_of(request) -> str | None:
    return client_ip(request)


def cool_off(request=None) -> dt.timedelta:
    """How long a locked account-and-address pair waits: the base period, doubled for every earlier
    round of failures of the same pair in the last day, at most a day."""
    base = dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    if request is None or not hasattr(request, "POST"):
        return base
    from axes.models import AccessFailureLog

    since = clock.now() - dt.timedelta(days=1)
    failures = AccessFailureLog.objects.filter(
        username=username_of(request), ip_address=address_of(request), attempt_time__gte=since
    ).count()
    rounds = max(0, (failures - 1) // settings.LOGIN_MAX_FAILURES)
    return min(base * 2**rounds, dt.timedelta(days=1))


def _account_rate(request, username: str) -> str | None:
    """No slow-down from an address where this account has signed in within the last 90 days."""
    from axes.models import AccessLog

    trusted = AccessLog.objects.filter(
        username__iexact=username,
        ip_address=address_of(request),
        attempt_time__gte=clock.now() - dt.timedelta(days=90),
    ).exists()
    return None if trusted else settings.LOGIN_ACCOUNT_RATE


def refusal(request, username: str) -> str | None:
    """Why this attempt is refused before the password is even checked, in Chinese; None to go on."""
    limit, period = attempts.rate(settings.LOGIN_ADDRESS_RATE)
    if attempts.refused(ADDRESS_GROUP, f"ip:{address_of(request)}", limit, period):
        return "本网络地址近期登录失败次数过多，请稍后再试；如需帮助请联系平台管理员。"
    account_rate = _account_rate(request, username)
    if account_rate is not None:
        limit, period = attempts.rate(account_rate)
        left = attempts.wait(ACCOUNT_GROUP, f"user:{username}", limit, period)
        if left:
            minutes = max(1, round(left.total_seconds() / 60))
            return (
                f"该账号近期在多处登录失败，为安全起见请 {minutes} 分钟后再试；在您常用的地点登录不受影响。"
            )
    return None


def record_failure(request, username: str) -> None:
    _, period = attempts.rate(settings.LOGIN_ADDRESS_RATE)
    attempts.failure_record(ADDRESS_GROUP, f"ip:{address_of(request)}", period)
    account_rate = _account_rate(request, username)
    if account_rate is not None:
        attempts.failure_record(ACCOUNT_GROUP, f"user:{username}", attempts.rate(account_rate)[1])
