"""Acts of the disclosure domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act
from tuoyu.kernel.accounts.models import Role

# The institution publishes its fees, menus and meal accounts to guardians, and sends them notices
# (N16: fees, care, meals, health and safety published; meal accounts monthly).
PUBLISH = Act(
    "disclosure.publish", "公示收费、食谱、伙食账目和通知", frozenset({Role.MANAGER}), basis="管理规范第15条"
)
