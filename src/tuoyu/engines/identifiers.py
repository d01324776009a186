"""Chinese identifiers: validation with check digits, and masking for display.

- 公民身份号码 (GB 11643-1999): 6-digit division code, 8-digit birth date, 3-digit sequence,
  ISO 7064 MOD 11-2 check character.
- 统一社会信用代码 (GB 32100-2015): registration department, organisation type, 6-digit division
  code, 9-character organisation code, MOD 31 check character.
- 行政区划代码 (GB/T 2260 with the township extension of GB/T 10114): 6 digits down to county,
  9 digits for a subdistrict (街道/乡镇), 12 for a community or village.
- Mainland mobile numbers: 11 digits starting 1[3-9].

Every validator returns the normalised value or raises ``InvalidIdentifier`` whose message is
Chinese and names what is wrong, so it can be shown to the user as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from tuoyu import clock


class InvalidIdentifier(ValueError):
    """An identifier that fails validation; ``str(error)`` is a Chinese message for the user."""


# Province-level prefixes in use (GB/T 2260): mainland provinces, plus Taiwan, Hong Kong, Macao.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

# --- 公民身份号码 -----------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_check_character(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidIdentifier("身份证号前17位必须是数字")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class IdNumber:
    value: str
    division_code: str
    birth_date: dt.date
    sex: str  # "male" | "female": the sequence number is odd for men, even for women

    def age_in_months(self, on: dt.date) -> int:
        return age_in_months(self.birth_date, on)


def age_in_months(birth_date: dt.date, on: dt.date) -> int:
    """Completed months of age on a date."""
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    return months - (1 if on.day < birth_date.day else 0)


def validate_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate an 18-character resident identity number; returns its parts."""
    value = (raw or "").strip().upper()
    if not value:
        raise InvalidIdentifier("身份证号不能为空")
    if len(value) != 18:
        raise InvalidIdentifier(f"身份证号应为18位，当前为{len(value)}位")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdentifier("身份证号只能由数字组成，最后一位可以是X")
    if value[:2] not in PROVINCE_PREFIXES:
        raise InvalidIdentifier(f"身份证号的地区码{value[:6]}不存在")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdentifier(f"身份证号中的出生日期{value[6:14]}不是有效日期") from None
    today = today or clock.today()
    if birth > today or birth.year < 1900:
        raise InvalidIdentifier(f"身份证号中的出生日期{birth.isoformat()}不合理")
    if id_number_check_character(value[:17]) != value[17]:
        raise InvalidIdentifier("身份证号校验位不正确，请核对是否输错")
    return IdNumber(value, value[:6], birth, "male" if int(value[16]) % 2 else "female")


def make_id_number(division_code: str, birth_date: dt.date, sequence: int) -> str:
    """Compose a valid identity number (used for synthetic data; sequence 0-999, odd = male)."""
    if len(division_code) != 6 or not division_code.isdigit():
        raise InvalidIdentifier("地区码应为6位数字")
    if not 0 <= sequence <= 999:
        raise InvalidIdentifier("顺序码应在000到999之间")
    first17 = f"{division_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_character(first17)


# --- 统一社会信用代码 ---------------------------------------------------------------------------------

