from __future__ import annotations

import time

from tuoyu.commands._common import ArgumentParser
from tuoyu.commands._django import setup


def run(argv: list[str], prog: str) -> int:
    parser = ArgumentParser(
        prog=prog,
        description="后台任务：期限提醒与消息推送 / deadline reminders and the outbox (background worker)",
    )
    parser.add_argument("--once", action="store_true", help="处理一次后退出")
    parser.add_argument("--interval", type=int, default=10, help="轮询间隔秒数（默认 10）")
    args = parser.parse_args(argv)
    setup()
    while True:
        delivered = background_round()
        if args.once:
            print(f"已推送 {delivered} 条消息。")
            return 0
        time.sleep(args.interval)


# Deadlines move by the day: looking for reminders every quarter of an hour is soon enough, while
# the outbox is delivered every round.
REMINDER_INTERVAL_SECONDS = 15 * 60
_reminders_looked_at: float | None = None
_staff_dues_day = None
_silent_cameras_day = None
SILENT_CAMERAS_HOUR = 10


def background_round() -> int:
    """One round of the background work: queue the reminders due today (filing and offer deadlines,
    staff checks and certificates about to lapse, cameras silent yesterday) and turn the accepted places
    whose start date has come into enrolments (at most every quarter of an hour; keyed and marked,
    so none is ever repeated), then deliver the outbox. Returns deliveries."""
    global _reminders_looked_at, _staff_dues_day, _silent_cameras_day
    from tuoyu import clock
    from tuoyu.kernel.messaging.services import deliver_pending

    now = time.monotonic()
    if _reminders_looked_at is None or now - _reminders_looked_at >= REMINDER_INTERVAL_SECONDS:
        from tuoyu.domains.cameras.services import silent_remind
        from tuoyu.domains.enrollment.services import offers_take_up, remind_offer_deadlines
        from tuoyu.domains.filings.services import remind_filing_deadlines
        from tuoyu.kernel.people.credentials import dues_remind

        remind_filing_deadlines()
        remind_offer_deadlines()
        if _staff_dues_day != clock.today():  # staff dues move by the day and read every staff row
            dues_remind()
            _staff_dues_day = clock.today()
        # Yesterday's camera days are looked at once the morning has had time to record them.
        if _silent_cameras_day != clock.today() and clock.now().hour >= SILENT_CAMERAS_HOUR:
            silent_remind()
            _silent_cameras_day = clock.today()
        offers_take_up()
        _reminders_looked_at = now
    return deliver_pending()
