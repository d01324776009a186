import datetime as dt
import io
import math

import openpyxl
import pytest
from django.urls import reverse

from tuoyu.domains.planning.analysis import planning_for
from tuoyu.kernel.accounts.models import User
from tuoyu.kernel.regions.models import AreaType, PopulationCell, Region

ON = dt.date(2026, 11, 23)


@pytest.fixture
def demo(shared_demo_county, db):
    return User.objects.get(username="regulator")


def test_gaps_follow_the_longmatan_norms_and_targets(demo):
    result = planning_for(demo, on=ON)
    assert result.profile == "sichuan-luzhou-longmatan" and result.target_year == 2025
    for row in result.rows:
        supply = row.supply
        if supply.region.area_type == AreaType.BUILT_UP:
            assert row.norm.per_1000 == 8  # P36, 003 §四(三)
            assert row.norm.places_needed == max(0, math.ceil(8 * supply.population / 1000) - supply.places)
        elif supply.region.area_type == AreaType.NEW_RESIDENTIAL:
            assert row.norm.per_1000 == 10  # P35
        else:
            assert row.norm is None  # the seeds set no norm for rural towns
        assert row.target.per_1000 == 4.7  # P39, 003 附件2 #26
        assert row.target.places_needed == max(0, math.ceil(4.7 * supply.population / 1000) - supply.places)
    assert "泸龙府办发〔2023〕6号" in result.rows[0].target.citation
    labels = {t.label: t for t in result.district_targets}
    assert labels["托位总数"].target == 2320 and labels["普惠托位占比"].target == 50


def test_coverage_counts_children_within_the_circle(demo):
    result = planning_for(demo, on=ON)
    assert result.metres == 15 * 80
    assert 0 < result.under_3_covered < result.under_3_total
    assert result.under_3_total == sum(r.under_3_in_cells for r in result.rows)
    assert result.uncovered_cells and all(c["under_3"] > 0 for c in result.uncovered_cells)
    wider = planning_for(demo, on=ON, minutes=30)
    assert wider.under_3_covered >= result.under_3_covered  # coverage never falls as the circle grows


def test_siting_spends_the_budget_where_children_are_uncovered(demo):
    result = planning_for(demo, on=ON, budget=240, site_places=60)
    assert len(result.siting.sites) == 4 and result.siting.places_used == 240
    assert result.siting.covered_population_after > result.siting.covered_population_before
    assert len(result.candidate_points) == 4


def test_page_and_excel_export(demo, client):
    client.force_login(demo)
    page = client.get(reverse("planning:overview"), {"budget": 120})
    html = page.content.decode()
    assert page.status_code == 200 and "桂香街道" in html and 'data-qa="siting-row"' in html
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("planning:export")).content))
    assert book.sheetnames[:2] == ["各街道托位供给", "区级目标"]
    assert book["各街道托位供给"].max_row == 9  # header + 8 subdistricts


@pytest.mark.parametrize("username", ["manager", "parent", "police"])
def test_planning_is_for_regulators_and_experts(demo, client, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("planning:overview")).status_code == 404


def test_a_cell_beyond_the_circle_is_uncovered(world, login):
    Region.objects.filter(pk=world.sub_a.pk).update(area_type=AreaType.BUILT_UP)
    world.inst_a.lon, world.inst_a.lat = 105.0, 29.0
    world.inst_a.save()
    PopulationCell.objects.create(
        region=world.sub_a, year=2026, lon=105.005, lat=29.0, population=500, under_3=12
    )  # ~490 m
    PopulationCell.objects.create(
        region=world.sub_a, year=2026, lon=105.05, lat=29.0, population=800, under_3=20
    )  # ~4.9 km
    result = planning_for(world.user("regulator_a"), on=ON)
    assert result.under_3_total == 32 and result.under_3_covered == 12
    assert result.uncovered_cells == [{"lon": 105.05, "lat": 29.0, "under_3": 20}]


def test_coordinates_come_in_pairs(world):
    from django.core.exceptions import ValidationError

    world.inst_a.lat, world.inst_a.lon = 29.0, None
    with pytest.raises(ValidationError, match="经度和纬度须同时填写"):
        world.inst_a.full_clean()


def test_gaps_are_computed_in_decimal(world):
    from tuoyu.domains.planning.analysis import _gap

    assert _gap(4.4, 50_000, 0, None).places_needed == 220


# --- P38 (003 §三): each district target by the year that applies on the date ---------------------


