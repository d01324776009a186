from tuoyu.domains.disclosure import panels
from tuoyu.domains.disclosure.actions import PUBLISH
from tuoyu.domains.disclosure.facts import published_facts
from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry

MANIFEST = Manifest(
    urls="tuoyu.domains.disclosure.urls",
    menu=(MenuEntry("信息公示", "disclosure:today", "disclosure", 32, act=PUBLISH),),
    panels=(HomePanel("disclosure", "disclosure/panel_family.html", Audience.FAMILY, 26, panels.families),),
    facts=published_facts,
)
