"""``tuoyu subsidy FACTS.json --profile P --month YYYY-MM``: subsidies owed, each with basis and source."""

from __future__ import annotations

import json

from tuoyu.commands._common import EXIT_OK, ArgumentParser, guarded
from tuoyu.commands.policy import _policy_errors

_ITEM = {
    "operating": "运营补助",
    "construction": "建设补助",
    "growth_station": "成长驿站补助",
    "income_tax_deduction": "个税专项附加扣除",
}


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog,
        description="按政策配置计算补助与扣除 / subsidies and tax deductions under a policy profile",
    )
    parser.add_argument("facts", help="机构情况 JSON 文件（格式见 docs/facts.md；- 表示标准输入）")
    parser.add_argument("--profile", required=True, help="政策配置名称（tuoyu policy list）")
    parser.add_argument("--month", required=True, help="月份 YYYY-MM")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    return guarded(lambda: _policy_errors(lambda: _subsidy(args)))


def _subsidy(args) -> int:
    from tuoyu.engines.policy import read_facts_file, subsidies
    from tuoyu.engines.policy.money import yuan

    facts = read_facts_file(args.facts)
    result = subsidies(facts, args.profile, args.month)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{facts.name or args.facts}：{result.profile}，{result.month}")
    for line in result.lines:
        cite = "、".join(dict.fromkeys(f"{s.provision} {s.citation()}" for s in line.sources)) or "—"
        note = "（扣除额，不计入合计）" if line.kind == "tax_deduction" else ""
        if line.pending:
            note += "（待核定）"
        print(f"  {_ITEM.get(line.item, line.item)}：{yuan(line.amount)} 元{note}")
        print(f"      依据：{line.basis}")
        if line.pending:
            print(f"      须先核实：{'、'.join(line.pending)}")
        print(f"      出处：{cite}")
    print(f"合计：{yuan(result.total)} 元")
    return EXIT_OK
