"""Acts of the registry of institutions (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action, Reach
from tuoyu.kernel.accounts.models import Role

IMPORT_LEDGER = Act(
    "registry.import_ledger", "导入机构台账", frozenset({Role.REGULATOR, Role.ADMIN}), Reach.REGION
)
# A county's subdistricts and communities are the platform's structure: its administrators bring them
# in. Population figures are the denominators of places per 1000 and of the planning targets, which
# the health bureau answers for, so its regulators bring those in too. Both need only reach: the act
# is the licence to write, the regions named must lie within the post's jurisdiction.
IMPORT_REGIONS = Act(
    "registry.import_regions",
    "导入街道（镇）和社区（村）",
    frozenset({Role.ADMIN}),
    Reach.REGION,
    Action.VIEW,
)
IMPORT_POPULATION = Act(
    "registry.import_population",
    "导入人口数据",
    frozenset({Role.ADMIN, Role.REGULATOR}),
    Reach.REGION,
    Action.VIEW,
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
