"""The demo county's accounts: importable before Django is set up, so the demo command can hand them
to the sign-in page through a setting (``TUOYU_DEMO_LOGINS``)."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "tuoyu-demo-2026"  # noqa: S105 — printed by `tuoyu demo`; synthetic data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    description: str


DEMO_ACCOUNTS = (
    DemoAccount("regulator", "云溪区卫生健康局（区级监管）"),
    DemoAccount("city", "泸州市卫生健康委员会（市级监管）"),
    DemoAccount("police", "云溪区公安分局（相关部门）"),
    DemoAccount("market", "云溪区市场监督管理局（相关部门）"),
    DemoAccount("inspector", "云溪区卫生健康综合执法检查人员"),
    DemoAccount("expert", "云溪区婴幼儿照护服务专家库专家"),
    DemoAccount("manager", "桂香街道社区托育园负责人"),
    DemoAccount("caregiver", "桂香街道社区托育园保育人员"),
    DemoAccount("applicant", "尚未备案的社区托育园负责人（可办理备案）"),
    DemoAccount("parent", "家长（两个孩子）"),
    DemoAccount("parent2", "家长（一个在托、一个待入托，可网上申请入托）"),
)
