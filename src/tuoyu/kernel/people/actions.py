"""Acts of the people registry: children, classes, staff (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act
from tuoyu.kernel.accounts.models import Role

REGISTER_STAFF = Act("people.register_staff", "登记和管理工作人员", frozenset({Role.MANAGER}))
# Guardians keep their child's care needs current; only the institution places a child in a class.
PLACE_CHILD = Act("people.place_child", "为儿童分班", frozenset({Role.MANAGER}))
# The institution links guardians' accounts to the children in its care (no self-declared links).
LINK_GUARDIAN = Act("people.link_guardian", "关联婴幼儿的家长账号", frozenset({Role.MANAGER}))
# A guardian enters their own child, not yet in care, to apply for a place.
REGISTER_OWN_CHILD = Act("people.register_own_child", "登记自己的孩子", frozenset({Role.GUARDIAN}))
