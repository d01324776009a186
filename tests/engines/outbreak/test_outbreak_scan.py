"""The scan's behaviours beyond the thresholds: the cut-off day, dated and regional thresholds, the
reporting day, ordering, and the input it refuses."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from tuoyu.engines.outbreak import Check, Checks, OutbreakInputError, rules_on, scan
from tuoyu.engines.policy import ProfileSet, load_profile
from tuoyu.engines.policy.profiles import PROFILES_DIR

NATIONAL = load_profile("national")
DAY = dt.date(2024, 6, 3)


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def fever(children, on=DAY, care_class="小一班", institution="JG1"):
    return [Check(institution, care_class, child, on, frozenset({"fever"})) for child in children]


def hfmd(children, on=DAY, care_class="", institution="JG1"):
    return [Check(institution, care_class, child, on, diagnosis="hfmd") for child in children]


def alerts(rows, profile=NATIONAL, until=None):
    return scan(Checks.from_rows(rows), profile, until=until)


# --- the cut-off day -------------------------------------------------------------------------------


def test_until_counts_only_the_rows_up_to_that_day():
    rows = fever(["C1", "C2"], day(0)) + fever(["C3"], day(1)) + fever(["C4", "C5"], day(2))
    assert [a.rule.id for a in alerts(rows)] == ["outbreak.class_cluster.consecutive_days.fever"]
    assert alerts(rows, until=day(1)) == []
    assert alerts(rows, until=day(2)) == alerts(rows)


def test_a_cluster_seen_up_to_a_day_ends_there():
    rows = fever(["C1", "C2", "C3"], day(0)) + fever(["C4", "C5", "C6"], day(1))
    (same_day_0, run, same_day_1) = alerts(rows)  # two days of three: two same-day alerts, one run
    assert (same_day_0.first_date, same_day_1.first_date) == (day(0), day(1))
    assert (run.first_date, run.last_date, run.cases) == (day(0), day(1), 6)
    (only,) = alerts(rows, until=day(0))
    assert (only.rule.id, only.last_date, only.cases) == ("outbreak.class_cluster.same_day.fever", day(0), 3)


# --- report_by ---------------------------------------------------------------------------------------


def test_the_report_is_due_the_day_after_the_threshold_is_first_met():
    rows = hfmd(["C1", "C2"], day(0), "托小班") + hfmd(["C3"], day(3), "托小班")
    (alert,) = alerts(rows)
    assert (alert.first_date, alert.triggered, alert.last_date, alert.cases) == (day(0), day(0), day(3), 3)
    assert alert.report_by == day(1)  # later cases extend the alert, never its deadline


# --- regional profiles -----------------------------------------------------------------------------

REGIONAL = """parameters:
  outbreak.report_hours:
    unit: clock hours
    values:
      2024-01-01: {value: 48, source: {doc: 瓯海区普惠托育试点方案, clause: 四(九), provision: P18}}
  outbreak.class_cluster.symptoms:
    unit: symptoms
    values:
      2024-01-01: {value: [fever, cough], source: {doc: 瓯海区普惠托育试点方案, clause: 四(九), provision: P18}}
  outbreak.disease.norovirus.class.cases:
    unit: children
    values:
      2024-01-01: {value: 3, source: {doc: 瓯海区普惠托育试点方案, clause: 四(九), provision: P18}}
  outbreak.disease.norovirus.class.days:
    unit: days
    values:
      2024-01-01: {value: 2, source: {doc: 瓯海区普惠托育试点方案, clause: 四(九), provision: P18}}
  outbreak.disease.hfmd.institution.cases:
    unit: children
    values:
      2024-06-05: {value: 3, source: {doc: 瓯海区普惠托育试点方案, clause: 四(九), provision: P18}}
"""


@pytest.fixture
def profiles(tmp_path):
    def make(extra: str) -> ProfileSet:
        for path in PROFILES_DIR.glob("*.yaml"):
            shutil.copy(path, tmp_path / path.name)
        path = tmp_path / "zhejiang-wenzhou-ouhai.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("parameters:\n", extra, 1), encoding="utf-8")
        return ProfileSet(tmp_path)

    return make


def test_a_regional_profile_overrides_any_threshold_and_cites_its_own_document(profiles):
    ouhai = profiles(REGIONAL).get("zhejiang-wenzhou-ouhai")
    coughs = [Check("JG1", "小一班", f"C{k}", DAY, frozenset({"cough"})) for k in range(3)]
    noro = [Check("JG1", "小二班", f"N{k}", day(k // 2), diagnosis="norovirus") for k in range(3)]
    assert alerts(coughs + noro) == []  # nationally neither is a cluster
    found = {a.rule.id: a for a in alerts(coughs + noro, ouhai)}
    assert set(found) == {"outbreak.class_cluster.same_day.cough", "outbreak.disease.norovirus.class"}
    cough = found["outbreak.class_cluster.same_day.cough"]
    assert cough.report_by == DAY + dt.timedelta(days=2)  # 48 hours
    assert "须在48小时内报告" in cough.rule.text and "出现咳嗽" in cough.rule.text
    # The symptoms and the deadline are Ouhai's, the count of three still the national rule's.
    assert cough.rule.text.endswith(
        "（《瓯海区普惠托育基本公共服务试点工作方案（试行）》 四(九)；《托儿所幼儿园卫生保健工作规范》），"
        "须在48小时内报告疾病预防控制机构（《瓯海区普惠托育基本公共服务试点工作方案（试行）》 四(九)）"
    )
    noro_alert = found["outbreak.disease.norovirus.class"]
    assert (noro_alert.first_date, noro_alert.last_date, noro_alert.cases) == (day(0), day(1), 3)
    assert noro_alert.rule.text.startswith("同一班级2天内发生诺如病毒感染3例及以上")


def test_a_threshold_changed_on_a_date_judges_the_windows_ending_from_that_date(profiles):
    ouhai = profiles(REGIONAL).get("zhejiang-wenzhou-ouhai")
    rows = hfmd(["C1", "C2", "C3"], day(0)) + hfmd(["C4", "C5", "C6"], day(3))
    found = alerts(rows, ouhai)  # 3 from 2024-06-05 (day 2), 5 before
    assert [(a.triggered, a.cases) for a in found] == [(day(3), 6)]
    assert "3例及以上" in found[0].rule.text


def test_a_threshold_without_its_window_is_refused(profiles):
    broken = REGIONAL.replace(
        """  outbreak.disease.norovirus.class.days:
    unit: days
    values:
      2024-01-01: {value: 2, source: {doc: 瓯海区普惠托育试点方案, clause: 四(九), provision: P18}}
