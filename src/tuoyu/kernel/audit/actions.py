"""Acts of the audit package (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act
from tuoyu.kernel.accounts.models import Role

READ_AUDIT = Act("audit.read", "查看操作审计", frozenset({Role.REGULATOR, Role.ADMIN}))
