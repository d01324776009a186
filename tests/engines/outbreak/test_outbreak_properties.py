"""The vectorised scan against the plain re-implementation of its definitions, on small random rows."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engines.outbreak import outbreak_reference as reference
from tuoyu.engines.outbreak import Check, Checks, scan
from tuoyu.engines.policy import ProfileSet, load_profile
from tuoyu.engines.policy.profiles import PROFILES_DIR

MANY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=80, deadline=None)
START = dt.date(2024, 6, 1)
# Thresholds that change in the middle of the rows' fortnight and lapse again, so that stretches of
# one rule with other values, and a rule that comes and goes, are exercised.
CHANGING = """parameters:
  outbreak.class_cluster.same_day.cases:
    unit: children
    values:
      2024-06-05: {value: 2, source: {doc: 瓯海区普惠托育试点方案, clause: 一, provision: P18}, until: 2024-06-08}
  outbreak.disease.norovirus.class.cases:
    unit: children
    values:
      2024-06-04: {value: 2, source: {doc: 瓯海区普惠托育试点方案, clause: 一, provision: P18}, until: 2024-06-10}
  outbreak.disease.norovirus.class.days:
    unit: days
    values:
      2024-06-04: {value: 3, source: {doc: 瓯海区普惠托育试点方案, clause: 一, provision: P18}, until: 2024-06-10}
  outbreak.disease.hfmd.institution.days:
    unit: days
    values:
      2024-06-07: {value: 2, source: {doc: 瓯海区普惠托育试点方案, clause: 一, provision: P18}}
"""


@pytest.fixture(scope="module")
def changing(tmp_path_factory):
    directory = tmp_path_factory.mktemp("profiles")
    for path in PROFILES_DIR.glob("*.yaml"):
        shutil.copy(path, directory / path.name)
    path = directory / "zhejiang-wenzhou-ouhai.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("parameters:\n", CHANGING, 1), encoding="utf-8")
    return ProfileSet(directory).get("zhejiang-wenzhou-ouhai")


@st.composite
def check_rows(draw, max_rows=60):
    """Rows crowded into one institution and class and a few days often enough to meet every rule."""
    n = draw(st.integers(0, max_rows))
    span = draw(st.sampled_from([3, 13]))
    rows = []
    for _ in range(n):
        symptoms = draw(st.sets(st.sampled_from(["fever", "rash", "cough"]), max_size=2))
        diagnosis = draw(st.sampled_from([None, None, None, "hfmd", "norovirus", "measles"]))
        rows.append(
            Check(
                institution=draw(st.sampled_from(["J1", "J1", "J1", "J2"])),
                care_class=draw(st.sampled_from(["", "A", "A", "B"])),
                child=f"C{draw(st.integers(0, 7))}",
                date=START + dt.timedelta(days=draw(st.integers(0, span))),
                symptoms=frozenset(symptoms),
                diagnosis=diagnosis,
            )
        )
    return rows


def engine(rows, profile, until=None):
    return sorted(
        (
            a.institution,
            a.care_class,
            a.rule.text,
            a.first_date,
            a.last_date,
            a.cases,
            a.triggered,
            a.report_by,
        )
        for a in scan(Checks.from_rows(rows), profile, until=until)
    )


@MANY
@given(check_rows(), st.one_of(st.none(), st.integers(0, 14)))
def test_the_scan_is_what_the_definitions_say(rows, cut):
    profile = load_profile("national")
    until = None if cut is None else START + dt.timedelta(days=cut)
    assert engine(rows, profile, until) == reference.scan(rows, profile, until)


@MANY
@given(check_rows())
def test_thresholds_that_change_by_date_are_judged_by_the_day_each_window_ends(changing, rows):
    assert engine(rows, changing) == reference.scan(rows, changing)


@FEW
@given(check_rows())
def test_each_alert_counts_at_least_its_threshold_and_is_due_a_day_after_it_is_met(rows):
    for alert in scan(Checks.from_rows(rows), load_profile("national")):
        assert alert.cases >= alert.rule.cases
        assert alert.first_date <= alert.triggered <= alert.last_date
        assert alert.report_by == alert.triggered + dt.timedelta(days=1)
        assert (alert.care_class == "") == (alert.rule.scope == "institution")


@FEW
@given(check_rows(), st.randoms(use_true_random=False))
def test_the_order_of_the_rows_does_not_matter(rows, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)
    profile = load_profile("national")
    assert scan(Checks.from_rows(rows), profile) == scan(Checks.from_rows(shuffled), profile)
