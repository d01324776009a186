"""`tuoyu calendar`: the public holidays and adjusted working days that filing clocks skip or count."""

from __future__ import annotations

import datetime as dt

from tuoyu.commands._common import ArgumentParser, BadInput, guarded
from tuoyu.commands._django import setup


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"日期无效：{text!r}（应为 YYYY-MM-DD）", f"invalid date {text!r} (expected YYYY-MM-DD)"
        ) from None


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog, description="节假日与调休：备案时限按工作日计算时使用 / holidays and adjusted working days"
    )
    sub = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
    p_list = sub.add_parser("list", help="列出已配置的日期")
    p_list.add_argument("--year", type=int)
    p_add = sub.add_parser("add", help="添加或修改一天")
    p_add.add_argument("date", help="YYYY-MM-DD")
    kind = p_add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--holiday", metavar="名称", help="法定节假日（不上班），如 国庆节")
    kind.add_argument("--workday", metavar="名称", help="调休上班的周末，如 国庆节调休")
    p_remove = sub.add_parser("remove", help="删除一天的配置")
    p_remove.add_argument("date", help="YYYY-MM-DD")
    args = parser.parse_args(argv)
    setup()
    return guarded(lambda: _act(args))


def _act(args) -> int:
    from tuoyu.errors import DomainError
    from tuoyu.kernel.accounts.actor import Actor
    from tuoyu.kernel.regions.models import CalendarDay
    from tuoyu.kernel.registry.calendar_services import calendar_day_remove, calendar_day_set

    actor = Actor.system("命令行")
    if args.action == "list":
        days = CalendarDay.objects.all()
        if args.year:
            days = days.filter(date__year=args.year)
        for day in days:
            print(f"{day.date:%Y-%m-%d} {'上班' if day.working else '放假'} {day.name}")
        return 0
    day = _date(args.date)
    try:
        if args.action == "remove":
            calendar_day_remove(actor=actor, day=day)
            print(f"已删除 {day}。")
            return 0
        working, name = (True, args.workday) if args.workday else (False, args.holiday)
        calendar_day_set(actor=actor, day=day, working=working, name=name)
    except DomainError as error:
        raise BadInput(error.message, str(error.code)) from None
    print(f"{day}：{'上班' if working else '放假'}（{name}）。")
    return 0
