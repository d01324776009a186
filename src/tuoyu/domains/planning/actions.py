"""Acts of the planning domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action, Reach
from tuoyu.kernel.accounts.models import Role

PLAN = Act(
    "planning.plan", "规划与目标测算", frozenset({Role.REGULATOR, Role.ADMIN, Role.EXPERT}), Reach.REGION
)
# Supply figures by subdistrict; department officers open on their duty's institutions instead.
VIEW_SUPPLY = Act(
    "planning.view_supply",
    "查看托位供给概况",
    frozenset({Role.REGULATOR, Role.INSPECTOR, Role.EXPERT, Role.ADMIN}),
    Reach.REGION,
    Action.VIEW,
)
