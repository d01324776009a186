"""Home childcare points (家庭托育点): children, carers, the dwelling and its cameras (N18)."""

from __future__ import annotations

from tuoyu.engines.policy.findings import FAIL
from tuoyu.engines.policy.standards.columns import Institution
from tuoyu.engines.policy.standards.conditions import NA, at_least, at_most, decide, flag, full
from tuoyu.engines.policy.standards.premises import lease_conditions, lease_explained
from tuoyu.engines.policy.standards.rule import Explained, Values, standard
from tuoyu.engines.policy.standards.wording import count, per_carer, yes

_MAX = "home_point.max_children"


def _children_explained(s: Institution, p: Values) -> Explained:
    children, limit = s.tally.children, p[_MAX]
    within = count("收托", children, limit, "人", floor=False)
    # beyond the cap it is no longer a home point but an institution
    return Explained(
        children, limit, {"children": lambda st: within(st) + ("，应按托育机构备案" if st == FAIL else "")}
    )


@standard(
    "home_point.max_children",
    "家庭托育点收托规模",
    ("N18",),
    (_MAX,),
    explain=_children_explained,
    scope="home_point",
)
def max_children(b, p, on):
    children = b.inst["children"]
    return [("children", at_most(children, p[_MAX], children < 0))]


_RATIO = "home_point.max_children_per_carer"


@standard(
    "home_point.ratio",
    "家庭托育点照护比",
    ("N18",),
    (_RATIO,),
    explain=lambda s, p: Explained(
        {"children": s.tally.children, "carers": s.tally.carers},
        p[_RATIO],
        {"ratio": per_carer(s.tally.children, s.tally.carers, p[_RATIO], "照护人员")},
    ),
    scope="home_point",
)
def ratio(b, p, on):
    limit = p[_RATIO]
    if limit is None:
        return [("ratio", full(b.n, NA))]
    children, carers = b.inst["children"], b.inst["carers"]
    return [("ratio", decide((children < 0) | (carers < 0), children <= carers * limit))]


_LEASE = "home_point.min_lease_years"


@standard(
    "home_point.tenure",
    "家庭托育点住宅",
    ("N18",),
    (_LEASE,),
    explain=lambda s, p: lease_explained(s.facts, p[_LEASE]),
    scope="home_point",
)
def tenure(b, p, on):
    return lease_conditions(b, p[_LEASE], on)


_VIDEO = ("home_point.video_full_coverage_required", "home_point.min_video_retention_days")


def _video_explained(s: Institution, p: Values) -> Explained:
    v = s.facts.video
    phrases = {
        "covers": yes("监控全覆盖", "监控覆盖范围"),
        "retention": count("录像保存", v.retention_days, p[_VIDEO[1]], "天", floor=True),
    }
    value = {"covers_child_areas": v.covers_child_areas, "retention_days": v.retention_days}
    return Explained(value, {"full_coverage": p[_VIDEO[0]], "retention_days": p[_VIDEO[1]]}, phrases)


@standard(
    "home_point.video", "家庭托育点视频监控", ("N18",), _VIDEO, explain=_video_explained, scope="home_point"
)
def video(b, p, on):
    retention = b.inst["video_retention"]
    return [
        ("covers", flag(p[_VIDEO[0]], b.inst["video_covers"])),
        ("retention", at_least(retention, p[_VIDEO[1]], retention < 0)),
    ]
