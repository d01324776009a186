"""Acts of the health domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action
from tuoyu.kernel.accounts.models import Role

# The institution's staff check the children every morning and midday (P18, 000 §三(七)2): a
# caregiver the classes they keep (CareClass.keepers), the manager any class.
RECORD_CHECKS = Act(
    "health.record_checks",
    "记录晨午检",
    frozenset({Role.MANAGER, Role.CAREGIVER}),
    verb=Action.VIEW,
    basis="000 §三(七)2",
)
RECORD_ANY_CLASS = Act(
    "health.record_any_class",
    "为本机构任一班级记录晨午检",
    frozenset({Role.MANAGER}),
    verb=Action.VIEW,
    basis="000 §三(七)2",
)
# The alert stays open until someone records that the CDC was told: the institution that reported,
# or the county health department that took the report.
RECORD_OUTBREAK_REPORT = Act(
    "health.record_outbreak_report",
    "登记聚集性疫情已报告疾控机构",
    frozenset({Role.MANAGER, Role.REGULATOR}),
    basis="2012规范",
)
