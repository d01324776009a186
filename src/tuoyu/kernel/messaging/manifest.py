from tuoyu.kernel.manifest import Manifest, MenuEntry
from tuoyu.kernel.messaging.services import unread_count

MANIFEST = Manifest(
    urls="tuoyu.kernel.messaging.urls",
    menu=(
        MenuEntry("消息", "messaging:inbox", "inbox", 80, lists="messaging.Notification", badge=unread_count),
    ),
)
