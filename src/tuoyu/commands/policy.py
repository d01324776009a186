"""``tuoyu policy list|show|diff|validate``: browse the policy profiles and their cited parameters."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

from tuoyu import clock
from tuoyu.commands._common import EXIT_FOUND, EXIT_OK, ArgumentParser, BadInput, guarded


def _date(text: str | None) -> dt.date:
    from tuoyu.engines.policy.dates import parse_date

    if text is None:
        return clock.today()
    try:
        return parse_date(text)
    except ValueError:
        raise BadInput(
            f"日期无效：{text!r}（应为 YYYY-MM-DD）", f"invalid date {text!r} (expected YYYY-MM-DD)"
        ) from None


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _value_text(value: object) -> str:
    from tuoyu.engines.policy.profiles import display_value

    return display_value(value)


def _list(args) -> int:
    from tuoyu.engines.policy import list_profiles

    profiles = list_profiles()
    if args.format == "json":
        _print_json([p.info() for p in profiles])
        return EXIT_OK
    for p in profiles:
        own = p.division()
        code = own.code if own else "—"
        aliases = f"（另适用 {'、'.join(a.code for a in p.aliases)}）" if p.aliases else ""
        parent = f" ← {p.parent.name}" if p.parent else ""
        print(f"{p.name:<28} {p.level:<9} {code:<7} {p.title}{aliases}{parent}")
    return EXIT_OK


def _show(args) -> int:
    from tuoyu.engines.policy import load_profile

    profile, on = load_profile(args.profile), _date(args.on)
    params = profile.effective(on)
    if args.format == "json":
        _print_json([p.to_dict() for p in params])
        return EXIT_OK
    print(f"{profile.title}（{profile.name}），{on.isoformat()} 有效的参数：")
    for p in params:
        s = p.source
        origin = "" if s.profile == profile.name else f"，继承自 {s.profile}"
        print(f"  {p.key} = {_value_text(p.value)} [{p.unit}]")
        print(f"      {s.provision} · {s.citation()} · 自 {s.effective.isoformat()}{origin}")
        for value, src in p.restated:
            print(f"      （{src.citation()} 转述为 {_value_text(value)}）")
    return EXIT_OK


def _diff(args) -> int:
    from tuoyu.engines.policy import diff, load_profile

    a, b, on = load_profile(args.a), load_profile(args.b), _date(args.on)
    rows = diff(a, b, on)
    if args.format == "json":
        _print_json({"a": a.name, "b": b.name, "on": on.isoformat(), "differences": rows})
        return EXIT_OK
    print(f"{a.name} 与 {b.name} 在 {on.isoformat()} 的差异（{len(rows)} 项）：")
    for row in rows:
        print(f"  {row['key']} [{row['unit']}]")
        for side, name in (("a", a.name), ("b", b.name)):
            item = row[side]
            if item is None:
                print(f"      {name}: 未设定")
            else:
                src = item["source"]
                print(
                    f"      {name}: {_value_text(item['value'])}（{src['document']} {src['clause']}，{src['provision']}）"
                )
    return EXIT_OK


def _validate(args) -> int:
    from tuoyu.engines.policy import ProfileError, ProfileSet
    from tuoyu.engines.policy.profiles import PROFILES_DIR

    directory = args.directory or PROFILES_DIR
    try:
        profiles = ProfileSet(directory)
    except ProfileError as error:
        for problem in error.problems:
            print(f"{problem.file}: {problem.key}: {problem.zh} / {problem.en}", file=sys.stderr)
        return EXIT_FOUND
    print(f"{len(profiles.profiles)} 个配置全部通过校验：{'、'.join(profiles.names())}")
    return EXIT_OK


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog,
        description="政策配置：列出、查看、比较、校验 / policy profiles: list, show, diff, validate",
    )
    sub = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
    p_list = sub.add_parser("list", help="列出所有政策配置")
    p_list.add_argument("--format", choices=("text", "json"), default="text")
    p_show = sub.add_parser("show", help="某配置在某日有效的全部参数，含单位与出处")
    p_show.add_argument("profile")
    p_show.add_argument("--on", help="日期 YYYY-MM-DD（默认今天）")
    p_show.add_argument("--format", choices=("text", "json"), default="text")
    p_diff = sub.add_parser("diff", help="两个配置在某日的参数差异")
    p_diff.add_argument("a")
    p_diff.add_argument("b")
    p_diff.add_argument("--on", help="日期 YYYY-MM-DD（默认今天）")
    p_diff.add_argument("--format", choices=("text", "json"), default="text")
    p_validate = sub.add_parser("validate", help="校验配置文件（默认随软件提供的配置）")
    p_validate.add_argument("directory", nargs="?")
    args = parser.parse_args(argv)
    actions = {"list": _list, "show": _show, "diff": _diff, "validate": _validate}
    return guarded(lambda: _policy_errors(lambda: actions[args.action](args)))


def _policy_errors(body) -> int:
    """Engine errors (unknown profile, broken profile, bad input) as BadInput."""
    from tuoyu.engines.policy import PolicyError

    try:
        return body()
    except PolicyError as error:
        raise BadInput(error.zh, error.en) from None
    except BrokenPipeError:
        # the reader (e.g. `| head`) has gone; stop quietly instead of printing a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
