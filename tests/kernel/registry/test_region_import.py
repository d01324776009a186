"""A county's subdistricts and communities come in from its own file: checked whole, written all at
once and audited, or not at all; the same file twice changes nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests import factories as f
from tuoyu.kernel.accounts.access import AccessDenied
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Role
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.regions.models import Level, Region
from tuoyu.kernel.registry import region_import as service

HEADER = "code,name,parent_code,area_type"
# County A (510591, 甲区) already holds 甲街道 (510591001). A community of a new subdistrict comes
# before the subdistrict itself: the order of the file does not matter.
CLEAN = [
    "510591002001,新城社区,510591002,新建居住区",
    "510591002,乙二街道,510591,new_residential",
    "510591001001,老街社区,510591001,built_up",
    "510591003,丙镇,510591,",
]


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


def _xlsx(*rows: str, header: str = HEADER) -> bytes:
    book = openpyxl.Workbook()
    for line in [header, *rows]:
        book.active.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def admin(world):
    """The platform administrator of county A."""
    return Actor(user=f.UserFactory(username="admin_a", role=Role.ADMIN, region=world.county_a))


def _import(actor, content: bytes, name: str = "regions.csv") -> service.Summary:
    result = service.regions_preview(actor=actor, name=name, content=content)
    assert result.clean, result.messages()
    return service.regions_apply(actor=actor, result=result)


def _audit() -> int:
    return AuditEvent.objects.filter(model="regions.region").count()


def test_a_clean_file_creates_subdistricts_and_communities_each_audited(world, admin):
    summary = _import(admin, _csv(*CLEAN))
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    new_sub = Region.objects.get(code="510591002")
    community = Region.objects.get(code="510591002001")
    assert new_sub.parent == world.county_a and new_sub.level == Level.SUBDISTRICT
    assert new_sub.area_type == "new_residential" and new_sub.synthetic is False
    assert community.parent == new_sub and community.level == Level.COMMUNITY
    assert community.path == f"{world.county_a.path}510591002/510591002001/"
    assert community.area_type == "new_residential"  # given by its Chinese name
    assert Region.objects.get(code="510591001001").parent == world.sub_a
    assert Region.objects.get(code="510591003").area_type == ""
    events = AuditEvent.objects.filter(model="regions.region", verb="create")
    assert events.count() == 4
    assert {e.note for e in events} == {"区划导入"}
    assert {e.actor_name for e in events} == {f"{admin.user}（admin_a）"}
    assert all(e.region_path.startswith(world.county_a.path) for e in events)


def test_importing_the_same_file_again_changes_nothing(world, admin):
    _import(admin, _csv(*CLEAN))
    regions, events = Region.objects.count(), AuditEvent.objects.count()
    summary = _import(admin, _csv(*CLEAN))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    assert Region.objects.count() == regions and AuditEvent.objects.count() == events


def test_the_preview_says_what_each_row_would_do_and_writes_nothing(world, admin):
    _import(admin, _csv(CLEAN[1]))
    before = Region.objects.count()
    result = service.regions_preview(
        actor=admin, name="regions.csv", content=_csv(CLEAN[0], "510591002,乙二新街道,510591,")
    )
    assert [r.outcome_label for r in result.rows] == ["新增", "修改"]
    assert result.rows[1].changes == ["名称：乙二街道 → 乙二新街道"]
    assert Region.objects.count() == before


def test_a_changed_name_or_area_type_is_an_audited_update_and_an_empty_one_keeps_the_old(world, admin):
    _import(admin, _csv(*CLEAN))
    summary = _import(admin, _csv("510591002,乙二街道（新）,510591,", "510591003,丙镇,510591,rural"))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 0)
    renamed = Region.objects.get(code="510591002")
    assert renamed.name == "乙二街道（新）" and renamed.area_type == "new_residential"
    assert Region.objects.get(code="510591003").area_type == "rural"
    updates = AuditEvent.objects.filter(model="regions.region", verb="update")
    assert {e.object_id: e.changes for e in updates} == {
        str(renamed.pk): {"name": ["乙二街道", "乙二街道（新）"]},
        str(Region.objects.get(code="510591003").pk): {"area_type": ["", "rural"]},
    }


BAD_ROWS = [
    ("510592003,乙三街道,510591,", "行政区划代码510592003应以上级区划代码510591开头"),
    ("5105910021,错位街道,510591,", "行政区划代码应为6位（县级及以上）、9位（街道、乡镇）或12位"),
    ("51059100A,字母街道,510591,", "应为6位（县级及以上）、9位（街道、乡镇）或12位"),
    ("510593,丁区,510500,", "只能导入街道（镇，9位）和社区（村，12位）"),
    ("510599001,无主街道,510599,", "上级区划510599不存在"),
    ("510591001002,越级社区,510591,", "上级区划代码应为510591001"),
    ("510591004,,510591,", "名称不能为空"),
    ("510591004,\u202e道街,510591,", "名称不能包含改变文字方向的控制字符"),
    (
        "510591004,丁街道,510591,城区",
        "区域类型“城区”不是可选值（可选：新建居住区、老城区和已建成居住区、农村地区）",
    ),
    ("510591004,丁街道,,", "上级区划代码不能为空"),
    ("510592002,乙二街道,510592,", "上级区划510592（乙区）不在您的辖区内"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS)
def test_one_bad_row_imports_nothing_and_is_reported_on_its_line(world, admin, bad, message):
    before, events = Region.objects.count(), AuditEvent.objects.count()
    result = service.regions_preview(actor=admin, name="regions.csv", content=_csv(CLEAN[1], bad, CLEAN[2]))
    assert not result.clean
    bad_rows = [r for r in result.rows if r.errors]
    assert [r.line for r in bad_rows] == [3], result.messages()
    assert any(message in e for e in bad_rows[0].errors), bad_rows[0].errors
    with pytest.raises(service.ImportRefused):
        service.regions_apply(actor=admin, result=result)
    assert Region.objects.count() == before and AuditEvent.objects.count() == events


def test_every_problem_of_the_file_is_listed_with_its_line(world, admin):
    rows = [CLEAN[1], *(bad for bad, _ in BAD_ROWS)]
    result = service.regions_preview(actor=admin, name="regions.csv", content=_csv(*rows))
    messages = result.messages()
    for line, (_, message) in enumerate(BAD_ROWS, start=3):
        assert any(m.startswith(f"第{line}行：") and message in m for m in messages), (line, message)
    assert not any(m.startswith("第2行") for m in messages)


def test_a_code_twice_in_the_file_is_refused_on_both_lines(world, admin):
    result = service.regions_preview(
        actor=admin, name="regions.csv", content=_csv(CLEAN[1], CLEAN[2], "510591002,乙二街道,510591,")
    )
    assert result.messages() == [
        "第2行：行政区划代码510591002在文件中重复（另见第4行）",
        "第4行：行政区划代码510591002在文件中重复（另见第2行）",
    ]


def test_a_region_cannot_move_to_another_parent_by_import(world, admin):
    # A row on the platform whose parent disagrees with its code (typed in by hand, say).
    Region(code="510591009", name="错挂街道", parent=world.county_b).save()
    result = service.regions_preview(actor=admin, name="r.csv", content=_csv("510591009,错挂街道,510591,"))
    assert result.messages() == [
        "第2行：行政区划代码510591009已在平台上，上级区划为510592：不能通过导入调整隶属关系"
    ]


def test_the_corrected_file_imports(world, admin):
    bad = service.regions_preview(
        actor=admin, name="r.csv", content=_csv(*CLEAN[:2], "510592003,乙三街道,510591,")
    )
    assert not bad.clean
    summary = _import(admin, _csv(*CLEAN[:2], "510591004,丁街道,510591,"))
    assert summary.created == 3 and Region.objects.filter(code="510591004").exists()


def test_gbk_csv_and_excel_files_read_alike(world, admin):
    gbk = service.regions_preview(actor=admin, name="r.csv", content=_csv(*CLEAN).decode().encode("gbk"))
    excel = service.regions_preview(actor=admin, name="r.xlsx", content=_xlsx(*CLEAN))
    assert gbk.clean and excel.clean
    assert [r.values for r in gbk.rows] == [r.values for r in excel.rows]
    assert gbk.rows[0].values["name"] == "新城社区"


def test_chinese_headers_are_accepted_and_a_missing_or_unknown_column_is_refused(world, admin):
    chinese = _csv(CLEAN[1], header="行政区划代码,名称,上级区划代码,区域类型")
    assert service.regions_preview(actor=admin, name="r.csv", content=chinese).clean
    missing = service.regions_preview(
        actor=admin, name="r.csv", content=_csv("510591002,乙", header="code,name")
    )
    assert missing.problems == ["缺少必填列：上级区划代码"]
    unknown = service.regions_preview(
        actor=admin, name="r.csv", content=_csv("510591002,乙,510591,,x", header=HEADER + ",remark")
    )
    assert unknown.problems == ["未知的列“remark”"]
    assert service.regions_preview(actor=admin, name="r.txt", content=b"x").problems == [
        "只支持 .xlsx 或 .csv 文件"
    ]
    assert service.regions_preview(actor=admin, name="r.csv", content=HEADER.encode()).problems == [
        "文件中没有数据行"
    ]


def test_a_city_administrator_imports_for_any_county_of_the_city(world):
    city_admin = Actor(user=f.UserFactory(username="admin_city", role=Role.ADMIN, region=world.city))
    summary = _import(city_admin, _csv("510591002,乙二街道,510591,", "510592002,乙二街道,510592,"))
    assert summary.created == 2


def test_the_command_line_may_narrow_the_file_to_one_county(world):
    system = Actor.system("测试")
    result = service.regions_preview(
        actor=system, name="r.csv", content=_csv("510592002,乙二街道,510592,"), within=world.county_a
    )
    assert result.messages() == ["第2行：上级区划510592（乙区）不在您的辖区内"]


@pytest.mark.parametrize("persona", ["regulator_a", "manager_a", "guardian_a", "police_a"])
def test_posts_without_the_act_are_refused_and_nothing_is_written(world, persona):
    actor = Actor(user=world.user(persona))
    with pytest.raises(AccessDenied):
        service.regions_preview(actor=actor, name="r.csv", content=_csv(*CLEAN))
    admin_result = service.regions_preview(actor=Actor.system("测试"), name="r.csv", content=_csv(*CLEAN))
    with pytest.raises(AccessDenied):
        service.regions_apply(actor=actor, result=admin_result)
    assert not Region.objects.filter(code="510591002").exists()


def test_the_sample_file_agrees_with_the_demo_county_and_only_adds_communities(shared_demo_county, db):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[3] / "docs" / "samples" / "regions.csv"
    result = service.regions_preview(
        actor=Actor.system("测试"), name=sample.name, content=sample.read_bytes()
    )
    assert result.clean, result.messages()
    outcomes = {r.values["code"]: r.outcome for r in result.rows}
    assert {c: o for c, o in outcomes.items() if len(c) == 9} == {
        f"510590{n:03d}": service.Outcome.UNCHANGED for n in range(1, 9)
    }
    assert {o for c, o in outcomes.items() if len(c) == 12} == {service.Outcome.CREATE}
