import io
import os
import subprocess
import sys

import openpyxl
import pytest
from django.urls import reverse

from tuoyu.engines.identifiers import make_credit_code
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.messaging.models import OutboxMessage
from tuoyu.kernel.registry import importer, ledger
from tuoyu.kernel.registry.models import Institution

HEADER = [
    "机构名称",
    "统一社会信用代码",
    "街道（镇）",
    "地址",
    "法人类型",
    "性质",
    "举办形式",
    "办托模式",
    "普惠",
    "托位数",
    "服务类型",
    "联系电话",
]


def _row(n: int, **overrides) -> list[str]:
    values = {
        "name": f"导入托育园{n}",
        "code": make_credit_code("9", "1", "510591", f"KMP{n:06d}"),
        "sub": "甲街道",
        "address": f"甲路{n}号",
        "form": "企业",
        "nature": "营利性",
        "operator": "民办",
        "model": "社会机构市场办",
        "affordable": "否",
        "places": "40",
        "services": "全日托、计时托",
        "phone": "13812340000",
    }
    values.update(overrides)
    return list(values.values())


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in [HEADER, *rows]).encode("utf-8")


def test_a_clean_file_previews_then_imports_everything_audited_and_pushed(world):
    result = importer.preview(
        name="ledger.xlsx", content=_xlsx([_row(1), _row(2)]), subdistricts=[world.sub_a]
    )
    assert result.clean
    created = importer.apply(actor=Actor.system("测试"), result=result)
    assert [i.name for i in created] == ["导入托育园1", "导入托育园2"]
    assert created[0].service_types == ["full_day", "hourly"] and created[0].subdistrict == world.sub_a
    assert AuditEvent.objects.filter(model="registry.institution", verb="create").count() == 2
    assert OutboxMessage.objects.filter(topic="institution.registered").count() == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (dict(code="91510591IMP00000X1"), "统一社会信用代码"),
        (dict(sub="丙街道"), "不存在或不在您的辖区内"),
        (dict(places="-5"), "不能小于0"),
        (dict(places="十"), "不是整数"),
        (dict(form="合伙企业"), "不是可选值"),
        (dict(phone="12345"), "手机号码"),
        (dict(name=""), "机构名称不能为空"),
        (dict(form="事业单位", nature="非营利性"), "代码应以“1”开头"),
    ],
)
def test_one_bad_row_is_reported_by_line_and_nothing_is_written(world, bad, message):
    content = _xlsx([_row(1), _row(2, **bad), _row(3)])
    result = importer.preview(name="ledger.xlsx", content=content, subdistricts=[world.sub_a])
    assert not result.clean
    bad_rows = [r for r in result.rows if r.errors]
    assert [r.line for r in bad_rows] == [3]
    assert any(message in e for e in bad_rows[0].errors), bad_rows[0].errors
    with pytest.raises(importer.ImportRefused):
        importer.apply(actor=Actor.system("测试"), result=result)
    assert not Institution.objects.filter(name__startswith="导入托育园").exists()


def test_duplicates_within_the_file_and_against_the_platform_are_errors(world):
    duplicate_code = _row(1)[1]
    rows = [
        _row(1),
        _row(2, code=duplicate_code),
        _row(3, name="导入托育园1"),
        _row(4, code=world.inst_a.credit_code),
        _row(5, name="甲托育园"),
    ]
    result = importer.preview(name="ledger.csv", content=_csv(rows), subdistricts=[world.sub_a])
    errors = {r.line: " ".join(r.errors) for r in result.rows}
    assert "在文件中重复" in errors[3] and "名称在文件中重复" in errors[4]
    assert "已在平台登记" in errors[5] and "已有同名机构" in errors[6]


def test_missing_columns_and_unknown_formats_are_refused(world):
    result = importer.preview(
        name="ledger.csv", content="机构名称,地址\n甲,乙\n".encode(), subdistricts=[world.sub_a]
    )
    assert any("缺少必填列" in p for p in result.problems)
    assert not importer.preview(name="ledger.txt", content=b"x", subdistricts=[world.sub_a]).clean


def test_gbk_csv_from_excel_is_read(world):
    content = _csv([_row(1)]).decode("utf-8").encode("gb18030")
    assert importer.preview(name="ledger.csv", content=content, subdistricts=[world.sub_a]).clean


def test_the_export_reimports_as_the_same_columns(world):
    table = ledger.render_rows(
        [{"name": "x", "legal_form": "enterprise", "affordable": True, "service_types": ["full_day"]}]
    )
    assert table[0][:3] == ["机构名称", "统一社会信用代码", "街道（镇）"]
    mapping, problems = ledger.header_map(table[0])
    assert not problems and len(mapping) == len(ledger.IMPORTABLE)


