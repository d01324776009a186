"""Safety: video surveillance, pick-up by guardians, emergency and fire duties (P14, P19; N10, N17)."""

from __future__ import annotations

from tuoyu.engines.policy.standards.columns import Institution
from tuoyu.engines.policy.standards.conditions import at_least, at_most, flag, only_where
from tuoyu.engines.policy.standards.duties import duties, duty
from tuoyu.engines.policy.standards.rule import Explained, Values, standard
from tuoyu.engines.policy.standards.wording import count, yes

_VIDEO = (
    "video.child_area_coverage_required",
    "video.armed_24h_required",
    "video.min_retention_days",
    "video.parent_live_view_required",
    "video.one_button_alarm_required",
)


def _video_explained(s: Institution, p: Values) -> Explained:
    v = s.facts.video
    phrases = {
        "covers": yes("覆盖婴幼儿生活和活动区域", "监控覆盖范围"),
        "armed": yes("24小时设防", "是否24小时设防"),
        "retention": count("录像保存", v.retention_days, p[_VIDEO[2]], "天", floor=True),
        "live": yes("向家长实时推送", "是否向家长实时推送"),
        "alarm": yes("配备一键报警", "是否配备一键报警"),
        "continuous": lambda status: (
            "各摄像头前一日均运行正常"
            if status == "pass"
            else f"{v.silent_cameras} 个摄像头前一日无正常运行记录（不得无故中断）"
        ),
    }
    value = {
        "covers_child_areas": v.covers_child_areas,
        "armed_24h": v.armed_24h,
        "retention_days": v.retention_days,
        "parent_live_view": v.parent_live_view,
        "one_button_alarm": v.one_button_alarm,
    }
    required = dict(zip(value, (p[key] for key in _VIDEO), strict=True))
    if v.silent_cameras is not None:  # only a camera registry reports it
        value["silent_cameras"] = v.silent_cameras
        required["silent_cameras"] = 0 if p[_VIDEO[1]] is True else None
    return Explained(value, required, phrases)


@standard("video.surveillance", "视频监控", ("P14", "N10"), _VIDEO, explain=_video_explained)
def surveillance(b, p, on):
    a = b.inst
    return [
        ("covers", flag(p[_VIDEO[0]], a["video_covers"])),
        ("armed", flag(p[_VIDEO[1]], a["video_armed"])),
        ("retention", at_least(a["video_retention"], p[_VIDEO[2]], a["video_retention"] < 0)),
        ("live", flag(p[_VIDEO[3]], a["video_live"])),
        ("alarm", flag(p[_VIDEO[4]], a["video_alarm"])),
        # Armed around the clock means no unexplained interruption (N10); only a camera registry
        # knows the days, so a self-declared ledger leaves this not applicable rather than unknown.
        (
            "continuous",
            only_where(
                a["video_silent"] >= 0,
                at_most(a["video_silent"], 0 if p[_VIDEO[1]] is True else None, a["video_silent"] < 0),
            ),
        ),
    ]


authorised_pickup = duty(
    "safety.authorised_pickup",
    "接送制度",
    ("P19",),
    "safety.authorised_pickup_required",
    "s_pickup",
    ("落实由监护人或其委托的成年人接送", "接送制度"),
    scope="any",
)

safety_duties = duties(
    "safety.duties",
    "安全管理",
    ("N17",),
    "safety.duties_required",
    {
        "s_plan": ("制定应急预案", "应急预案"),
        "s_drills": ("定期演练", "演练"),
        "s_fire_manager": ("明确消防安全管理人", "消防安全管理人"),
        "s_fire_checks": ("每月检查设施设备和消防", "月度消防检查"),
        "s_insurance": ("投保责任保险", "责任保险"),
    },
    scope="institution",
)
