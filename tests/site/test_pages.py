import logging
import re
from pathlib import Path

from django.urls import reverse

from tuoyu.kernel.regions.models import Region


def test_regulator_home_shows_the_jurisdictions_real_figures(world, login):
    page = login(world.user("regulator_a")).get(reverse("home")).content.decode()
    assert "甲区" in page and "甲街道" in page and "乙街道" not in page
    # 40 places for 50,000 residents = 0.80 per 1000; one affordable institution = 100%.
    assert re.search(r'data-qa="total-places">\s*40<', page)
    assert "0.80" in page and "100%" in page


def test_city_regulator_home_sums_both_counties(world, login):
    page = login(world.user("city_regulator")).get(reverse("home")).content.decode()
    assert re.search(r'data-qa="total-places">\s*70<', page)
    assert "甲街道" in page and "乙街道" in page


def test_manager_home_shows_the_institutions_classes_and_masked_staff(world, login):
    page = login(world.user("manager_a")).get(reverse("home")).content.decode()
    assert "甲托育园" in page and "托小1班" in page
    assert world.staff_a.name in page
    assert world.staff_a.id_number not in page and world.staff_a.id_number[:6] + "********" in page


def test_caregiver_home_shows_classes_but_not_the_staff_register(world, login):
    page = login(world.user("caregiver_a")).get(reverse("home")).content.decode()
    assert "托小1班" in page and 'data-qa="staff-table"' not in page


def test_department_officer_sees_institutions_of_its_duty(world, login):
    page = login(world.user("police_a")).get(reverse("home")).content.decode()
    assert "甲托育园" in page and "乙托育园" not in page


def test_synthetic_data_banner_appears_only_with_synthetic_regions(world, client):
    from django.core.cache import cache

    cache.clear()
    assert "示例数据" not in client.get(reverse("registry:public")).content.decode()
    Region.objects.filter(pk=world.sub_a.pk).update(synthetic=True)
    cache.clear()
    assert 'data-qa="synthetic-banner"' in client.get(reverse("registry:public")).content.decode()
    cache.clear()


def test_pages_load_no_asset_from_outside_the_platform(world, login):
    page = login(world.user("regulator_a")).get(reverse("home")).content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "/static/django_htmx/htmx" in page


def test_templates_reference_no_outside_host():
    root = Path(__file__).resolve().parents[2] / "src" / "tuoyu"
    for template in root.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), template


def test_health_check_reports_the_database(db, client):
    assert client.get(reverse("healthz")).json()["status"] == "ok"


def test_identity_and_phone_numbers_are_masked_in_logs(caplog):
    from tuoyu.site.logmask import MaskPersonalNumbers

    logger = logging.getLogger("tuoyu.test")
    logger.addFilter(MaskPersonalNumbers())
    with caplog.at_level(logging.INFO, logger="tuoyu.test"):
        logger.info("staff %s phone %s", "11010519491231002X", "13812345678")
    assert "11010519491231002X" not in caplog.text and "13812345678" not in caplog.text
    assert "110105********002X" in caplog.text
