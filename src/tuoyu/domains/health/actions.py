"""Acts of the health domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action
from tuoyu.kernel.accounts.models import Role

# The institution's staff check the children every morning and midday (P18, 000 §三(七)2): each
# class by the accounts that keep it (kernel people.may_keep).
RECORD_CHECKS = Act(
    "health.record_checks",
    "记录晨午检",
    frozenset({Role.MANAGER, Role.CAREGIVER}),
    verb=Action.VIEW,
    basis="000 §三(七)2",
)
# The alert stays open until someone records that the CDC was told: the institution that reported,
# the health department that took the report, or the CDC officer who received it.
RECORD_OUTBREAK_REPORT = Act(
    "health.record_outbreak_report",
    "登记聚集性疫情已报告疾控机构",
    frozenset({Role.MANAGER, Role.REGULATOR, Role.DEPARTMENT}),
    basis="2012规范",
)
