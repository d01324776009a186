import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuoyu.engines.identifiers import (
    DivisionLevel,
    InvalidIdentifier,
    RegistrationDepartment,
    division_level,
    division_parent,
    make_credit_code,
    make_id_number,
    mask_id_number,
    mask_mobile,
    mask_name,
    scrub_personal_numbers,
    validate_credit_code,
    validate_division_code,
    validate_id_number,
    validate_mobile,
)

# The worked example of GB 11643-1999 and a published example credit code.
STANDARD_ID = "11010519491231002X"
STANDARD_CREDIT_CODE = "91350100M000100Y43"


def test_standard_identity_number_is_valid_and_parsed():
    parsed = validate_id_number(STANDARD_ID)
    assert parsed.division_code == "110105"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "female"


def test_lowercase_x_check_character_is_accepted_and_normalised():
    assert validate_id_number(STANDARD_ID.lower()).value == STANDARD_ID


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "不能为空"),
        ("1101051949123100", "应为18位"),
        ("11010519491231002Y", "只能由数字组成"),
        ("110105194912310021", "校验位不正确"),
        ("990105194912310028", "地区码"),
        ("110105194902300020", "不是有效日期"),
    ],
)
def test_bad_identity_numbers_are_refused_with_a_chinese_reason(raw, message):
    with pytest.raises(InvalidIdentifier, match=message):
        validate_id_number(raw)


def test_identity_number_born_in_the_future_is_refused():
    future = make_id_number("110105", dt.date(2030, 1, 1), 1)
    with pytest.raises(InvalidIdentifier, match="不合理"):
        validate_id_number(future, today=dt.date(2026, 1, 1))


@given(
    st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2025, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_every_composed_identity_number_validates(birth, sequence):
    number = make_id_number("510504", birth, sequence)
    parsed = validate_id_number(number, today=dt.date(2026, 1, 1))
    assert parsed.birth_date == birth
    assert parsed.sex == ("male" if sequence % 2 else "female")


@given(st.integers(min_value=0, max_value=16), st.sampled_from("0123456789"))
def test_changing_any_one_digit_breaks_the_check(position, digit):
    if STANDARD_ID[position] == digit:
        return
    broken = STANDARD_ID[:position] + digit + STANDARD_ID[position + 1 :]
    with pytest.raises(InvalidIdentifier):
        validate_id_number(broken)


def test_standard_credit_code_is_valid_and_names_its_department():
    parsed = validate_credit_code(STANDARD_CREDIT_CODE)
    assert parsed.department is RegistrationDepartment.MARKET_REGULATION
    assert parsed.division_code == "350100"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100YO3", "不允许的字符"),
        ("B1350100M000100Y43", "登记管理部门"),
        ("91990100M000100Y43", "行政区划代码"),
        ("91350100M000100Y44", "校验位不正确"),
    ],
)
def test_bad_credit_codes_are_refused_with_a_chinese_reason(raw, message):
    with pytest.raises(InvalidIdentifier, match=message):
        validate_credit_code(raw)


def test_composed_credit_codes_validate():
    code = make_credit_code("5", "2", "510504", "MJ0000001")
    assert validate_credit_code(code).department is RegistrationDepartment.CIVIL_AFFAIRS


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("510000", DivisionLevel.PROVINCE, None),
        ("510500", DivisionLevel.CITY, "510000"),
        ("510504", DivisionLevel.COUNTY, "510500"),
        ("510504001", DivisionLevel.SUBDISTRICT, "510504"),
        ("510504001002", DivisionLevel.COMMUNITY, "510504001"),
    ],
)
def test_division_codes_know_their_level_and_parent(code, level, parent):
    assert validate_division_code(code) == code
    assert division_level(code) is level
    assert division_parent(code) == parent


@pytest.mark.parametrize("code", ["5105", "51050400", "990000", "510504000", "51050A"])
def test_malformed_division_codes_are_refused(code):
    with pytest.raises(InvalidIdentifier):
        validate_division_code(code)


def test_division_code_of_the_wrong_level_is_refused():
    with pytest.raises(InvalidIdentifier, match="需要乡级"):
        validate_division_code("510504", level=DivisionLevel.SUBDISTRICT)


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "138-1234-5678", "008613812345678"])
def test_mobile_numbers_are_normalised(raw):
    assert validate_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "23812345678", ""])
def test_bad_mobile_numbers_are_refused(raw):
    with pytest.raises(InvalidIdentifier):
        validate_mobile(raw)


def test_masks_hide_birth_date_and_middle_digits():
    assert mask_id_number(STANDARD_ID) == "110105********002X"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_id_number("") == ""


def test_scrubbing_masks_numbers_inside_free_text_and_leaves_dates_alone():
    text = f"登记 {STANDARD_ID}，电话13812345678，日期20260101，编号123456"
    scrubbed = scrub_personal_numbers(text)
    assert STANDARD_ID not in scrubbed
    assert "13812345678" not in scrubbed
    assert "110105********002X" in scrubbed and "138****5678" in scrubbed
    assert "20260101" in scrubbed and "123456" in scrubbed