def test_web_import_previews_and_writes_only_on_confirm(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.user("regulator_a"))
    upload = SimpleUploadedFile("ledger.xlsx", _xlsx([_row(1)]))
    preview = client.post(reverse("registry:import"), {"file": upload})
    assert preview.status_code == 200 and "没有错误" in preview.content.decode()
    assert not Institution.objects.filter(name="导入托育园1").exists()
    digest = preview.context["digest"]
    client.post(reverse("registry:import"), {"confirm": "1", "digest": digest})
    assert Institution.objects.filter(name="导入托育园1").exists()


def test_web_import_with_a_bad_row_shows_it_and_offers_no_confirm(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.user("regulator_a"))
    response = client.post(
        reverse("registry:import"),
        {"file": SimpleUploadedFile("ledger.xlsx", _xlsx([_row(1), _row(2, places="-1")]))},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "不能小于0" in page
    assert 'data-qa="import-confirm"' not in page


@pytest.mark.parametrize("persona", ["manager_a", "guardian_a", "police_a"])
def test_only_regulators_import(world, login, persona):
    assert login(world.user(persona)).get(reverse("registry:import")).status_code == 404


def test_regulator_exports_excel(world, login):
    response = login(world.user("regulator_a")).get(reverse("registry:export"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "机构名称" and rows[1][0] == "甲托育园" and len(rows) == 2


def test_cli_import_refuses_a_file_with_one_bad_row_and_writes_nothing(tmp_path):
    env = dict(os.environ, TUOYU_DATA=str(tmp_path))
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "tuoyu", "demo", "--no-serve"],
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    ledger_file = tmp_path / "ledger.csv"
    rows = [
        _row(n, sub="云溪街道", code=make_credit_code("9", "1", "510590", f"KMP{n:06d}"), **extra)
        for n, extra in ((1, {}), (2, {"places": "-3"}))
    ]
    ledger_file.write_bytes(_csv(rows))
    bad = subprocess.run(
        [sys.executable, "-m", "tuoyu", "import", "institutions", str(ledger_file), "--county", "510590"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert "第3行" in bad.stderr and "未导入任何数据" in bad.stderr
    out = tmp_path / "out.csv"
    subprocess.run(
        [sys.executable, "-m", "tuoyu", "export", "institutions", str(out), "--county", "510590"],
        env=env,
        check=True,
        timeout=120,
    )
    assert "导入托育园" not in out.read_text(encoding="utf-8-sig")
    rows.pop()
    ledger_file.write_bytes(_csv(rows))
    good = subprocess.run(
        [sys.executable, "-m", "tuoyu", "import", "institutions", str(ledger_file), "--county", "510590"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert good.returncode == 0, good.stderr


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (dict(places="Infinity"), "不是整数"),
        (dict(places="1e400"), "不大于" if False else "不能大于"),
        (dict(name="园" * 101), "机构名称"),
    ],
)
def test_odd_cells_become_row_errors_not_crashes(world, bad, message):
    result = importer.preview(name="ledger.csv", content=_csv([_row(1, **bad)]), subdistricts=[world.sub_a])
    assert not result.clean and any(message in e for e in result.rows[0].errors), result.rows[0].errors


def test_a_fee_of_nan_and_an_overlong_csv_field_are_reported(world):
    header = [*HEADER, "月收费（元）"]
    nan = importer.preview(
        name="l.csv",
        content="\n".join(",".join(r) for r in [header, [*_row(1), "NaN"]]).encode(),
        subdistricts=[world.sub_a],
    )
    assert any("不是数字" in e for e in nan.rows[0].errors)
    huge = importer.preview(
        name="l.csv", content=('机构名称\n"' + "x" * 200_000 + '"\n').encode(), subdistricts=[world.sub_a]
    )
    assert not huge.clean


def test_a_file_without_service_types_imports(world):
    header = [h for h in HEADER if h != "服务类型"]
    rows = [[v for h, v in zip(HEADER, _row(1), strict=True) if h != "服务类型"]]
    result = importer.preview(
        name="l.csv",
        content="\n".join(",".join(r) for r in [header, *rows]).encode(),
        subdistricts=[world.sub_a],
    )
    assert result.clean
    assert importer.apply(actor=Actor.system("测试"), result=result)[0].service_types == []


def test_the_same_subdistrict_by_code_and_by_name_is_one_subdistrict(world):
    rows = [_row(1), _row(2, name="导入托育园1", sub=world.sub_a.code)]
    result = importer.preview(name="l.csv", content=_csv(rows), subdistricts=[world.sub_a])
    assert any("名称在文件中重复" in e for e in result.rows[1].errors)


def test_exports_mask_phones_and_neutralise_formulas(world, login):
    from tuoyu.kernel.registry.models import Institution

    Institution.objects.filter(pk=world.inst_a.pk).update(address='=HYPERLINK("http://x")')
    response = login(world.user("regulator_a")).get(reverse("registry:export"), {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    assert row[header.index("联系电话")] == "138****0001"
    assert row[header.index("地址")].startswith("'=")
    assert row[header.index("托位数")] == 40
