"""Acts of the people registry: children, classes, staff (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act
from tuoyu.kernel.accounts.models import Role

REGISTER_STAFF = Act("people.register_staff", "登记和管理工作人员", frozenset({Role.MANAGER}))
# Guardians keep their child's care needs current; only the institution places a child in a class.
PLACE_CHILD = Act("people.place_child", "为儿童分班", frozenset({Role.MANAGER}))