""",
        "",
    )
    ouhai = profiles(broken).get("zhejiang-wenzhou-ouhai")
    with pytest.raises(OutbreakInputError) as error:
        alerts(hfmd(["C1"]), ouhai)
    assert "outbreak.disease.norovirus.class.days" in error.value.zh


def test_a_window_of_zero_days_is_refused_when_the_profiles_load(profiles):
    from tuoyu.engines.policy import ProfileError

    with pytest.raises(ProfileError, match="positive integer"):
        profiles(REGIONAL.replace("{value: 2,", "{value: 0,"))


# --- who counts, and in which order alerts come ----------------------------------------------------


def test_one_class_name_in_two_institutions_is_two_classes():
    rows = fever(["C1", "C2"], institution="JG1") + fever(["C3"], institution="JG2")
    assert alerts(rows) == []


def test_alerts_are_sorted_by_institution_class_day_and_rule():
    rows = (
        fever(["A1", "A2", "A3"], day(2), "小二班", "JG2")
        + hfmd(["B1", "B2", "B3", "B4", "B5"], day(1), "", "JG2")
        + [Check("JG1", "小一班", f"C{k}", day(0), frozenset({"rash", "fever"})) for k in range(3)]
    )
    found = [
        (a.institution, a.care_class, a.first_date, a.rule.symptom or a.rule.diagnosis) for a in alerts(rows)
    ]
    assert found == [
        ("JG1", "小一班", day(0), "fever"),
        ("JG1", "小一班", day(0), "rash"),
        ("JG2", "", day(1), "hfmd"),
        ("JG2", "小二班", day(2), "fever"),
    ]


def test_no_rows_raise_no_alerts():
    assert alerts([]) == []
    assert alerts([Check("JG1", "小一班", "C1", DAY)]) == []


def test_the_rules_of_a_day_say_what_they_count_and_cite():
    rules = {rule.id: rule for rule in rules_on(NATIONAL, DAY)}
    same_day = rules["outbreak.class_cluster.same_day.jaundice"]
    assert (same_day.scope, same_day.cases, same_day.days, same_day.report_hours) == ("class", 3, 1, 24)
    assert same_day.text == (
        "同一班级同一天内3名及以上婴幼儿出现黄疸（相似症状按同一症状计），"
        "须在24小时内报告疾病预防控制机构（《托儿所幼儿园卫生保健工作规范》）"
    )
    measles = rules["outbreak.disease.measles.institution"]
    assert (measles.scope, measles.cases, measles.days) == ("institution", 2, 10)
    assert measles.text == (
        "同一托育机构10天内发生麻疹2例及以上（《浙江省托幼机构传染病暴发疫情判定标准》），"
        "须在24小时内报告疾病预防控制机构（《托儿所幼儿园卫生保健工作规范》）"
    )
    assert {s.provision for s in measles.sources} == {"P18"}
    assert "outbreak.disease.measles.class" not in rules
    assert not any(r.diagnosis for r in rules_on(NATIONAL, dt.date(2023, 8, 31)))


# --- rows the engine refuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (Check("", "A", "C1", DAY), "机构编号不能为空"),
        (Check("JG1", "A", "", DAY), "幼儿编号不能为空"),
        (Check("JG1", "A", "C1", DAY, frozenset({"sneeze"})), "未知的症状代码“sneeze”"),
        (Check("JG1", "A", "C1", DAY, diagnosis="flu"), "未知的诊断代码“flu”"),
        (Check("JG1", "A", "C1", dt.datetime(2024, 6, 3, 8)), "日期应为日期"),  # type: ignore[arg-type]
    ],
)
def test_bad_rows_are_refused_naming_their_position(row, fragment):
    with pytest.raises(OutbreakInputError) as error:
        Checks.from_rows([Check("JG1", "A", "C0", DAY), row])
    assert fragment in error.value.zh and error.value.row == 1


def test_columns_holding_codes_outside_their_lists_are_refused():
    good = Checks.from_rows(fever(["C1"]))
    fields = {name: getattr(good, name) for name in good.__dataclass_fields__}
    with pytest.raises(ValueError, match="child"):
        Checks(**{**fields, "child": np.array([5])})
    with pytest.raises(ValueError, match="symptoms"):
        Checks(**{**fields, "symptoms": np.array([1 << 8], dtype=np.int64)})
    with pytest.raises(ValueError, match="one entry per row"):
        Checks(**{**fields, "day": np.array([1, 2])})
