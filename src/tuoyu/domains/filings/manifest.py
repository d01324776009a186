from tuoyu.domains.filings.actions import FILE, FOLLOW
from tuoyu.kernel.manifest import Manifest, MenuEntry, Place

MANIFEST = Manifest(
    urls="tuoyu.domains.filings.urls",
    menu=(
        MenuEntry("备案审核", "filings:queue", "queue", 20, act=FOLLOW, lists="filings.Filing"),
        MenuEntry("备案办理", "filings:index", "filings", 21, act=FILE),
        MenuEntry("备案公示", "filings:public", "public-filings", 130, Place.PUBLIC),
    ),
)