@pytest.mark.parametrize(
    ("on", "year", "places", "per_1000", "affordable", "four_star"),
    [(dt.date(2023, 6, 1), 2023, 1525, 3.1, 35, 2), (dt.date(2024, 6, 1), 2024, 2000, 4.04, 40, 3)],
)
def test_district_targets_use_the_year_that_applies_on_the_date(
    demo, on, year, places, per_1000, affordable, four_star
):
    result = planning_for(demo, on=on)
    targets = {t.label: t for t in result.district_targets}
    assert (targets["托位总数"].year, targets["托位总数"].target) == (year, places)
    assert (targets["每千人口托位数"].year, targets["每千人口托位数"].target) == (year, per_1000)
    assert (targets["普惠托位占比"].year, targets["普惠托位占比"].target) == (year, affordable)
    assert (targets["四星级及以上托育机构"].year, targets["四星级及以上托育机构"].target) == (year, four_star)
    # the subdistricts' only target is 4.7 per 1000 by 2025 (003 附件2 #26)
    assert result.target_year == 2025
    assert all(row.target.per_1000 == 4.7 for row in result.rows if row.target)


def test_the_four_star_target_is_shown_as_not_yet_measured(demo, client):
    result = planning_for(demo, on=ON)
    stars = {t.label: t for t in result.district_targets}["四星级及以上托育机构"]
    assert (stars.year, stars.target, stars.actual, stars.met) == (2025, 4, None, None)  # unknown, never 0
    client.force_login(demo)
    html = client.get(reverse("planning:overview")).content.decode()
    row = html[html.index("四星级及以上托育机构") :]
    row = row[: row.index("</tr>")]
    assert 'data-qa="not-measured"' in row and "尚无星级评定结果" in row
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("planning:export")).content))
    sheet = [r for r in book["区级目标"].iter_rows(values_only=True) if r[0] == "四星级及以上托育机构"]
    assert sheet and sheet[0][3] is None and "尚无星级评定结果" in sheet[0][6]


# --- P41: the care circle is the locality's own, or said to be an assumption -------------------------


def test_a_locality_without_a_care_circle_is_told_it_sets_none(demo, client, settings):
    result = planning_for(demo, on=ON)  # Longmatan's documents set no circle
    assert not result.circle_from_policy and result.minutes == 15
    assert "本地政策未规定" in result.circle_source and "默认假设" in result.circle_source
    assert "瓯海" not in result.circle_source and "001" not in result.circle_source
    client.force_login(demo)
    html = client.get(reverse("planning:overview")).content.decode()
    assert "瓯海" not in html and "本地政策未规定托育服务圈范围" in html
    settings.TUOYU_PLANNING_CIRCLE_MINUTES = 10  # the assumption is the platform's, not a document's
    assert planning_for(demo, on=ON).minutes == 10
    planner = planning_for(demo, on=ON, minutes=20)
    assert (planner.minutes, planner.circle_source) == (20, "规划人员设定")


def test_ouhai_s_circle_applies_during_its_pilot_only(world):
    world.county_a.policy_profile = "zhejiang-wenzhou-ouhai"
    world.county_a.save()
    during = planning_for(world.user("regulator_a"), on=dt.date(2023, 6, 1))
    assert (
        during.circle_from_policy
        and during.minutes == 15
        and "瓯海区普惠托育试点方案 一" in during.circle_source
    )
    after = planning_for(world.user("regulator_a"), on=dt.date(2024, 6, 1))  # 001 §三: one year from 2022-10
    assert not after.circle_from_policy and "本地政策未规定" in after.circle_source


# --- P36 (002 §二(三)1): Jiangxi's built-up norm is due by the end of 2025 ---------------------------


def test_a_norm_due_by_a_year_is_a_goal_until_then(world, login):
    from tests import factories as f

    world.county_a.policy_profile = "jiangxi"
    world.county_a.save()
    Region.objects.filter(pk=world.sub_a.pk).update(area_type=AreaType.BUILT_UP)
    f.PopulationFactory(region=world.sub_a, year=2025, total=50_000, under_3=1_200)
    before = planning_for(world.user("regulator_a"), on=dt.date(2025, 6, 1))
    norm = before.rows[0].norm
    assert (norm.per_1000, norm.places_needed, norm.due_year, norm.binding) == (8, 400 - 40, 2025, False)
    after = planning_for(world.user("regulator_a"), on=dt.date(2026, 1, 1)).rows[0].norm
    assert (after.places_needed, after.binding) == (360, True)
    assert [(n.area, n.per_1000, n.due_year) for n in before.norms] == [
        ("新建居住区", 10, None),
        ("老城区和已建成居住区", 8, 2025),
    ]
    html = login(world.user("regulator_a")).get(reverse("planning:overview")).content.decode()
    assert "2025年底前" in html
