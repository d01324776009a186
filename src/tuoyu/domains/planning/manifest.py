from tuoyu.domains.planning import panels
from tuoyu.domains.planning.actions import PLAN, VIEW_SUPPLY
from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry

MANIFEST = Manifest(
    urls="tuoyu.domains.planning.urls",
    menu=(MenuEntry("规划与目标", "planning:overview", "planning", 50, act=PLAN),),
    panels=(
        HomePanel(
            "supply", "planning/panel_supply.html", Audience.REGIONAL, 10, panels.supply, act=VIEW_SUPPLY
        ),
    ),
)
