from django.urls import reverse


def test_profile_list_names_all_six_profiles_without_login(client, db):
    page = client.get(reverse("policy:list")).content.decode()
    for name in [
        "national",
        "jiangsu-lianyungang",
        "jiangxi",
        "zhejiang-wenzhou-ouhai",
        "sichuan-luzhou-longmatan",
        "gansu",
    ]:
        assert name in page


def test_profile_page_shows_each_parameter_with_its_source_and_confidence(client, db):
    page = client.get(
        reverse("policy:profile", args=["sichuan-luzhou-longmatan"]), {"on": "2024-06-01"}
    ).content.decode()
    assert 'data-key="subsidy.operating.infant_monthly"' in page or "subsidy.operating" in page
    assert "泸龙府办发〔2023〕6号" in page
    assert "继承自全国" in page  # values Longmatan does not set come from the national profile
    assert "依据为转引资料，原文待核" in page  # national values of confidence B say so, in words
    assert (
        "sichuan-luzhou-longmatan" not in page.split("<main")[1].split("href=")[0]
    )  # named by title, not file name


def test_policy_pages_speak_chinese_units_and_values(client, db):
    page = client.get(
        reverse("policy:profile", args=["sichuan-luzhou-longmatan"]), {"on": "2024-06-01"}
    ).content.decode()
    body = page.split("<main")[1]
    assert "元/人/月" in body and "CNY per child per month" not in body
    assert "托小班" in body or "保育人员" in body
    assert "事业单位：机构编制部门" in body  # the registration table of 003 附件2, in words
    assert "发热、皮疹、腹泻、呕吐、黄疸" in body  # the similar symptoms of the outbreak rule
    for code in (
        "caregiver",
        "market_regulation",
        "administrative_approval",
        "public_institution",
        "for_profit",
        "young_toddler",
        "fever",
        "m² per place",
    ):
        assert f">{code}<" not in body and f"{code}、" not in body and f"：{code}" not in body


def test_comparing_two_profiles_lists_only_what_differs(client, db):
    same = client.get(reverse("policy:diff"), {"a": "gansu", "b": "gansu"}).content.decode()
    assert 'data-qa="diff-count">0<' in same
    different = client.get(
        reverse("policy:diff"), {"a": "national", "b": "sichuan-luzhou-longmatan", "on": "2024-06-01"}
    ).content.decode()
    assert 'data-qa="diff-row"' in different and "泸龙府办发〔2023〕6号" in different


def test_an_unknown_profile_is_not_found(client, db):
    assert client.get(reverse("policy:profile", args=["atlantis"])).status_code == 404
