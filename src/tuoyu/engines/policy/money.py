"""Subsidies and the income-tax deduction for one institution in one month.

Amounts are ``Decimal`` yuan, rounded down to the fen (0.01) so a computed amount never exceeds
what a rule grants. Each line carries its basis (the formula with the numbers used, in Chinese) and
the sources of every parameter it used. Parameters are those in force on the month's first day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from tuoyu.engines.policy.dates import parse_month
from tuoyu.engines.policy.errors import PolicyInputError
from tuoyu.engines.policy.facts import Facts, load_facts
from tuoyu.engines.policy.findings import FAIL, UNKNOWN, text
from tuoyu.engines.policy.profiles import Params, Profile, Recorder, Source
from tuoyu.engines.policy.vocabulary import CLASS_TYPES, OPERATORS

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def yuan(amount: Decimal) -> str:
    """Yuan with two decimals: ``"13000.00"``."""
    return str(amount.quantize(FEN, rounding=ROUND_DOWN))


@dataclass(frozen=True)
class SubsidyLine:
    item: str  # operating | construction | growth_station | income_tax_deduction
    amount: Decimal
    basis: str
    sources: tuple[Source, ...] = ()
    kind: str = (
        "subsidy"  # subsidy (paid to the institution) | tax_deduction (reduces a family's taxable income)
    )
    # What must be verified before the amount can be settled: rule findings as ``rule（subject）``,
    # missing facts by their path (``growth_stations[1].cost``). Empty when the amount is settled;
    # otherwise ``amount`` counts only what is already certain.
    pending: tuple[str, ...] = ()

    @property
    def undetermined(self) -> bool:
        return bool(self.pending)

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "kind": self.kind,
            "amount": yuan(self.amount),
            "basis": self.basis,
            "source": self.sources[0].to_dict() if self.sources else None,
            "sources": [s.to_dict() for s in self.sources],
            "pending": list(self.pending),
        }


@dataclass(frozen=True)
class SubsidyResult:
    profile: str
    month: str  # YYYY-MM
    lines: tuple[SubsidyLine, ...]

    @property
    def total(self) -> Decimal:
        """Sum of the subsidy lines; a tax deduction is not money paid, so it is not in the total."""
        return sum((line.amount for line in self.lines if line.kind == "subsidy"), ZERO)

    def line(self, item: str) -> SubsidyLine | None:
        return next((line for line in self.lines if line.item == item), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "month": self.month,
            "lines": [line.to_dict() for line in self.lines],
            "total": yuan(self.total),
        }


def _line(
    item: str,
    amount: Decimal,
    basis: str,
    rec: Recorder,
    kind: str = "subsidy",
    pending: tuple[str, ...] = (),
) -> SubsidyLine:
    return SubsidyLine(
        item,
        amount.quantize(FEN, rounding=ROUND_DOWN),
        basis,
        tuple(p.source for p in rec.used),
        kind,
        pending,
    )


def _operating(facts: Facts, profile: Profile, day: dt.date, rec: Recorder) -> SubsidyLine:
    from tuoyu.engines.policy.standards import check

    rates = {t: rec.value(f"subsidy.operating.monthly.{t}") for t in CLASS_TYPES}
    if all(rate is None for rate in rates.values()):
        return _line("operating", ZERO, "本配置未设定运营补助（P47）", rec)
    if rec.value("subsidy.operating.affordable_only") is True and facts.affordable is not True:
        if facts.affordable is None:
            return _line(
                "operating",
                ZERO,
                "运营补助仅限普惠托育机构：普惠性未填报，无法认定",
                rec,
                pending=("affordable",),
            )
        return _line("operating", ZERO, "运营补助仅限普惠托育机构：本机构不是普惠托育机构", rec)
    if rec.value("subsidy.operating.standards_required") is True:
        # 003 §四(四): only institutions "达到硬件、软件要求" are paid. A standard not yet verified is
        # not met yet: nothing is paid until it is, and the basis names what to verify.
        findings = check(facts, profile, day)
        failed = [f for f in findings if f.status == FAIL]
        if failed:
            named = "；".join(f"{f.rule}（{f.subject}）" for f in failed)
            return _line("operating", ZERO, f"未达到设置标准，不予运营补助。不合格项：{named}", rec)
        unknown = tuple(f"{f.rule}（{f.subject}）" for f in findings if f.status == UNKNOWN)
        if unknown:
            basis = "尚未核实是否达到硬件、软件要求，暂不能发放运营补助。须先核实：" + "；".join(unknown)
            return _line("operating", ZERO, basis, rec, pending=unknown)
    if facts.classes is None:
        return _line("operating", ZERO, "班级信息未填报，无法按实际招托人数计算", rec, pending=("classes",))
    children = dict.fromkeys(rates, 0)
    notes: list[str] = []
    pending: list[str] = []
    for i, c in enumerate(facts.classes):
        if c.children is None:
            notes.append(f"class[{i}]（{CLASS_TYPES[c.type]}）招托人数未填报，未计入")
            pending.append(f"classes[{i}].children")
        elif rates[c.type] is None:
            notes.append(f"class[{i}]（{CLASS_TYPES[c.type]}）本配置未设定补助标准，未计入")
        else:
            children[c.type] += c.children
    parts, total = [], ZERO
    for kind, count in children.items():
        rate = rates[kind]
        if count and rate is not None:
            parts.append(f"{CLASS_TYPES[kind]} {count} 人 × {text(rate)} 元/人·月")
            total += rate * count
    formula = (" + ".join(parts) + f" = {yuan(total)} 元") if parts else "无可计入的招托人数，0.00 元"
    return _line("operating", total, "；".join([formula, *notes]), rec, pending=tuple(pending))


def _construction_per_place(facts: Facts, project: Any, rec: Recorder, per_place: Decimal) -> SubsidyLine:
    if rec.value("subsidy.construction.affordable_only") is True and facts.affordable is not True:
        if facts.affordable is None:
            return _line(
                "construction",
                ZERO,
                "托位建设补助仅限普惠托育机构：普惠性未填报，无法认定",
                rec,
                pending=("affordable",),
            )
        return _line("construction", ZERO, "托位建设补助仅限普惠托育机构：本机构不是普惠托育机构", rec)
    if rec.value("subsidy.construction.excludes_central_funding") is True:
        if project.central_funding is None:
            return _line(
                "construction",
                ZERO,
                "是否已享受中央资金补助未填报，无法认定",
                rec,
                pending=("project.central_funding",),
            )
        if project.central_funding:
            return _line("construction", ZERO, "已享受中央资金补助，不再重复享受托位建设补助", rec)
    if rec.value("subsidy.construction.requires_provincial_place_subsidy") is True:
        if project.provincial_place_subsidy is None:
            return _line(
                "construction",
                ZERO,
                "是否获得省级托位补助未填报，无法认定",
                rec,
                pending=("project.provincial_place_subsidy",),
            )
        if not project.provincial_place_subsidy:
            return _line("construction", ZERO, "仅对获得省级托位补助的项目给予建设补助：本项目未获得", rec)
    if project.new_places is None:
        return _line("construction", ZERO, "新增托位数未填报", rec, pending=("project.new_places",))
    amount = per_place * project.new_places
    return _line(
        "construction",
        amount,
        f"新增托位 {project.new_places} 个 × {text(per_place)} 元/托位 = {yuan(amount)} 元",
        rec,
    )


def _construction_per_class(facts: Facts, project: Any, rec: Recorder, assumed: int) -> SubsidyLine:
    public = rec.value("subsidy.construction_per_class.public_operators") or ()
    if facts.operator is None:
        return _line("construction", ZERO, "举办形式未填报，无法确定补助比例", rec, pending=("operator",))
    if facts.operator in public:
        share, cap = (
            rec.value("subsidy.construction_per_class.public_share"),
            rec.value("subsidy.construction_per_class.public_cap"),
        )
        who = f"{OPERATORS[facts.operator]}（全额保障）" if share == 1 else OPERATORS[facts.operator]
    else:
        share, cap = (
            rec.value("subsidy.construction_per_class.private_share"),
            rec.value("subsidy.construction_per_class.private_cap"),
        )
        who = f"{OPERATORS[facts.operator]}（社会力量举办）"
    if share is None or cap is None:
        return _line("construction", ZERO, f"本配置未设定{who}的补助标准", rec)
    if project.cost is None:
        return _line("construction", ZERO, "建设（硬件投入）费用未填报", rec, pending=("project.cost",))
    rec.get("subsidy.construction_per_class.classes_assumed")
    # The seed budgets every institution at ``assumed`` classes; a smaller project counts its own.
    classes = assumed if project.classes is None else min(project.classes, assumed)
    ceiling = cap * classes
    share_amount = project.cost * share
    amount = min(share_amount, ceiling)
    formula = (
        f"{who}：费用 {yuan(project.cost)} 元 × {text(share * 100)}% = {yuan(share_amount)} 元，"
        f"上限 {text(cap)} 元/班 × {classes} 班 = {yuan(ceiling)} 元，取较小者 {yuan(amount)} 元"
    )
    return _line("construction", amount, formula, rec)


def _construction(facts: Facts, params: Params) -> list[SubsidyLine]:
    project = facts.project
    if project is None:
        return []
    lines = []
    rec = params.recorder()
    per_place = rec.value("subsidy.construction.per_place")
    if per_place is not None:
        lines.append(_construction_per_place(facts, project, rec, per_place))
    assumed = params.value("subsidy.construction_per_class.classes_assumed")
    if assumed is not None:
        lines.append(_construction_per_class(facts, project, params.recorder(), assumed))
    if not lines:
        rec.get("subsidy.construction_per_class.classes_assumed")
        lines.append(_line("construction", ZERO, "本配置未设定建设补助（P46/P49）", rec))
    return lines


def _growth_station(facts: Facts, rec: Recorder) -> SubsidyLine:
    cap = rec.value("subsidy.growth_station.max_each")
    if cap is None:
        return _line("growth_station", ZERO, "本配置未设定成长驿站补助（P50）", rec)
    if not facts.growth_stations:
        return _line("growth_station", ZERO, "未填报婴幼儿成长驿站", rec)
    parts, total, pending = [], ZERO, []
    for i, station in enumerate(facts.growth_stations):
        label = f"驿站{i + 1}" + (f"（{station.name}）" if station.name else "")
        if station.accepted is None:
            parts.append(f"{label}验收情况未填报，待核定")
            pending.append(f"growth_stations[{i}].accepted")
        elif not station.accepted:
            parts.append(f"{label}未通过实地验收，0.00 元")
        elif station.cost is None:
            # 001 §四5 grants "不超过10万/家": a ceiling, not a lump sum. Without the station's cost
            # the amount cannot be set, so nothing is counted until the cost is reported.
            parts.append(f"{label}已验收，建设费用未填报，补助金额待核定（不超过 {yuan(cap)} 元）")
            pending.append(f"growth_stations[{i}].cost")
        else:
            amount = min(station.cost, cap)
            parts.append(
                f"{label}已验收，费用 {yuan(station.cost)} 元，上限 {yuan(cap)} 元，计 {yuan(amount)} 元"
            )
            total += amount
    tail = f"；已核定合计 {yuan(total)} 元" if pending else f"；合计 {yuan(total)} 元"
    return _line("growth_station", total, "；".join(parts) + tail, rec, pending=tuple(pending))


def _tax_deduction(facts: Facts, rec: Recorder) -> list[SubsidyLine]:
    household = facts.household
    if household is None:
        return []
    param = rec.get("tax.child_deduction_monthly")
    if param is None:
        return [
            _line(
                "income_tax_deduction", ZERO, "该月未设定3岁以下婴幼儿照护专项附加扣除", rec, "tax_deduction"
            )
        ]
    if household.children_under_3 is None:
        return [
            _line(
                "income_tax_deduction",
                ZERO,
                "3岁以下婴幼儿人数未填报",
                rec,
                "tax_deduction",
                ("household.children_under_3",),
            )
        ]
    share = Decimal(household.share_percent if household.share_percent is not None else 100) / 100
    amount = param.value * household.children_under_3 * share
    basis = f"{household.children_under_3} 名婴幼儿 × {text(param.value)} 元/月 × {text(share * 100)}% = {yuan(amount)} 元"
    if household.share_percent is None:
        basis += "（扣除比例未填报，按一方全额扣除计）"
    for value, source in param.restated:
        basis += f"；{source.citation()} 所载 {text(value)} 元/月已由 {param.source.citation()} 取代"
    return [_line("income_tax_deduction", amount, basis, rec, "tax_deduction")]


def subsidies(facts: Facts | dict, profile: Profile | str, month: str | dt.date) -> SubsidyResult:
    """Operating (P47), construction (P46/P49, when the facts carry a ``project``), growth-station (P50)
    subsidies and, when the facts carry a ``household``, the income-tax deduction (P55/N30), for
    ``month`` (``YYYY-MM`` or a date in it). An item the profile does not grant is ``0.00`` with the
    reason in its basis. A line whose ``pending`` is not empty is undetermined: its amount counts
    only what is certain, and ``pending`` names what must be verified first.
    """
    from tuoyu.engines.policy import resolve

    if isinstance(month, str):
        try:
            day = parse_month(month)
        except ValueError:
            raise PolicyInputError(
                f"月份无效：{month!r}（应为 YYYY-MM）", f"invalid month {month!r} (expected YYYY-MM)"
            ) from None
    elif isinstance(month, dt.date):
        day = month.replace(day=1)
    else:
        raise PolicyInputError(
            f"月份无效：{month!r}（应为 YYYY-MM）", f"invalid month {month!r} (expected YYYY-MM)"
        )
    profile, day = resolve(profile, day)
    facts = load_facts(facts)
    params = profile.params(day)
    lines = [_operating(facts, profile, day, params.recorder())]
    lines += _construction(facts, params)
    lines.append(_growth_station(facts, params.recorder()))
    lines += _tax_deduction(facts, params.recorder())
    return SubsidyResult(profile.name, day.strftime("%Y-%m"), tuple(lines))
