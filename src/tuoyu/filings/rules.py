"""The filing workflow's rules: legal transitions, required materials, review checklist, clocks."""

from __future__ import annotations

import datetime as dt

from tuoyu.engines.calendar import Overrides, add_working_days
from tuoyu.registry.rules import REGISTRATION_FIELDS

# (state, action) → new state. Anything else is not a legal transition.
TRANSITIONS = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "submitted",
    ("submitted", "return"): "returned",
    ("submitted", "accept"): "accepted",
    ("draft", "withdraw"): "withdrawn",
    ("returned", "withdraw"): "withdrawn",
}

# 备案办法 art. 3–4: receipt within 5 working days; refusal notified within 15 working days.
RECEIPT_WORKING_DAYS = 5
NOTICE_WORKING_DAYS = 15

ACTION_LABELS = {"submit": "提交", "return": "退回整改", "accept": "予以备案", "withdraw": "撤回"}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def required_materials(kind: str, *, provides_meals: bool) -> list[str]:
    """备案办法 art. 2 for a first filing; change and closure need their own proof."""
    if kind == "change":
        return ["change_proof"]
    if kind == "closure":
        return ["closure_statement"]
    required = ["licence", "premises", "staff_qualifications", "staff_health", "hygiene_evaluation", "fire_safety"]
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


def deadlines(submitted_on: dt.date, overrides: Overrides | None = None) -> tuple[dt.date, dt.date]:
    """(receipt due, refusal notice due) for a filing submitted on a date."""
    return (
        add_working_days(submitted_on, RECEIPT_WORKING_DAYS, overrides),
        add_working_days(submitted_on, NOTICE_WORKING_DAYS, overrides),
    )


# A change filing alters the registration data; the operational facts are corrected directly.
CHANGEABLE_FIELDS = REGISTRATION_FIELDS
