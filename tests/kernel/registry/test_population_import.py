"""The population and under-3 counts that places per 1000 divide by come in from the county's file:
checked whole, written all at once and audited; identical figures are left alone."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests import factories as f
from tuoyu import clock
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Role
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.regions.models import Population
from tuoyu.kernel.registry import region_import as service

HEADER = "code,year,population,under3"
# The world holds 甲街道 (510591001) in 2026: 50 000 residents, 1 200 under three.
CLEAN = [
    "510591,2025,120000,2900",
    "510591001,2025,49000,1250",
    "510591001,2026,50000,1200",
]


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


def _import(actor, content: bytes, name: str = "population.csv") -> service.Summary:
    result = service.population_preview(actor=actor, name=name, content=content)
    assert result.clean, result.messages()
    return service.population_apply(actor=actor, result=result)


@pytest.fixture
def regulator(world):
    return Actor(user=world.user("regulator_a"))


def test_a_clean_file_creates_the_new_figures_audited_and_leaves_identical_ones(world, regulator):
    summary = _import(regulator, _csv(*CLEAN))
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 1)
    county = Population.objects.get(region=world.county_a, year=2025)
    assert (county.total, county.under_3, county.source) == (120_000, 2_900, "导入：population.csv")
    # The figure that was already there, identical, keeps its own source.
    assert Population.objects.get(region=world.sub_a, year=2026).source == ""
    events = AuditEvent.objects.filter(model="regions.population")
    assert [(e.verb, e.note) for e in events] == [("create", "人口数据导入")] * 2
    assert {e.region_path for e in events} == {world.county_a.path, world.sub_a.path}


def test_importing_the_same_file_again_changes_nothing(world, regulator):
    _import(regulator, _csv(*CLEAN))
    rows, events = list(Population.objects.values()), AuditEvent.objects.count()
    summary = _import(regulator, _csv(*CLEAN), name="population.csv")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert list(Population.objects.values()) == rows and AuditEvent.objects.count() == events


def test_a_different_figure_replaces_the_old_one_audited(world, regulator):
    summary = _import(regulator, _csv("510591001,2026,51000,1180"), name="2026年人口.csv")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    figure = Population.objects.get(region=world.sub_a, year=2026)
    assert (figure.total, figure.under_3, figure.source) == (51_000, 1_180, "导入：2026年人口.csv")
    event = AuditEvent.objects.get(model="regions.population", verb="update")
    assert event.changes == {
        "total": [50_000, 51_000],
        "under_3": [1_200, 1_180],
        "source": ["", "导入：2026年人口.csv"],
    }


def test_the_preview_shows_the_change_and_writes_nothing(world, regulator):
    result = service.population_preview(
        actor=regulator, name="p.csv", content=_csv("510591001,2026,51000,1200")
    )
    assert result.rows[0].outcome_label == "修改" and result.rows[0].region_name == "甲街道"
    assert result.rows[0].changes == ["常住人口：50000 → 51000"]
    assert Population.objects.get(region=world.sub_a, year=2026).total == 50_000


NEXT_YEAR = clock.today().year + 1
BAD_ROWS = [
    ("510591001,1999,49000,1250", f"年份：应在2000到{NEXT_YEAR}之间（当前为1999）"),
    (f"510591001,{NEXT_YEAR + 1},49000,1250", f"年份：应在2000到{NEXT_YEAR}之间"),
    ("510591001,二〇二五,49000,1250", "年份：“二〇二五”不是整数"),
    ("510591001,2024,-1,0", "常住人口：应在0到200000000之间（当前为-1）"),
    ("510591001,2024,49000,1.5", "3岁以下婴幼儿数：“1.5”不是整数"),
    ("510591001,2024,1000,1001", "3岁以下婴幼儿数（1001）不能超过常住人口（1000）"),
    ("510591001,2024,,10", "常住人口不能为空"),
    ("510591009,2024,1000,10", "行政区划510591009不在平台上：请先导入区划"),
    ("51059100,2024,1000,10", "行政区划代码应为6位"),
    ("510592001,2024,40000,900", "行政区划510592001（乙街道）不在您的辖区内"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS)
def test_one_bad_row_imports_nothing_and_is_reported_on_its_line(world, regulator, bad, message):
    before, events = list(Population.objects.values()), AuditEvent.objects.count()
    result = service.population_preview(actor=regulator, name="p.csv", content=_csv(CLEAN[0], bad, CLEAN[1]))
    bad_rows = [r for r in result.rows if r.errors]
    assert [r.line for r in bad_rows] == [3], result.messages()
    assert any(message in e for e in bad_rows[0].errors), bad_rows[0].errors
    with pytest.raises(service.ImportRefused):
        service.population_apply(actor=regulator, result=result)
    assert list(Population.objects.values()) == before and AuditEvent.objects.count() == events


def test_every_problem_of_the_file_is_listed_with_its_line(world, regulator):
    result = service.population_preview(
        actor=regulator, name="p.csv", content=_csv(CLEAN[0], *(bad for bad, _ in BAD_ROWS))
    )
    messages = result.messages()
    for line, (_, message) in enumerate(BAD_ROWS, start=3):
        assert any(m.startswith(f"第{line}行：") and message in m for m in messages), (line, messages)
    assert not any(m.startswith("第2行") for m in messages)


def test_the_same_region_and_year_twice_is_refused_on_both_lines(world, regulator):
    result = service.population_preview(
        actor=regulator, name="p.csv", content=_csv(CLEAN[0], "510591,2025,120001,2900")
    )
    assert result.messages() == [
        "第2行：510591的2025年数据在文件中重复（另见第3行）",
        "第3行：510591的2025年数据在文件中重复（另见第2行）",
    ]


def test_the_corrected_file_imports(world, regulator):
    assert not service.population_preview(
        actor=regulator, name="p.csv", content=_csv(*CLEAN, "510591001,2024,1000,1001")
    ).clean
    assert _import(regulator, _csv(*CLEAN, "510591001,2024,1000,100")).created == 3


def test_gbk_csv_and_excel_files_read_alike(world, regulator):
    header = "行政区划代码,年份,常住人口,3岁以下婴幼儿数"
    gbk = service.population_preview(
        actor=regulator, name="p.csv", content=_csv(*CLEAN, header=header).decode().encode("gbk")
    )
    book = openpyxl.Workbook()
    book.active.append(header.split(","))
    for line in CLEAN:
        code, year, total, under_3 = line.split(",")
        book.active.append([code, int(year), int(total), float(under_3)])  # numbers as Excel keeps them
    buffer = io.BytesIO()
    book.save(buffer)
    excel = service.population_preview(actor=regulator, name="p.xlsx", content=buffer.getvalue())
    assert gbk.clean and excel.clean, (gbk.messages(), excel.messages())
    assert [r.values for r in gbk.rows] == [r.values for r in excel.rows]


def test_a_city_regulator_imports_for_every_county_of_the_city(world):
    city = Actor(user=world.user("city_regulator"))
    assert _import(city, _csv("510591,2025,120000,2900", "510592,2025,90000,2100")).created == 2


def test_a_county_administrator_holds_the_act_too(world):
    admin = Actor(user=f.UserFactory(username="admin_a", role=Role.ADMIN, region=world.county_a))
    assert _import(admin, _csv(CLEAN[0])).created == 1


@pytest.mark.parametrize("persona", ["manager_a", "guardian_a", "police_a", "inspector_a"])
def test_posts_without_the_act_are_refused_and_nothing_is_written(world, persona):
    actor = Actor(user=world.user(persona))
    with pytest.raises(AccessDenied):
        service.population_preview(actor=actor, name="p.csv", content=_csv(*CLEAN))
    result = service.population_preview(actor=Actor.system("测试"), name="p.csv", content=_csv(*CLEAN))
    with pytest.raises(AccessDenied):
        service.population_apply(actor=actor, result=result)
    assert not Population.objects.filter(year=2025).exists()


def test_the_source_names_the_file_only_when_its_name_is_plain_text():
    assert service.population_source("C:\\数据\\2025人口.xlsx") == "导入：2025人口.xlsx"
    assert service.population_source("\u202ex.csv") == "导入"
    assert len(service.population_source("人" * 300 + ".csv")) == 120
