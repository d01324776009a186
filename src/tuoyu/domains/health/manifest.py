from tuoyu.domains.health import panels
from tuoyu.domains.health.actions import RECORD_CHECKS
from tuoyu.domains.health.selectors import open_alert_count
from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry

MANIFEST = Manifest(
    urls="tuoyu.domains.health.urls",
    menu=(
        MenuEntry("晨午检", "health:today", "checks", 12, act=RECORD_CHECKS),
        MenuEntry(
            "疫情预警", "health:alerts", "alerts", 25, lists="health.OutbreakAlert", badge=open_alert_count
        ),
    ),
    panels=(
        HomePanel("alerts", "health/panel_alerts.html", Audience.REGIONAL, 5, panels.alerts),
        HomePanel("alerts", "health/panel_alerts.html", Audience.INSTITUTION, 5, panels.alerts),
        HomePanel("child_day", "health/panel_child_day.html", Audience.FAMILY, 20, panels.child_day),
    ),
)
