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
    from tuoyu.accounts.access import Action, can_list
    from tuoyu.accounts.models import Role
    from tuoyu.audit.models import AuditEvent
    from tuoyu.filings.models import Filing
    from tuoyu.registry.models import Institution

    if not user.is_authenticated:
        return {}
    return {
        "ledger": can_list(user, Institution),
        "audit": can_list(user, AuditEvent),
        "filings": can_list(user, Filing, Action.CHANGE),
        "queue": user.role in (Role.REGULATOR, Role.ADMIN),
        "planning": user.role in (Role.REGULATOR, Role.ADMIN, Role.EXPERT),
        "inbox": user.role in (Role.REGULATOR, Role.DEPARTMENT, Role.ADMIN),
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
