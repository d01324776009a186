"""Acts of the enrolment domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Reach
from tuoyu.kernel.accounts.models import Role

# Rounds are organised by the county department, like filings.
RUN_ROUNDS = Act(
    "enrollment.run_rounds",
    "组织入托批次和公开摇号",
    frozenset({Role.REGULATOR}),
    Reach.COUNTY,
    basis="003 §四(三)",
)
APPLY_FOR_CHILDREN = Act(
    "enrollment.apply",
    "为自己的孩子申请入托",
    frozenset({Role.GUARDIAN}),
    basis="001 §四12 入托网上约",
)
