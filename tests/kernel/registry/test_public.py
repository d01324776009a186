from django.urls import reverse

from tests import factories as f
from tuoyu.kernel.registry.models import Status


def test_public_page_lists_filed_institutions_without_login(world, client):
    f.InstitutionFactory(
        name="未备案托育点", subdistrict=world.sub_a, status=Status.REGISTERED, filing_number=""
    )
    page = client.get(reverse("registry:public")).content.decode()
    assert "甲托育园" in page and "乙托育园" in page
    assert "未备案托育点" not in page


def test_public_api_discloses_no_personal_or_contact_data(world, client):
    data = client.get(reverse("registry:api_public")).json()
    assert data["count"] == 2
    row = data["results"][0]
    assert {"name", "address", "places", "filing_number", "service_types"} <= set(row)
    assert not {"contact_phone", "contact_name", "credit_code"} & set(row)


def test_public_search_filters_by_name(world, client):
    data = client.get(reverse("registry:api_public"), {"q": "甲"}).json()
    assert [row["name"] for row in data["results"]] == ["甲托育园"]


def test_ledger_export_has_a_header_and_the_institutions_in_reach(world, login):
    text = login(world.user("regulator_a")).get(reverse("registry:export")).content.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith("机构名称,统一社会信用代码")
    assert len(rows) == 1 and rows[0].startswith("甲托育园")
