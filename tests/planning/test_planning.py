import datetime as dt
import io
import math

import openpyxl
import pytest
from django.urls import reverse

from tuoyu.accounts.models import User
from tuoyu.devtools.demo_county import build_demo_county
from tuoyu.planning.analysis import planning_for
from tuoyu.regions.models import AreaType, PopulationCell, Region

ON = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    build_demo_county(on=ON)
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
    PopulationCell.objects.create(region=world.sub_a, year=2026, lon=105.005, lat=29.0, population=500, under_3=12)  # ~490 m
    PopulationCell.objects.create(region=world.sub_a, year=2026, lon=105.05, lat=29.0, population=800, under_3=20)  # ~4.9 km
    result = planning_for(world.user("regulator_a"), on=ON)
    assert result.under_3_total == 32 and result.under_3_covered == 12
    assert result.uncovered_cells == [{"lon": 105.05, "lat": 29.0, "under_3": 20}]


def test_coordinates_come_in_pairs(world):
    from django.core.exceptions import ValidationError

    world.inst_a.lat, world.inst_a.lon = 29.0, None
    with pytest.raises(ValidationError, match="经度和纬度须同时填写"):
        world.inst_a.full_clean()


def test_gaps_are_computed_in_decimal(world):
    from tuoyu.planning.analysis import _gap

    assert _gap(4.4, 50_000, 0, None).places_needed == 220
