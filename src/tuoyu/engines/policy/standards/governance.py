"""How an institution deals with families: prepaid fees, a parents' committee, what it publishes (P15, P20; N16)."""

from __future__ import annotations

from tuoyu.engines.policy.standards.conditions import at_most
from tuoyu.engines.policy.standards.duties import duties, duty
from tuoyu.engines.policy.standards.rule import Explained, standard
from tuoyu.engines.policy.standards.wording import count

_PREPAID = "fees.max_prepaid_months"


@standard(
    "fees.prepaid_months",
    "预收费",
    ("P15",),
    (_PREPAID,),
    explain=lambda s, p: Explained(
        s.facts.prepaid_fee_months,
        p[_PREPAID],
        {"months": count("预收费", s.facts.prepaid_fee_months, p[_PREPAID], "个月", floor=False)},
    ),
    scope="any",
)
def prepaid_months(b, p, on):
    prepaid = b.inst["prepaid"]
    return [("months", at_most(prepaid, p[_PREPAID], prepaid < 0))]


parents_committee = duty(
    "governance.parents_committee",
    "家长委员会",
    ("P20",),
    "governance.parents_committee_required",
    "parents_committee",
    ("成立家长委员会", "是否成立家长委员会"),
    scope="any",
)

published = duties(
    "disclosure.published",
    "信息公示",
    ("N16",),
    "disclosure.required",
    {
        "d_fees": ("公示收费", "收费公示"),
        "d_care": ("公示保育照护", "保育照护公示"),
        "d_meals": ("公示膳食", "膳食公示"),
        "d_health": ("公示卫生安全信息", "卫生安全信息公示"),
        "d_meal_accounts": ("每月公布伙食账目", "伙食账目公布"),
    },
    scope="institution",
)
