from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from tuoyu import __version__


def _has_synthetic_data() -> bool:
    flag = cache.get("tuoyu:synthetic")
    if flag is None:
        from tuoyu.regions.models import Region

        flag = Region.objects.filter(synthetic=True).exists()
        cache.set("tuoyu:synthetic", flag, 60)
    return flag


def _nav(user) -> dict[str, bool]:
    from tuoyu.accounts.access import Duty, can_list, has_duty
    from tuoyu.filings.models import Filing
    from tuoyu.messaging.models import Notification
    from tuoyu.messaging.services import unread_count
    from tuoyu.registry.models import Institution

    if not user.is_authenticated:
        return {}
    acts_for_institution = has_duty(user, Duty.ACT_FOR_INSTITUTION)
    return {
        "ledger": can_list(user, Institution),
        "audit": has_duty(user, Duty.READ_AUDIT),
        "filings": acts_for_institution,
        "queue": not acts_for_institution and can_list(user, Filing),
        "planning": has_duty(user, Duty.PLAN),
        "inbox": can_list(user, Notification),
        "rounds": has_duty(user, Duty.RUN_ROUNDS),
        "accounts": has_duty(user, Duty.MANAGE_ACCOUNTS),
        "applications": has_duty(user, Duty.APPLY_FOR_CHILDREN),
        "calendar": has_duty(user, Duty.MANAGE_CALENDAR),
        "unread": unread_count(user),
    }


def platform(request):
    """What every page needs: the synthetic-data banner, the menu the user's post opens, the version."""
    synthetic = _has_synthetic_data()
    demo = {}
    if synthetic and not request.user.is_authenticated:
        from tuoyu.devtools.demo_county import DEMO_ACCOUNTS, DEMO_PASSWORD

        demo = {"demo_accounts": DEMO_ACCOUNTS, "demo_password": DEMO_PASSWORD}
    return {
        **demo,
        "synthetic_data": synthetic,
        "nav": _nav(request.user),
        "tuoyu_version": __version__,
        "tile_url": settings.TUOYU_TILE_URL,
    }
