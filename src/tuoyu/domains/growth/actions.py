"""Acts of the growth domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action
from tuoyu.kernel.accounts.models import Role

# The institution measures its children on the profile's schedule (2012规范): each class by the
# accounts that keep it (kernel people.may_keep), the manager any class.
MEASURE_GROWTH = Act(
    "growth.measure",
    "测量身长体重",
    frozenset({Role.MANAGER, Role.CAREGIVER}),
    verb=Action.VIEW,
    basis="2012规范",
)
