"""Acts of the filings domain (see ``access.Act``)."""

from tuoyu.kernel.accounts.access import Act, Action, Reach
from tuoyu.kernel.accounts.models import Role

# The institution's own steps: file, sign the 承诺书, submit, withdraw.
FILE = Act("filings.file", "办理本机构备案", frozenset({Role.MANAGER}))
DECIDE = Act(
    "filings.decide",
    "审核备案、出具回执",
    frozenset({Role.REGULATOR}),
    Reach.COUNTY,
    basis="000 §三(六)3；托育机构备案办法：由县级卫生健康部门办理备案",
)
# The regional posts that follow filings without filing themselves.
FOLLOW = Act(
    "filings.follow",
    "查看备案审核",
    frozenset({Role.REGULATOR, Role.DEPARTMENT, Role.INSPECTOR, Role.ADMIN}),
    Reach.REGION,
    Action.VIEW,
)
