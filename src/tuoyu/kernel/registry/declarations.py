"""What an institution declares about its routines (checked later on site): the health, safety and
disclosure facts of the standards (P18, P19; N10, N16, N17). Keys match the policy engine's facts."""

from __future__ import annotations

DECLARATIONS: dict[str, dict[str, str]] = {
    "health": {
        "daily_checks": "落实每日晨午检",
        "disinfection": "落实卫生消毒制度",
        "sick_child_isolation": "落实患病儿童隔离",
    },
    "safety": {
        "authorised_pickup": "婴幼儿仅由监护人或其委托的成年人接送",
        "emergency_plan": "制定突发事件应急预案",
        "regular_drills": "定期开展应急演练",
        "fire_safety_manager": "明确消防安全管理人",
        "monthly_fire_checks": "每月开展设施设备和消防检查",
        "liability_insurance": "投保责任保险",
    },
    "disclosure": {
        "fees": "公示收费项目和标准",
        "care": "公示保育照护安排",
        "meals": "公示膳食安排",
        "health_safety": "公示卫生保健和安全信息",
        "meal_accounts_monthly": "每月公布伙食账目",
    },
}


def field_name(group: str, key: str) -> str:
    return f"decl_{group}__{key}"


def all_fields() -> list[tuple[str, str, str, str]]:
    """(form field name, group, key, label) for every declaration."""
    return [
        (field_name(g, k), g, k, label) for g, items in DECLARATIONS.items() for k, label in items.items()
    ]


def normalised(value: object) -> dict[str, dict[str, bool | None]]:
    """Declarations with every key present (None = not declared), unknown keys dropped."""
    value = value if isinstance(value, dict) else {}
    return {
        group: {key: (value.get(group) or {}).get(key) for key in items}
        for group, items in DECLARATIONS.items()
    }
