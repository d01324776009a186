from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest
from tuoyu.kernel.people import panels

MANIFEST = Manifest(
    urls="tuoyu.kernel.people.urls",
    panels=(
        HomePanel(
            "institution", "operations/panel_institution.html", Audience.INSTITUTION, 10, panels.institution
        ),
        HomePanel("children", "operations/panel_children.html", Audience.FAMILY, 10, panels.children),
    ),
)