_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_CREDIT_VALUE = {c: i for i, c in enumerate(_CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class RegistrationDepartment(StrEnum):
    """The first character of a credit code: which department registered the organisation."""

    STAFFING = "1"  # 机构编制 — 事业单位
    FOREIGN_AFFAIRS = "2"
    JUSTICE = "3"
    CULTURE = "4"
    CIVIL_AFFAIRS = "5"  # 民政 — 社会服务机构（民办非企业单位）、社会团体
    TOURISM = "6"
    RELIGION = "7"
    TRADE_UNION = "8"
    MARKET_REGULATION = "9"  # 市场监管（原工商） — 企业、个体工商户
    MILITARY = "A"
    AGRICULTURE = "N"
    OTHER = "Y"


REGISTRATION_DEPARTMENT_LABELS = {
    RegistrationDepartment.STAFFING: "机构编制部门",
    RegistrationDepartment.FOREIGN_AFFAIRS: "外交部门",
    RegistrationDepartment.JUSTICE: "司法行政部门",
    RegistrationDepartment.CULTURE: "文化部门",
    RegistrationDepartment.CIVIL_AFFAIRS: "民政部门",
    RegistrationDepartment.TOURISM: "旅游部门",
    RegistrationDepartment.RELIGION: "宗教事务部门",
    RegistrationDepartment.TRADE_UNION: "工会",
    RegistrationDepartment.MARKET_REGULATION: "市场监管部门",
    RegistrationDepartment.MILITARY: "中央军委改革和编制办公室",
    RegistrationDepartment.AGRICULTURE: "农业部门",
    RegistrationDepartment.OTHER: "其他部门",
}


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    if len(first17) != 17 or any(c not in _CREDIT_VALUE for c in first17):
        raise InvalidIdentifier("统一社会信用代码前17位含有不允许的字符")
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class CreditCode:
    value: str
    department: RegistrationDepartment
    organisation_type: str
    division_code: str


def validate_credit_code(raw: str) -> CreditCode:
    """Validate an 18-character unified social credit code; returns its parts."""
    value = (raw or "").strip().upper()
    if not value:
        raise InvalidIdentifier("统一社会信用代码不能为空")
    if len(value) != 18:
        raise InvalidIdentifier(f"统一社会信用代码应为18位，当前为{len(value)}位")
    bad = sorted({c for c in value if c not in _CREDIT_VALUE})
    if bad:
        raise InvalidIdentifier(f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用I、O、S、V、Z）")
    try:
        department = RegistrationDepartment(value[0])
    except ValueError:
        raise InvalidIdentifier(f"统一社会信用代码第1位“{value[0]}”不是有效的登记管理部门代码") from None
    if not value[2:8].isdigit() or value[2:4] not in PROVINCE_PREFIXES:
        raise InvalidIdentifier(f"统一社会信用代码第3至8位“{value[2:8]}”不是有效的行政区划代码")
    if credit_code_check_character(value[:17]) != value[17]:
        raise InvalidIdentifier("统一社会信用代码校验位不正确，请核对是否输错")
    return CreditCode(value, department, value[1], value[2:8])


def make_credit_code(department: str, organisation_type: str, division_code: str, organisation: str) -> str:
    """Compose a valid credit code (used for synthetic data); ``organisation`` is 9 characters."""
    first17 = f"{department}{organisation_type}{division_code}{organisation}"
    return first17 + credit_code_check_character(first17)


# --- 行政区划代码 ---------------------------------------------------------------------------------


class DivisionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    SUBDISTRICT = "subdistrict"
    COMMUNITY = "community"


DIVISION_LEVEL_LABELS = {
    DivisionLevel.PROVINCE: "省级",
    DivisionLevel.CITY: "市级",
    DivisionLevel.COUNTY: "县级",
    DivisionLevel.SUBDISTRICT: "乡级（街道、镇）",
    DivisionLevel.COMMUNITY: "村级（社区、村）",
}


def division_level(code: str) -> DivisionLevel:
    """The level a valid division code denotes."""
    if len(code) == 12:
        return DivisionLevel.COMMUNITY
    if len(code) == 9:
        return DivisionLevel.SUBDISTRICT
    if code.endswith("0000"):
        return DivisionLevel.PROVINCE
    if code.endswith("00"):
        return DivisionLevel.CITY
    return DivisionLevel.COUNTY


def validate_division_code(raw: str, *, level: DivisionLevel | None = None) -> str:
    """Validate a 6-, 9- or 12-digit administrative division code, optionally of a given level."""
    value = (raw or "").strip()
    if not value:
        raise InvalidIdentifier("行政区划代码不能为空")
    if not value.isdigit() or len(value) not in (6, 9, 12):
        raise InvalidIdentifier("行政区划代码应为6位（县级及以上）、9位（街道、乡镇）或12位（社区、村）数字")
    if value[:2] not in PROVINCE_PREFIXES:
        raise InvalidIdentifier(f"行政区划代码的省级代码{value[:2]}不存在")
    if len(value) >= 6 and value[2:4] == "00" and value[4:6] != "00":
        raise InvalidIdentifier(f"行政区划代码{value}的地市位为00，但县级位不为00")
    if len(value) > 6 and (value[6:9] == "000" or value.endswith("000")):
        raise InvalidIdentifier(f"行政区划代码{value}的街道或社区顺序码不能为000")
    if level is not None and division_level(value) != level:
        raise InvalidIdentifier(
            f"行政区划代码{value}是{DIVISION_LEVEL_LABELS[division_level(value)]}代码，这里需要{DIVISION_LEVEL_LABELS[level]}代码"
        )
    return value


def division_parent(code: str) -> str | None:
    """The code of the division directly above, or None for a province."""
    match division_level(code):
        case DivisionLevel.PROVINCE:
            return None
        case DivisionLevel.CITY:
            return code[:2] + "0000"
        case DivisionLevel.COUNTY:
            return code[:4] + "00"
        case DivisionLevel.SUBDISTRICT:
            return code[:6]
        case _:
            return code[:9]


# --- 手机号码 -------------------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")


def validate_mobile(raw: str) -> str:
    """Validate a mainland mobile number; accepts +86, spaces and dashes, returns 11 digits."""
    value = re.sub(r"[\s\-]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not value:
        raise InvalidIdentifier("手机号码不能为空")
    if not _MOBILE.fullmatch(value):
        raise InvalidIdentifier("手机号码应为以1开头的11位数字")
    return value


# --- masking --------------------------------------------------------------------------------------


def mask_id_number(value: str | None) -> str:
    """Keep the division code and the last 4 characters; hide the birth date and sequence."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """Show the first 3 and the last 4 digits, as Chinese services print them: 138****5678."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """Keep the surname character and, for names of 3+ characters, the last one: 张*明, 李*."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


# Patterns used to scrub free text (log lines) of numbers that must never appear in clear.
ID_NUMBER_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
MOBILE_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def scrub_personal_numbers(text: str) -> str:
    """Mask every identity and mobile number found in free text."""
    text = ID_NUMBER_PATTERN.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:], text)
    return MOBILE_PATTERN.sub(lambda m: m.group(1) + "****" + m.group(3), text)
