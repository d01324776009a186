from tuoyu.domains.enrollment.actions import APPLY_FOR_CHILDREN, RUN_ROUNDS
from tuoyu.kernel.manifest import Manifest, MenuEntry, Place

MANIFEST = Manifest(
    urls="tuoyu.domains.enrollment.urls",
    menu=(
        MenuEntry("入托摇号", "enrollment:rounds", "rounds", 30, act=RUN_ROUNDS),
        MenuEntry("我的申请", "enrollment:mine", "applications", 40, act=APPLY_FOR_CHILDREN),
        MenuEntry("找托育", "enrollment:find", "find", 110, Place.PUBLIC),
    ),
)
