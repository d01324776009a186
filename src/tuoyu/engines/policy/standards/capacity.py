"""Scale and enrolment: places within the cap, children within the places (P05; N07, N11)."""

from __future__ import annotations

from tuoyu.engines.policy.findings import PASS, UNKNOWN
from tuoyu.engines.policy.standards.columns import Institution
from tuoyu.engines.policy.standards.conditions import NA, at_most, decide, full
from tuoyu.engines.policy.standards.rule import Explained, Values, standard
from tuoyu.engines.policy.standards.wording import count

_MAX_PLACES = "scale.max_places"


@standard(
    "scale.max_places",
    "托位规模",
    ("P05", "N07"),
    (_MAX_PLACES,),
    explain=lambda s, p: Explained(
        s.facts.places,
        p[_MAX_PLACES],
        {"places": count("托位数", s.facts.places, p[_MAX_PLACES], "个", floor=False)},
    ),
)
def max_places(b, p, on):
    places = b.inst["places"]
    return [("places", at_most(places, p[_MAX_PLACES], places < 0))]


_WITHIN = "enrolment.within_capacity_required"


def _capacity_explained(s: Institution, p: Values) -> Explained:
    children, places = s.tally.children, s.facts.places

    def phrase(st: str) -> str:
        if st == UNKNOWN:
            return "收托人数未填报" if children is None else "托位数未填报"
        return f"收托 {children} 人，备案托位 {places} 个（{'未超过' if st == PASS else '超过'}托位数）"

    return Explained(children, places, {"capacity": phrase})


@standard("enrolment.within_capacity", "收托人数", ("N11",), (_WITHIN,), explain=_capacity_explained)
def within_capacity(b, p, on):
    if p[_WITHIN] is not True:
        return [("capacity", full(b.n, NA))]
    children, places = b.inst["children"], b.inst["places"]
    return [("capacity", decide((children < 0) | (places < 0), children <= places))]
