from tuoyu.domains.cameras import panels
from tuoyu.domains.cameras.facts import video_facts
from tuoyu.kernel.accounts.access import Audience
from tuoyu.kernel.manifest import HomePanel, Manifest, MenuEntry

MANIFEST = Manifest(
    urls="tuoyu.domains.cameras.urls",
    menu=(MenuEntry("视频监控", "cameras:today", "cameras", 31, lists="cameras.Camera"),),
    panels=(HomePanel("live-view", "cameras/panel_live_view.html", Audience.FAMILY, 27, panels.live_views),),
    facts=video_facts,
)
