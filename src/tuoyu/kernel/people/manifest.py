from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry
from tuoyu.kernel.people import panels
from tuoyu.kernel.people.actions import REGISTER_OWN_CHILD

MANIFEST = Manifest(
    urls="tuoyu.kernel.people.urls",
    menu=(
        MenuEntry("关联孩子", "operations:link_child", "link-child", 45, act=REGISTER_OWN_CHILD),
        MenuEntry("人员到期事项", "operations:staff_dues", "staff-dues", 30, lists="operations.StaffMember"),
    ),
    panels=(
        HomePanel(
            "institution", "operations/panel_institution.html", Audience.INSTITUTION, 10, panels.institution
        ),
        HomePanel("children", "operations/panel_children.html", Audience.FAMILY, 10, panels.children),
    ),
)
