"""The filing workflow's rules: legal transitions, required materials, review checklist, clocks."""

from __future__ import annotations

import datetime as dt

from tuoyu.engines.calendar import Overrides, add_working_days
from tuoyu.kernel.registry.rules import REGISTRATION_FIELDS

# (state, action) → new state. Anything else is not a legal transition.
TRANSITIONS = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "return"): "returned",
    ("submitted", "accept"): "accepted",
    ("draft", "withdraw"): "withdrawn",
    ("returned", "withdraw"): "withdrawn",
}

ACTION_LABELS = {"submit": "提交", "return": "退回整改", "accept": "予以备案", "withdraw": "撤回"}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def required_materials(kind: str, *, provides_meals: bool) -> list[str]:
    """备案办法 art. 2 for a first filing; change and closure need their own proof."""
    if kind == "change":
        return ["change_proof"]
    if kind == "closure":
        return ["closure_statement"]
    required = [
        "licence",
        "premises",
        "staff_qualifications",
        "staff_health",
        "hygiene_evaluation",
        "fire_safety",
    ]
    if provides_meals:
        required.append("food_licence")
    return required


CHECKLIST = {
    "materials_complete": "申请材料齐全、清晰有效",
    "registration_consistent": "备案信息与登记证照一致，业务范围含托育服务",
    "premises_valid": "场地自有或租期不少于3年，面积符合标准",
    "hygiene_passed": "托幼机构卫生评价报告结论为合格",
    "fire_safety_passed": "消防安全证明材料有效",
    "staff_qualified": "工作人员资质、健康证明、违法犯罪记录查询符合要求",
    "on_site_verified": "已进行现场核查",
}


def deadlines(
    submitted_on: dt.date, *, receipt_days: int, notice_days: int, overrides: Overrides | None = None
) -> tuple[dt.date, dt.date]:
    """(receipt due, refusal notice due) for a filing submitted on a date; the numbers of working days
    are the profile's (filing.receipt_working_days, filing.refusal_notice_working_days: 备案办法)."""
    return add_working_days(submitted_on, receipt_days, overrides), add_working_days(
        submitted_on, notice_days, overrides
    )


def clock_days(profile, on: dt.date) -> dict[str, int]:
    """The working days a profile gives for the receipt and for a refusal notice (P23)."""
    receipt = profile.lookup("filing.receipt_working_days", on)
    notice = profile.lookup("filing.refusal_notice_working_days", on)
    return {"receipt_days": int(receipt.value), "notice_days": int(notice.value)}


# A change filing alters the registration data; the operational facts are corrected directly.
CHANGEABLE_FIELDS = REGISTRATION_FIELDS
