import datetime as dt
import threading

import pytest
from django.db import connection

from tuoyu import clock
from tuoyu.domains.filings import services
from tuoyu.domains.filings.models import Event, Filing, State
from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    """Run the calls at the same moment in separate threads (separate database connections)."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("done")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_regulators_deciding_at_once_make_exactly_one_transition(world, ready_filing):
    filing, actor = ready_filing
    services.filing_submit(actor=actor, filing=filing, expected_version=filing.version)
    seen = Filing.objects.get(pk=filing.pk)  # the page both regulators opened
    accept = Actor(user=world.user("regulator_a"), ip="10.0.0.1")
    refuse = Actor(user=world.user("colleague_a"), ip="10.0.0.2")

    outcomes = _race(
        lambda: services.filing_accept(
            actor=accept, filing=seen, expected_version=seen.version, override_reason="已核实"
        ),
        lambda: services.filing_return(
            actor=refuse,
            filing=seen,
            expected_version=seen.version,
            reasons="材料不全",
            rectify_by=clock.today() + dt.timedelta(days=10),
        ),
    )

    assert outcomes.count("done") == 1
    loser = next(o for o in outcomes if o != "done")
    assert "已由他人处理" in loser or "当前状态为" in loser
    decided = Event.objects.filter(filing=filing, to_state__in=[State.ACCEPTED, State.RETURNED])
    assert decided.count() == 1
    assert (
        AuditEvent.objects.filter(model="filings.filing", verb="transition").count() == 2
    )  # submit + the one decision
