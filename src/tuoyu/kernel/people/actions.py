"""Acts of the people registry: children, classes, staff (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action
from tuoyu.kernel.accounts.models import Role

REGISTER_STAFF = Act("people.register_staff", "登记和管理工作人员", frozenset({Role.MANAGER}))
# Guardians keep their child's care needs current; only the institution places a child in a class.
PLACE_CHILD = Act("people.place_child", "为儿童分班", frozenset({Role.MANAGER}))
# The institution links guardians' accounts to the children in its care (no self-declared links).
LINK_GUARDIAN = Act("people.link_guardian", "关联婴幼儿的家长账号", frozenset({Role.MANAGER}))
# A guardian enters their own child, not yet in care, to apply for a place.
REGISTER_OWN_CHILD = Act("people.register_own_child", "登记自己的孩子", frozenset({Role.GUARDIAN}))
# A class's daily records (checks, attendance, pickup) are kept by the accounts the manager names
# for it (CareClass.keepers); the manager keeps every class of the institution.
KEEP_CLASS_RECORDS = Act(
    "people.keep_class_records",
    "记录班级日常（晨午检、考勤、接送）",
    frozenset({Role.MANAGER, Role.CAREGIVER}),
    verb=Action.VIEW,
    basis="000 §三(七)2、§三(八)2",
)
KEEP_ANY_CLASS = Act(
    "people.keep_any_class",
    "记录本机构任一班级的日常",
    frozenset({Role.MANAGER}),
    verb=Action.VIEW,
)
