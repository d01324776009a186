"""The Chinese message of a finding: the rule's heading, the verdict, and what decided it.

Each condition of a rule has a phrase: a function from the condition's status to a short clause.
The message quotes the phrases of the conditions that decided the verdict — the failed ones (and
any left unverified), the unknown ones, or the ones that passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from tuoyu.engines.policy.findings import FAIL, NOT_APPLICABLE, PASS, UNKNOWN, combine, per, text

Phrase = Callable[[str], str]
Verdict = list[tuple[str, str]]  # each condition's name and status, for one subject

NOT_SET = "本配置未设定此项要求"


def message(heading: str, verdict: Verdict, phrases: Mapping[str, Phrase], unset: str = "") -> str:
    status = combine([s for _, s in verdict])
    if status == NOT_APPLICABLE:
        return f"{heading}：{unset or NOT_SET}"
    if status == FAIL:
        failed = [phrases[name](s) for name, s in verdict if s == FAIL]
        unknown = [phrases[name](s) for name, s in verdict if s == UNKNOWN]
        tail = f"；另有未核实：{'；'.join(unknown)}" if unknown else ""
        return f"{heading}不符合要求：{'；'.join(failed)}{tail}"
    if status == UNKNOWN:
        return f"{heading}无法核实：{'；'.join(phrases[name](s) for name, s in verdict if s == UNKNOWN)}"
    return f"{heading}符合要求：{'；'.join(phrases[name](s) for name, s in verdict if s == PASS)}"


def yes(done: str, subject: str) -> Phrase:
    """A yes/no fact: ``done``, not done, or ``subject`` not reported."""
    return lambda s: done if s == PASS else (f"未{done}" if s == FAIL else f"{subject}未填报")


def count(label: str, value: Any, limit: Any, unit: str, floor: bool) -> Phrase:
    """``value`` against a floor (``floor=True``) or a ceiling."""

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return f"{label}未填报"
        words = ("不少于", "少于") if floor else ("未超过", "超过")
        return f"{label} {text(value)} {unit}（{words[0] if s == PASS else words[1]} {text(limit)} {unit}）"

    return phrase


def since(label: str, day: dt.date | None, months: Any, missing: str) -> Phrase:
    """A dated check against the months it stays valid."""

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return missing
        return f"最近一次{label}在 {day.isoformat()}（{'未超过' if s == PASS else '已超过'} {months} 个月）"  # type: ignore[union-attr]

    return phrase


def per_carer(children: Any, carers: Any, limit: Any, who: str) -> Phrase:
    """Children for each carer against the most one may look after."""

    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return "婴幼儿人数未填报" if children is None else f"{who}人数未填报"
        word = "不超过" if s == PASS else "超过"
        return f"{children} 名婴幼儿、{carers} 名{who}（每名{who}照护{word} {limit} 人）"

    return phrase


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def area_for_places(label: str, area: Decimal | None, places: int | None, limit: Any) -> Phrase:
    def phrase(s: str) -> str:
        if s == UNKNOWN:
            return f"{label}未填报" if area is None else "托位数未填报"
        ratio = f"，每托位 {text(per(area, places))} ㎡" if places else ""  # type: ignore[arg-type]
        need = f"（应不少于 {text(limit)} ㎡ × {places} 托位 = {text(limit * places)} ㎡）"
        return f"{label} {text(area)} ㎡{ratio}{'' if s == PASS else need}"  # type: ignore[arg-type]

    return phrase
