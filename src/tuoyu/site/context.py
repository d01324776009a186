from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from tuoyu import __version__


def _has_synthetic_data() -> bool:
    flag = cache.get("tuoyu:synthetic")
    if flag is None:
        from tuoyu.kernel.regions.models import Region

        flag = Region.objects.filter(synthetic=True).exists()
        cache.set("tuoyu:synthetic", flag, 60)
    return flag


def platform(request):
    """What every page needs: the synthetic-data banner, the menu the user's post opens, the version."""
    from tuoyu.kernel.manifest import menu

    synthetic = _has_synthetic_data()
    demo = {}
    # Only the demo command sets this; a production site never shows a password, whatever its data.
    if settings.TUOYU_DEMO_LOGINS and not request.user.is_authenticated:
        demo = {
            "demo_accounts": settings.TUOYU_DEMO_LOGINS["accounts"],
            "demo_password": settings.TUOYU_DEMO_LOGINS["password"],
        }
    return {
        **demo,
        "synthetic_data": synthetic,
        "menu": menu(request.user),
        "tuoyu_version": __version__,
        "tile_url": settings.TUOYU_TILE_URL,
    }
