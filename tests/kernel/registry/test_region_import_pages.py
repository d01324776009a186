"""The county's administrator imports regions and population in the browser: upload, see every
problem by line with nothing written, confirm to write."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories as f
from tuoyu.kernel.accounts.models import Role
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.manifest import Place, menu
from tuoyu.kernel.regions.models import Population, Region

REGIONS = (
    "code,name,parent_code,area_type\n510591002,乙二街道,510591,built_up\n510591002001,新城社区,510591002,\n"
)
POPULATION = "code,year,population,under3\n510591,2025,120000,2900\n510591001,2026,51000,1200\n"


@pytest.fixture
def admin(world):
    return f.UserFactory(username="admin_a", role=Role.ADMIN, region=world.county_a)


def _upload(client, url: str, text: str, name: str = "file.csv"):
    return client.post(reverse(url), {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_regions_preview_writes_nothing_and_the_confirmation_writes_all(world, login, admin):
    client = login(admin)
    preview = _upload(client, "registry:import_regions", REGIONS)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "没有错误" in page and "将新增 2 个，修改 0 个，无变化 0 个" in page
    assert 'data-qa="region-import-confirm"' in page
    assert "老城区和已建成居住区" in page and "built_up" not in page
    assert not Region.objects.filter(code__startswith="510591002").exists()
    done = client.post(
        reverse("registry:import_regions"), {"confirm": "1", "digest": preview.context["digest"]}, follow=True
    )
    assert "导入完成：新增 2 个，修改 0 个，无变化 0 个" in done.content.decode()
    assert Region.objects.get(code="510591002001").parent.code == "510591002"
    events = AuditEvent.objects.filter(model="regions.region", verb="create")
    assert events.count() == 2 and all(e.actor == admin for e in events)


def test_a_file_with_a_bad_row_shows_it_by_line_and_offers_no_confirmation(world, login, admin):
    bad = REGIONS + "510592003,乙三街道,510591,\n"
    response = _upload(login(admin), "registry:import_regions", bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-line="4"' in page and "行政区划代码510592003应以上级区划代码510591开头" in page
    assert "1 处错误，不能导入" in page and 'data-qa="region-import-confirm"' not in page
    assert not Region.objects.filter(code="510591002").exists()


def test_the_same_file_again_needs_no_confirmation(world, login, admin):
    client = login(admin)
    first = _upload(client, "registry:import_regions", REGIONS)
    client.post(reverse("registry:import_regions"), {"confirm": "1", "digest": first.context["digest"]})
    events = AuditEvent.objects.count()
    again = _upload(client, "registry:import_regions", REGIONS).content.decode()
    assert "无需导入" in again and 'data-qa="region-import-confirm"' not in again
    assert AuditEvent.objects.count() == events


def test_a_stale_or_forged_confirmation_writes_nothing(world, login, admin):
    client = login(admin)
    response = client.post(
        reverse("registry:import_regions"), {"confirm": "1", "digest": "0" * 64}, follow=True
    )
    assert "导入文件已失效" in response.content.decode()
    assert not Region.objects.filter(code="510591002").exists()


def test_a_confirmation_rechecks_the_platform(world, login, admin):
    client = login(admin)
    preview = _upload(client, "registry:import_regions", REGIONS)
    # Someone hangs 510591002 under another county between the preview and the confirmation.
    Region(code="510591002", name="乙二街道", parent=world.county_b).save()
    response = client.post(
        reverse("registry:import_regions"), {"confirm": "1", "digest": preview.context["digest"]}
    )
    assert response.status_code == 400 and "不能通过导入调整隶属关系" in response.content.decode()
    assert not Region.objects.filter(code="510591002001").exists()


def test_the_regulator_previews_and_imports_population(world, login):
    client = login(world.user("regulator_a"))
    preview = _upload(client, "registry:import_population", POPULATION)
    page = preview.content.decode()
    assert "将新增 1 条，修改 1 条，无变化 0 条" in page and "常住人口：50000 → 51000" in page
    assert Population.objects.get(region=world.sub_a, year=2026).total == 50_000
    client.post(reverse("registry:import_population"), {"confirm": "1", "digest": preview.context["digest"]})
    assert Population.objects.get(region=world.sub_a, year=2026).total == 51_000
    assert Population.objects.get(region=world.county_a, year=2025).source == "导入：file.csv"


def test_a_region_outside_the_jurisdiction_is_refused_on_the_page(world, login):
    response = _upload(
        login(world.user("regulator_a")), "registry:import_population", POPULATION + "510592001,2026,1,0\n"
    )
    assert response.status_code == 400
    assert "行政区划510592001（乙街道）不在您的辖区内" in response.content.decode()
    assert not Population.objects.filter(year=2025).exists()


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("regulator_a", "registry:import_regions"),
        ("manager_a", "registry:import_regions"),
        ("manager_a", "registry:import_population"),
        ("guardian_a", "registry:import_population"),
        ("police_a", "registry:import_population"),
    ],
)
def test_posts_without_the_act_are_refused_with_a_reason(world, login, persona, page):
    client = login(world.user(persona))
    response = client.get(reverse(page))
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    text = REGIONS if page.endswith("regions") else POPULATION
    assert _upload(client, page, text).status_code == 403
    assert not Region.objects.filter(code="510591002").exists()
    assert not Population.objects.filter(year=2025).exists()


def test_the_pages_are_in_the_menu_of_the_posts_that_hold_the_acts(world, admin):
    def entries(user):
        return [e["qa"] for e in menu(user)[Place.ACCOUNT]]

    assert {"import-regions", "import-population"} <= set(entries(admin))
    regulator = entries(world.user("regulator_a"))
    assert "import-population" in regulator and "import-regions" not in regulator
    assert not {"import-regions", "import-population"} & set(entries(world.user("manager_a")))


def test_the_empty_page_explains_the_columns_in_chinese(world, login, admin):
    page = login(admin).get(reverse("registry:import_regions")).content.decode()
    assert "行政区划代码" in page and "上级区划代码" in page and "区域类型" in page
    assert "parent_code" not in page and "new_residential" not in page
