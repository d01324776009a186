"""Profiles: loading, inheritance, dated lookups with provenance, division codes, and refusal of broken files."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tuoyu.engines.policy import (
    PolicyInputError,
    ProfileError,
    ProfileSet,
    UnknownProfile,
    diff,
    list_profiles,
    load_profile,
    profile_for_division,
)
from tuoyu.engines.policy.catalogue import CATALOGUE, REQUIRED_KEYS, UNIT_LABELS, unit_label
from tuoyu.engines.policy.profiles import PROFILES_DIR

SHIPPED = [
    "national",
    "gansu",
    "jiangxi",
    "jiangsu-lianyungang",
    "sichuan-luzhou-longmatan",
    "zhejiang-wenzhou-ouhai",
]


def test_the_six_profiles_load_national_first():
    assert [p.name for p in list_profiles()] == SHIPPED


def test_every_local_profile_extends_national_and_names_its_division():
    expected = {
        "gansu": ("province", "620000", "甘肃省"),
        "jiangxi": ("province", "360000", "江西省"),
        "jiangsu-lianyungang": ("city", "320700", "连云港市"),
        "sichuan-luzhou-longmatan": ("district", "510504", "龙马潭区"),
        "zhejiang-wenzhou-ouhai": ("district", "330304", "瓯海区"),
    }
    for name, (level, code, title) in expected.items():
        profile = load_profile(name)
        assert profile.parent is load_profile("national")
        assert profile.level == level
        assert profile.division().code == code
        assert profile.division().name == title
    longmatan = load_profile("sichuan-luzhou-longmatan")
    assert longmatan.region["province"].code == "510000"
    assert longmatan.region["city"].code == "510500"
    ouhai = load_profile("zhejiang-wenzhou-ouhai")
    assert (ouhai.region["province"].code, ouhai.region["city"].code) == ("330000", "330300")
    assert load_profile("jiangsu-lianyungang").region["province"].code == "320000"


def test_unknown_profile_is_bad_input_naming_the_known_ones():
    with pytest.raises(UnknownProfile) as error:
        load_profile("mars")
    assert "national" in error.value.en and isinstance(error.value, PolicyInputError)


@pytest.mark.parametrize(
    ("code", "profile"),
    [
        ("510504", "sichuan-luzhou-longmatan"),
        ("510504001", "sichuan-luzhou-longmatan"),  # a subdistrict of Longmatan
        ("510504001002", "sichuan-luzhou-longmatan"),
        ("510590", "sichuan-luzhou-longmatan"),  # the demo county, by alias
        ("510590003", "sichuan-luzhou-longmatan"),
        ("510502", "national"),  # another district of Luzhou: no document of its own
        ("510500", "national"),
        ("510000", "national"),
        ("360000", "jiangxi"),
        ("360121", "jiangxi"),
        ("620000", "gansu"),
        ("620102", "gansu"),
        ("320700", "jiangsu-lianyungang"),
        ("320703", "jiangsu-lianyungang"),
        ("320000", "national"),
        ("330304", "zhejiang-wenzhou-ouhai"),
        ("330300", "national"),
        ("330000", "national"),
        ("110101", "national"),
    ],
)
def test_profile_for_division_picks_the_most_specific_profile(code, profile):
    assert profile_for_division(code).name == profile


def test_the_platform_can_map_further_codes_onto_a_profile():
    assert (
        profile_for_division("510502", overrides={"510500": "sichuan-luzhou-longmatan"}).name
        == "sichuan-luzhou-longmatan"
    )
    # at the same code an override wins over a profile's own claim
    assert profile_for_division("510504", overrides={"510504": "national"}).name == "national"
    # but a profile's claim on a more specific code still beats an override above it
    assert profile_for_division("510504", overrides={"510000": "national"}).name == "sichuan-luzhou-longmatan"


def test_profile_for_division_refuses_a_malformed_code():
    with pytest.raises(PolicyInputError):
        profile_for_division("51050")
    with pytest.raises(UnknownProfile):
        profile_for_division("510502", overrides={"510502": "nope"})


def test_a_lookup_returns_value_and_provenance():
    param = load_profile("sichuan-luzhou-longmatan").lookup("class.max_size.infant", dt.date(2024, 1, 1))
    assert param.value == 10
    assert param.unit == "children"
    s = param.source
    assert (s.profile, s.document, s.clause, s.provision, s.confidence) == (
        "sichuan-luzhou-longmatan",
        "泸龙府办发〔2023〕6号",
        "四(一)",
        "P07",
        "A",
    )
    assert s.effective == dt.date(2023, 2, 23)


def test_a_local_value_applies_from_its_date_and_the_national_one_before():
    longmatan = load_profile("sichuan-luzhou-longmatan")
    before = longmatan.lookup("premises.indoor_area_per_place_min", dt.date(2023, 2, 22))
    after = longmatan.lookup("premises.indoor_area_per_place_min", dt.date(2023, 2, 23))
    assert (before.value, before.source.provision, before.source.confidence) == (Decimal(3), "N08", "draft")
    assert (after.value, after.source.provision) == (Decimal(5), "P02")


def test_the_tax_deduction_changes_by_date_and_local_restatements_are_kept_beside_it():
    longmatan = load_profile("sichuan-luzhou-longmatan")
    assert longmatan.lookup("tax.child_deduction_monthly", dt.date(2021, 12, 31)) is None
    assert longmatan.lookup("tax.child_deduction_monthly", dt.date(2022, 1, 1)).value == 1000
    current = longmatan.lookup("tax.child_deduction_monthly", dt.date(2023, 6, 1))
    assert current.value == 2000 and current.source.provision == "N30"
    assert [(v, s.provision) for v, s in current.restated] == [(1000, "P55")]


def test_the_targets_of_longmatan_are_yearly_parameters():
    from tuoyu.engines.policy import targets
    from tuoyu.engines.policy.targets import planning_norm, target_for_year

    found = targets("sichuan-luzhou-longmatan", "2024-01-01")
    assert found["target.places_total"].value == {2023: 1525, 2024: 2000, 2025: 2320}
    assert found["target.affordable_share"].value[2025] == Decimal("0.5")
    assert target_for_year(
        "sichuan-luzhou-longmatan", "target.places_per_1000", 2024, "2024-01-01"
    ).value == Decimal("4.04")
    # the national 2025 target (N31) is what a profile without its own inherits
    assert (
        target_for_year("jiangxi", "target.places_per_1000", 2025, "2024-01-01").param.source.provision
        == "N31"
    )
    assert (
        target_for_year("gansu", "target.places_per_1000", 2025, "2024-01-01").param.source.provision == "P37"
    )
    assert (
        planning_norm("jiangxi", "built_up", "2024-01-01").value == 8
    )  # to be met "2025年前" (see cases/targets.yaml)
    assert planning_norm("jiangxi", "rural", "2024-01-01") is None


def test_every_catalogue_unit_has_a_chinese_label():
    for key in CATALOGUE.values():
        label = unit_label(key.unit)
        assert label and label != key.unit, key.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label), (key.unit, label)
    assert unit_label("CNY per child per month") == "元/人/月"
    assert unit_label("m² per place") == "平方米/托位"
    assert unit_label("working days") == "个工作日"
    assert set(UNIT_LABELS) == {key.unit for key in CATALOGUE.values()}, "labels for units no key uses"


def test_an_unknown_unit_has_no_label():
    with pytest.raises(KeyError, match="UNIT_LABELS"):
        unit_label("furlongs per fortnight")


def test_a_yearly_target_applies_by_its_own_years():
    from tuoyu.engines.policy.targets import target_year

    assert target_year([2023, 2024, 2025], dt.date(2024, 6, 1)) == 2024
    assert target_year([2025], dt.date(2023, 6, 1)) == 2025  # the next deadline ahead
    assert target_year([2023, 2025], dt.date(2024, 6, 1)) == 2025
    assert target_year([2023, 2024, 2025], dt.date(2026, 1, 1)) == 2025  # passed: the last one set
    assert target_year([], dt.date(2024, 6, 1)) is None


def test_a_legal_form_may_key_the_registration_table_but_nothing_else():
    from tuoyu.engines.policy.catalogue import BadValue, validate_value

    key = CATALOGUE["registration.authority_by_nature"]
    assert validate_value(
        key, {"enterprise": ["administrative_approval"], "for_profit": ["market_regulation"]}
    ) == {
        "enterprise": ("administrative_approval",),
        "for_profit": ("market_regulation",),
    }
    with pytest.raises(BadValue):
        validate_value(key, {"company": ["administrative_approval"]})
    with pytest.raises(BadValue):
        validate_value(key, {"enterprise": ["approval_bureau"]})


def test_diff_lists_what_differs_with_both_sources():
    rows = {
        r["key"]: r
        for r in diff(load_profile("national"), load_profile("sichuan-luzhou-longmatan"), dt.date(2024, 1, 1))
    }
    indoor = rows["premises.indoor_area_per_place_min"]
    assert indoor["a"]["value"] == 3 and indoor["b"]["value"] == 5
    assert rows["subsidy.operating.monthly.infant"]["a"] is None
    assert "class.max_size.infant" not in rows  # same value (10) in both, though from different documents


def test_every_required_key_resolves_in_every_profile_from_2019():
    for profile in list_profiles():
        for key in REQUIRED_KEYS:
            assert profile.lookup(key, dt.date(2019, 1, 1)) is not None, (profile.name, key)


def test_every_value_cites_a_declared_document_with_a_provision():
    for profile in list_profiles():
        for param in profile.effective(dt.date(2025, 6, 1)):
            assert profile.document(param.source.document) is not None
            assert param.source.provision[0] in "PN"
            assert param.unit == CATALOGUE[param.key].unit


# --- broken profiles are refused, naming file, key and problem ----------------------------------------


@pytest.fixture
def profiles_dir(tmp_path: Path) -> Path:
    for path in PROFILES_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {name}.yaml: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(directory: Path) -> list[str]:
    with pytest.raises(ProfileError) as error:
        ProfileSet(directory)
    return [str(p) for p in error.value.problems]


def _refused(directory: Path, file: str, key: str, fragment: str) -> None:
    problems = _problems(directory)
    wanted = [p for p in problems if p.startswith(f"{file}: {key}") and fragment in p]
    assert wanted, f"expected {file}: {key} … {fragment!r}; got {problems}"


def test_the_copied_profiles_are_valid(profiles_dir):
    assert len(ProfileSet(profiles_dir).profiles) == 6


def test_a_missing_unit_is_refused(profiles_dir):
    _edit(profiles_dir, "gansu", "  demo_city.cycle_years:\n    unit: years\n", "  demo_city.cycle_years:\n")
    _refused(profiles_dir, "gansu.yaml", "parameters.demo_city.cycle_years.unit", "unit is missing")


def test_a_wrong_unit_is_refused(profiles_dir):
    _edit(
        profiles_dir,
        "sichuan-luzhou-longmatan",
        "  scale.max_places:\n    unit: places",
        "  scale.max_places:\n    unit: children",
    )
    _refused(
        profiles_dir,
        "sichuan-luzhou-longmatan.yaml",
        "parameters.scale.max_places.unit",
        "unit must be 'places'",
    )


def test_a_value_without_source_is_refused(profiles_dir):
    _edit(
        profiles_dir,
        "jiangxi",
        "2020-02-21: {value: 10, source: {doc: 江西省婴幼儿照护服务实施意见, clause: 二(三)1, provision: P35}}",
        "2020-02-21: {value: 10}",
    )
    _refused(
        profiles_dir,
        "jiangxi.yaml",
        "parameters.planning.places_per_1000.new_residential.values.2020-02-21.source",
        "source",
    )


def test_a_source_citing_an_undeclared_document_is_refused(profiles_dir):
    _edit(
        profiles_dir,
        "gansu",
        "{doc: 甘肃省示范城市创建实施方案, clause: 二, provision: P63}}",
        "{doc: 甘政办发, clause: 二, provision: P63}}",
    )
    _refused(
        profiles_dir,
        "gansu.yaml",
        "parameters.demo_city.cycle_years.values.2021-01-01.source.doc",
        "not declared",
    )


def test_a_malformed_provision_is_refused(profiles_dir):
    _edit(profiles_dir, "gansu", "clause: 四, provision: P64}", "clause: 四, provision: 64}")
    _refused(
        profiles_dir,
        "gansu.yaml",
        "parameters.demo_city.self_score_min.values.2021-01-01.source.provision",
        "provision must be",
    )


def test_overlapping_dates_are_refused(profiles_dir):
    _edit(
        profiles_dir,
        "national",
        "      2022-01-01: {value: 1000, source: {doc: 国务院2022年3月通知, clause: 条款未注明, provision: N30}, retroactive: true,",
        "      2022-01-01: {value: 1000, until: 2023-06-01, source: {doc: 国务院2022年3月通知, clause: 条款未注明, provision: N30}, retroactive: true,",
    )
    _refused(
        profiles_dir, "national.yaml", "parameters.tax.child_deduction_monthly.values.2023-01-01", "overlaps"
    )


def test_a_duplicated_date_is_refused_with_its_line(profiles_dir):
    _edit(
        profiles_dir,
        "gansu",
        "      2021-01-01: {value: 80,",
        "      2021-01-01: {value: 70, source: {doc: 甘肃省示范城市创建实施方案, clause: 四, provision: P64}}\n      2021-01-01: {value: 80,",
    )
    _refused(profiles_dir, "gansu.yaml", "line", "duplicate key")


def test_a_misspelt_key_is_refused(profiles_dir):
    _edit(profiles_dir, "gansu", "  demo_city.cycle_years:", "  demo_city.cycle_year:")
    _refused(profiles_dir, "gansu.yaml", "parameters.demo_city.cycle_year", "unknown parameter key")


def test_a_value_of_the_wrong_kind_is_refused(profiles_dir):
    _edit(profiles_dir, "sichuan-luzhou-longmatan", "{value: 150, source:", "{value: 一百五十, source:")
    _refused(
        profiles_dir,
        "sichuan-luzhou-longmatan.yaml",
        "parameters.scale.max_places.values.2023-02-23.value",
        "non-negative integer",
    )


def test_a_national_profile_lacking_a_required_key_is_refused(profiles_dir):
    text = (profiles_dir / "national.yaml").read_text(encoding="utf-8")
    start = text.index("  scale.max_places:")
    end = text.index("  premises.max_child_room_floor:")
    (profiles_dir / "national.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    _refused(profiles_dir, "national.yaml", "parameters.scale.max_places", "required key is missing")


def test_a_local_profile_may_not_override_a_national_tax(profiles_dir):
    _edit(profiles_dir, "sichuan-luzhou-longmatan", "\nrestates:\n", "\n")
    _refused(
        profiles_dir,
        "sichuan-luzhou-longmatan.yaml",
        "parameters.tax.child_deduction_monthly",
        "may only restate",
    )


def test_a_missing_parent_is_refused(profiles_dir):
    _edit(profiles_dir, "jiangxi", "extends: national", "extends: china")
    _refused(profiles_dir, "jiangxi.yaml", "extends", "'china' does not exist")


def test_a_district_outside_its_city_is_refused(profiles_dir):
    _edit(profiles_dir, "zhejiang-wenzhou-ouhai", 'district: {code: "330304"', 'district: {code: "330104"')
    _refused(profiles_dir, "zhejiang-wenzhou-ouhai.yaml", "region.district.code", "does not lie within")


def test_two_profiles_claiming_one_division_are_refused(profiles_dir):
    _edit(
        profiles_dir,
        "zhejiang-wenzhou-ouhai",
        'applies_to: ["330304"]',
        'applies_to: ["330304"]\naliases:\n  - {code: "510590", name: x, reason: y}',
    )
    problems = _problems(profiles_dir)
    assert any("510590" in p and "already claimed" in p for p in problems), problems


def test_a_value_dated_before_its_document_is_refused_unless_retroactive(profiles_dir):
    _edit(profiles_dir, "jiangxi", "      2020-02-21: {value: 10,", "      2020-02-20: {value: 10,")
    _refused(
        profiles_dir,
        "jiangxi.yaml",
        "parameters.planning.places_per_1000.new_residential.values.2020-02-20",
        "retroactive",
    )


def test_a_bad_confidence_is_refused(profiles_dir):
    _edit(profiles_dir, "national", "provision: N03}, confidence: B}", "provision: N03}, confidence: C}")
    _refused(
        profiles_dir,
        "national.yaml",
        "parameters.premises.min_lease_years.values.2019-01-01.confidence",
        "A, B or draft",
    )


def test_a_profile_named_unlike_its_file_is_refused(profiles_dir):
    _edit(profiles_dir, "gansu", "name: gansu", "name: gansu-province")
    _refused(profiles_dir, "gansu.yaml", "name", "must equal the file name")


def test_invalid_yaml_is_refused_with_its_line(profiles_dir):
    (profiles_dir / "gansu.yaml").write_text("name: gansu\nparameters: [\n", encoding="utf-8")
    _refused(profiles_dir, "gansu.yaml", "line", "invalid YAML")


def test_the_error_message_names_file_key_and_problem_in_both_languages(profiles_dir):
    _edit(profiles_dir, "gansu", "  demo_city.cycle_years:", "  demo_city.cycle_year:")
    with pytest.raises(ProfileError) as error:
        ProfileSet(profiles_dir)
    assert "gansu.yaml" in error.value.zh and "parameters.demo_city.cycle_year" in error.value.zh
    assert "gansu.yaml" in error.value.en and "unknown parameter key" in error.value.en


def test_null_ends_a_local_value_and_the_parent_applies_again(profiles_dir):
    _edit(
        profiles_dir,
        "sichuan-luzhou-longmatan",
        "      2023-02-23: {value: 150, source: {doc: 泸龙府办发〔2023〕6号, clause: 四(一), provision: P05}}",
        "      2023-02-23: {value: 120, source: {doc: 泸龙府办发〔2023〕6号, clause: 四(一), provision: P05}}\n      2024-01-01: null",
    )
    profile = ProfileSet(profiles_dir).get("sichuan-luzhou-longmatan")
    assert profile.lookup("scale.max_places", dt.date(2023, 6, 1)).value == 120
    after = profile.lookup("scale.max_places", dt.date(2024, 1, 1))
    assert (after.value, after.source.provision) == (150, "N07")
