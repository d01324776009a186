"""Acts of the attendance domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action
from tuoyu.kernel.accounts.models import Role

# Arrivals, absences and departures are kept per class by the accounts that keep it (kernel
# people.may_keep); a child is handed over only to a guardian or an adult a guardian authorised (P19).
KEEP_ATTENDANCE = Act(
    "attendance.keep",
    "记录考勤和接送",
    frozenset({Role.MANAGER, Role.CAREGIVER}),
    verb=Action.VIEW,
    basis="000 §三(八)2",
)
# Only a guardian authorises another adult to collect their child.
AUTHORISE_PICKUP = Act(
    "attendance.authorise_pickup",
    "授权他人接送孩子",
    frozenset({Role.GUARDIAN}),
    verb=Action.VIEW,
    basis="000 §三(八)2",
)
