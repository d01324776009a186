from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.accounts.actions import MANAGE_ACCOUNTS
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry, Place
from tuoyu.kernel.registry import panels
from tuoyu.kernel.registry.actions import (
    IMPORT_POPULATION,
    IMPORT_REGIONS,
    LIST_DUTY_INSTITUTIONS,
    MANAGE_CALENDAR,
)

MANIFEST = Manifest(
    urls="tuoyu.kernel.registry.urls",
    menu=(
        MenuEntry("机构台账", "registry:ledger", "ledger", 10, lists="registry.Institution"),
        MenuEntry("机构公示", "registry:public", "public", 120, Place.PUBLIC),
        MenuEntry("账号", "registry:accounts", "accounts", 10, Place.ACCOUNT, act=MANAGE_ACCOUNTS),
        MenuEntry("节假日", "registry:calendar", "calendar", 20, Place.ACCOUNT, act=MANAGE_CALENDAR),
        MenuEntry(
            "区划导入", "registry:import_regions", "import-regions", 30, Place.ACCOUNT, act=IMPORT_REGIONS
        ),
        MenuEntry(
            "人口导入",
            "registry:import_population",
            "import-population",
            40,
            Place.ACCOUNT,
            act=IMPORT_POPULATION,
        ),
    ),
    panels=(
        HomePanel("status", "registry/panel_status.html", Audience.REGIONAL, 20, panels.status),
        HomePanel(
            "duty_institutions",
            "registry/panel_duty_institutions.html",
            Audience.REGIONAL,
            30,
            panels.duty_institutions,
            act=LIST_DUTY_INSTITUTIONS,
        ),
    ),
)
