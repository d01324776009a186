"""``tuoyu check FACTS.json --profile P``: the standards check of one institution, with cited findings.

Exit 0 when no finding fails, 1 when one does, 2 for bad input.
"""

from __future__ import annotations

import json

from tuoyu.commands._common import EXIT_FOUND, EXIT_OK, ArgumentParser, guarded
from tuoyu.commands.policy import _date, _policy_errors

_MARK = {"pass": "✓", "fail": "✗", "unknown": "?", "not_applicable": "–"}
_LABEL = {"pass": "符合", "fail": "不符合", "unknown": "无法核实", "not_applicable": "不适用"}


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog,
        description="按政策配置检查托育机构是否达到设置标准 / check an institution against a policy profile",
    )
    parser.add_argument("facts", help="机构情况 JSON 文件（格式见 docs/facts.md；- 表示标准输入）")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--profile", help="政策配置名称（tuoyu policy list）")
    which.add_argument("--division", help="行政区划代码：使用覆盖该区划的最具体的配置")
    parser.add_argument("--on", help="检查日期 YYYY-MM-DD（默认今天）")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--hide-not-applicable", action="store_true", help="文本输出中不列出不适用的项目")
    args = parser.parse_args(argv)
    return guarded(lambda: _policy_errors(lambda: _check(args)))


def _check(args) -> int:
    from tuoyu.engines.policy import check, load_profile, profile_for_division, read_facts_file, summary

    on = _date(args.on)
    profile = load_profile(args.profile) if args.profile else profile_for_division(args.division)
    facts = read_facts_file(args.facts)
    findings = check(facts, profile, on)
    counts = summary(findings)
    if args.format == "json":
        out = {
            "profile": profile.name,
            "on": on.isoformat(),
            "findings": [f.to_dict() for f in findings],
            "summary": counts,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        name = facts.name or args.facts
        print(f"{name}：按 {profile.title}（{profile.name}）于 {on.isoformat()} 检查")
        for f in findings:
            if args.hide_not_applicable and f.status == "not_applicable":
                continue
            cite = f"（{f.provision}；{f.source.citation()}）" if f.source else f"（{f.provision}）"
            print(f"  {_MARK[f.status]} {f.rule} {f.subject}：{f.message}{cite}")
        print("合计：" + "，".join(f"{_LABEL[k]} {v}" for k, v in counts.items()))
    return EXIT_FOUND if counts["fail"] else EXIT_OK
