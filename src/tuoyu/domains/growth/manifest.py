from tuoyu.domains.growth import panels
from tuoyu.domains.growth.actions import MEASURE_GROWTH
from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry

MANIFEST = Manifest(
    urls="tuoyu.domains.growth.urls",
    menu=(MenuEntry("生长监测", "growth:today", "growth", 14, act=MEASURE_GROWTH),),
    panels=(HomePanel("growth", "growth/panel_children.html", Audience.FAMILY, 25, panels.children),),
)
