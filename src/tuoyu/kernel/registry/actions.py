"""Acts of the registry of institutions (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action, Reach
from tuoyu.kernel.accounts.models import Role

IMPORT_LEDGER = Act(
    "registry.import_ledger", "导入机构台账", frozenset({Role.REGULATOR, Role.ADMIN}), Reach.REGION
)
# The working-day calendar is national: the platform's administrators keep it.
MANAGE_CALENDAR = Act("registry.manage_calendar", "维护节假日和调休工作日", frozenset({Role.ADMIN}))
# Department officers open on the institutions their duty concerns rather than on supply figures.
LIST_DUTY_INSTITUTIONS = Act(
    "registry.list_duty_institutions",
    "查看职责范围内的机构",
    frozenset({Role.DEPARTMENT}),
    Reach.REGION,
    Action.VIEW,
)
# A county health bureau orders a filed institution that fails to rectify to stop (P28).
SUSPEND = Act(
    "registry.suspend",
    "责令停业整顿",
    frozenset({Role.REGULATOR}),
    Reach.COUNTY,
    basis="003 §四(五)三",
)
