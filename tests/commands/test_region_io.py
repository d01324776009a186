"""`tuoyu regions import` and `tuoyu population import`: exit 0 with a Chinese summary, or exit 2 with
every problem by line and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tuoyu.cli import main
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.regions.models import Population, Region

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
REGIONS = (
    "code,name,parent_code,area_type\n510591002,乙二街道,510591,built_up\n510591002001,新城社区,510591002,\n"
)
BAD_REGIONS = REGIONS + "510592003,乙三街道,510591,\n510591003,,510591,\n"
POPULATION = "code,year,population,under3\n510591,2025,120000,2900\n510591001,2026,50000,1200\n"


def _file(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_regions_import_prints_a_summary_and_a_second_run_changes_nothing(world, tmp_path, capsys):
    path = _file(tmp_path, "regions.csv", REGIONS, "gbk")
    assert main(["regions", "import", path]) == 0
    assert capsys.readouterr().out.strip() == "区划导入完成：新增 2 个，修改 0 个，无变化 0 个。"
    assert Region.objects.get(code="510591002001").parent.code == "510591002"
    events = AuditEvent.objects.count()
    assert AuditEvent.objects.filter(model="regions.region", actor_name="命令行导入").count() == 2
    assert main(["regions", "import", path]) == 0
    assert capsys.readouterr().out.strip() == "区划导入完成：新增 0 个，修改 0 个，无变化 2 个。"
    assert AuditEvent.objects.count() == events


def test_a_file_with_bad_rows_exits_2_listing_each_by_line_and_writes_nothing(world, tmp_path, capsys):
    assert main(["regions", "import", _file(tmp_path, "regions.csv", BAD_REGIONS)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "第4行：行政区划代码510592003应以上级区划代码510591开头",
        "第5行：名称不能为空",
        "错误：共 2 处错误，未导入任何数据。 / error: 2 problems; nothing imported.",
    ]
    assert not Region.objects.filter(code__startswith="510591002").exists()


def test_the_dry_run_checks_and_writes_nothing(world, tmp_path, capsys):
    assert main(["regions", "import", _file(tmp_path, "r.csv", REGIONS), "--dry-run"]) == 0
    assert "将新增 2 个" in capsys.readouterr().out
    assert not Region.objects.filter(code="510591002").exists()


def test_the_county_option_refuses_rows_of_another_county(world, tmp_path, capsys):
    path = _file(tmp_path, "p.csv", POPULATION + "510592001,2026,40000,900\n")
    assert main(["population", "import", path, "--county", "510591"]) == 2
    assert "第4行：行政区划510592001（乙街道）不在您的辖区内" in capsys.readouterr().err
    assert not Population.objects.filter(year=2025).exists()
    assert main(["population", "import", path, "--county", "519999"]) == 2
    assert "区划 519999 不存在" in capsys.readouterr().err


def test_population_import_prints_a_summary(world, tmp_path, capsys):
    assert main(["population", "import", _file(tmp_path, "p.csv", POPULATION)]) == 0
    assert capsys.readouterr().out.strip() == "人口数据导入完成：新增 1 条，修改 0 条，无变化 1 条。"
    assert Population.objects.get(region=world.county_a, year=2025).source == "导入：p.csv"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["regions", "import", "/no/such/file.csv"], "无法读取区划文件"),
        (["population", "import", "/no/such/file.csv"], "无法读取人口数据文件"),
        (["regions", "export", "x.csv"], "命令参数有误"),
        (["population"], "命令参数有误"),
    ],
)
def test_bad_arguments_exit_2_with_a_chinese_message(world, capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as stopped:  # argparse ends the process itself
        code = stopped.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_the_sample_files_import_cleanly_into_their_county(db, tmp_path, capsys):
    province = Region(code="510000", name="四川省")
    province.save()
    city = Region(code="510500", name="泸州市", parent=province)
    city.save()
    Region(code="510590", name="云溪区（示例）", parent=city).save()
    assert main(["regions", "import", str(SAMPLES / "regions.csv"), "--county", "510590"]) == 0
    assert main(["population", "import", str(SAMPLES / "population.csv"), "--county", "510590"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "区划导入完成：新增 25 个，修改 0 个，无变化 0 个。",
        "人口数据导入完成：新增 9 条，修改 0 条，无变化 0 条。",
    ]
    county = Region.objects.get(code="510590")
    subdistricts = Region.objects.filter(parent=county)
    assert subdistricts.count() == 8
    figures = Population.objects.filter(year=2025)
    county_figure = figures.get(region=county)
    # The county's own figure is the sum of its subdistricts' in the sample.
    assert county_figure.total == sum(p.total for p in figures.filter(region__in=subdistricts))
    assert county_figure.under_3 == sum(p.under_3 for p in figures.filter(region__in=subdistricts))


def test_a_county_starts_from_an_empty_database_with_the_sample_files(tmp_path):
    env = dict(os.environ, TUOYU_DATA=str(tmp_path), TUOYU_ADMIN_PASSWORD="a-long-enough-password")
    env.pop("DATABASE_URL", None)

    def tuoyu(*args):
        return subprocess.run(
            [sys.executable, "-m", "tuoyu", *args], env=env, capture_output=True, text=True, timeout=180
        )

    assert tuoyu("migrate", "-q").returncode == 0
    admin = tuoyu(
        "createadmin", "--username", "admin", "--region", "510590", "--region-name", "云溪区（示例）"
    )
    assert admin.returncode == 0, admin.stderr
    bad = tuoyu("population", "import", str(SAMPLES / "population.csv"))
    assert bad.returncode == 2 and "第3行：行政区划510590001不在平台上：请先导入区划" in bad.stderr
    regions = tuoyu("regions", "import", str(SAMPLES / "regions.csv"))
    assert regions.returncode == 0, regions.stderr
    assert "新增 25 个" in regions.stdout
    population = tuoyu("population", "import", str(SAMPLES / "population.csv"))
    assert population.returncode == 0, population.stderr
    again = tuoyu("regions", "import", str(SAMPLES / "regions.csv"))
    assert again.stdout.strip() == "区划导入完成：新增 0 个，修改 0 个，无变化 25 个。"
