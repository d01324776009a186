from tuoyu.domains.attendance import panels
from tuoyu.domains.attendance.actions import AUTHORISE_PICKUP, KEEP_ATTENDANCE
from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry

MANIFEST = Manifest(
    urls="tuoyu.domains.attendance.urls",
    menu=(
        MenuEntry("考勤接送", "attendance:today", "attendance", 13, act=KEEP_ATTENDANCE),
        MenuEntry("接送名单", "attendance:pickups", "pickups", 46, act=AUTHORISE_PICKUP),
    ),
    panels=(
        HomePanel("child_door", "attendance/panel_child_door.html", Audience.FAMILY, 15, panels.child_door),
    ),
)
