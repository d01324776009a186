"""Whether a class can take one more child: its size limit and age band under the region's profile
(P06–P08; 设置标准 art. 19 and the regional class sizes). Pure: the caller reads the facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tuoyu.engines.policy import vocabulary


@dataclass(frozen=True)
class ClassLimits:
    """What the profile allows a class of one type, each with the clause it comes from."""

    class_type: str
    size: int | None
    size_basis: str
    ages: tuple[int, int] | None
    ages_basis: str

    def describe(self) -> str:
        """For the class list and the class choices: "12–24 月龄，班额 15 人"."""
        parts = []
        if self.ages:
            parts.append(f"{self.ages[0]}–{self.ages[1]} 月龄")
        if self.size:
            parts.append(f"班额 {self.size} 人")
        return "，".join(parts)


def class_limits(profile, class_type: str, on: dt.date) -> ClassLimits:
    size = profile.lookup(f"class.max_size.{class_type}", on)
    ages = profile.lookup(f"class.age_months.{class_type}", on)
    return ClassLimits(
        class_type=class_type,
        size=int(size.value) if size else None,
        size_basis=size.source.citation() if size else "",
        ages=(int(ages.value[0]), int(ages.value[1])) if ages else None,
        ages_basis=ages.source.citation() if ages else "",
    )


def admission_problems(limits: ClassLimits, *, class_name: str, enrolled: int, age_months: int) -> list[str]:
    """Why this class cannot take a child of ``age_months`` when it already has ``enrolled``
    children, in Chinese with the clause; empty when it can. The age band is inclusive at both
    ends, as the standards check reads it."""
    label = vocabulary.CLASS_TYPES.get(limits.class_type, "")
    problems = []
    if limits.size is not None and enrolled + 1 > limits.size:
        problems.append(
            f"{class_name}已有 {enrolled} 人，{label}班额不超过 {limits.size} 人（{limits.size_basis}）"
        )
    if limits.ages is not None and not limits.ages[0] <= age_months <= limits.ages[1]:
        low, high = limits.ages
        problems.append(f"孩子 {age_months} 月龄，{label}收 {low}–{high} 月龄的婴幼儿（{limits.ages_basis}）")
    return problems
