from tuoyu.kernel.audit.actions import READ_AUDIT
from tuoyu.kernel.manifest import Manifest, MenuEntry

MANIFEST = Manifest(
    urls="tuoyu.kernel.audit.urls",
    menu=(MenuEntry("操作审计", "audit:trail", "audit", 70, act=READ_AUDIT),),
)
