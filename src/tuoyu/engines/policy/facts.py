"""Facts about one institution, as the standards check and the subsidy calculation read them.

``load_facts`` turns parsed JSON (docs/facts.md, docs/facts.schema.json) into these dataclasses and
raises ``PolicyInputError`` naming the field for anything of the wrong type. A field that is absent
or null is *unknown*: rules that need it report ``unknown``, never a pass.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tuoyu.engines.policy.dates import parse_date
from tuoyu.engines.policy.errors import PolicyInputError
from tuoyu.engines.policy.vocabulary import (
    CERTIFICATES,
    CLASS_TYPES,
    EDUCATION,
    LEGAL_FORMS,
    NATURES,
    OPERATORS,
    REGISTRATION_AUTHORITIES,
    ROLES,
    SERVICE_TYPES,
    TENURES,
    certificate_code,
)


@dataclass(frozen=True, slots=True)
class Premises:
    tenure: str | None = None  # owned | leased
    lease_start: dt.date | None = None
    lease_end: dt.date | None = None  # the lease's last day (inclusive), as Chinese leases state it
    indoor_area_m2: Decimal | None = None  # usable indoor area
    outdoor_area_m2: Decimal | None = None
    building_area_m2: Decimal | None = None
    floor_of_child_rooms: int | None = None  # highest floor with rooms children use (ground floor = 1)
    child_rooms_below_ground: bool | None = None
    window_area_ratio: Decimal | None = None  # smallest window-to-floor area ratio among child rooms


@dataclass(frozen=True, slots=True)
class CareClass:
    type: str  # infant | young_toddler | older_toddler | mixed
    children: int | None = None
    caregivers: int | None = None
    youngest_months: int | None = None
    oldest_months: int | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class StaffMember:
    role: str
    name: str | None = None
    education: str | None = None
    relevant_background: bool | None = None
    management_years: Decimal | None = None
    training_passed: bool | None = None
    training_hours: int | None = None
    certificates: tuple[str, ...] | None = None  # codes; None = not reported
    health_exam_date: dt.date | None = None
    professional_title: str | None = None  # "" = has none
    licensed_company: bool | None = None
    full_time: bool | None = None
    criminal_record_checked_on: dt.date | None = None
    criminal_record_clear: bool | None = None
    hired_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Video:
    covers_child_areas: bool | None = None
    armed_24h: bool | None = None
    retention_days: int | None = None
    parent_live_view: bool | None = None
    one_button_alarm: bool | None = None
    # Cameras with no normal status for the day before (a registry of cameras reports it; a
    # self-declared ledger does not, and then the interruption check does not apply).
    silent_cameras: int | None = None


@dataclass(frozen=True, slots=True)
class Health:
    daily_checks: bool | None = None
    disinfection: bool | None = None
    sick_child_isolation: bool | None = None


@dataclass(frozen=True, slots=True)
class Safety:
    authorised_pickup: bool | None = None
    emergency_plan: bool | None = None
    regular_drills: bool | None = None
    fire_safety_manager: bool | None = None
    monthly_fire_checks: bool | None = None
    liability_insurance: bool | None = None


@dataclass(frozen=True, slots=True)
class Disclosure:
    fees: bool | None = None
    care: bool | None = None
    meals: bool | None = None
    health_safety: bool | None = None
    meal_accounts_monthly: bool | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A construction project (new or expanded places) claiming a construction subsidy."""

    new_places: int | None = None
    classes: int | None = None
    cost: Decimal | None = None  # CNY
    provincial_place_subsidy: bool | None = None
    central_funding: bool | None = None


@dataclass(frozen=True, slots=True)
class GrowthStation:
    name: str | None = None
    accepted: bool | None = None  # passed the on-site acceptance
    cost: Decimal | None = None  # CNY


@dataclass(frozen=True, slots=True)
class Household:
    """A taxpayer's family, for the income-tax deduction per child under three."""

    children_under_3: int | None = None
    share_percent: int | None = None  # 100 (one parent) or 50 (each parent)


@dataclass(frozen=True, slots=True)
class Facts:
    name: str | None = None
    nature: str | None = None
    legal_form: str | None = (
        None  # public_institution | social_service_org | enterprise | individual_business
    )
    operator: str | None = None
    affordable: bool | None = None
    service_centre: bool = False
    home_childcare_point: bool = False
    premises: Premises = field(default_factory=Premises)
    places: int | None = None
    enrolled: int | None = None
    service_types: tuple[str, ...] | None = None
    outdoor_minutes_per_day: int | None = None
    classes: tuple[CareClass, ...] | None = None
    staff: tuple[StaffMember, ...] | None = None
    video: Video = field(default_factory=Video)
    prepaid_fee_months: int | None = None
    business_scope: str | None = None
    registered_with: str | None = None
    parents_committee: bool | None = None
    health: Health = field(default_factory=Health)
    safety: Safety = field(default_factory=Safety)
    disclosure: Disclosure = field(default_factory=Disclosure)
    project: Project | None = None
    growth_stations: tuple[GrowthStation, ...] | None = None
    household: Household | None = None

    def children_total(self) -> int | None:
        """Children enrolled: ``enrolled`` if given, else the sum over classes when every class is known."""
        if self.enrolled is not None:
            return self.enrolled
        if self.classes is None or any(c.children is None for c in self.classes):
            return None
        return sum(c.children for c in self.classes)  # type: ignore[misc]

    def caregivers_total(self) -> int | None:
        """Caregivers: the sum over classes when every class is known, else the caregivers on the staff list."""
        if self.classes and all(c.caregivers is not None for c in self.classes):
            return sum(c.caregivers for c in self.classes)  # type: ignore[misc]
        if self.staff is not None:
            return sum(1 for s in self.staff if s.role == "caregiver")
        return None


# --- loading -------------------------------------------------------------------------------------


def _bad(path: str, zh: str, en: str) -> PolicyInputError:
    return PolicyInputError(zh, en, path)


class _Reader:
    """Reads one JSON object's fields by kind, collecting the known ones and refusing unknown ones."""

    def __init__(self, data: Any, path: str, allowed: set[str]):
        if not isinstance(data, dict):
            raise _bad(path or "（根）", "应为 JSON 对象", "must be a JSON object")
        unknown = sorted(set(data) - allowed)
        if unknown:
            where = f"{path}.{unknown[0]}" if path else unknown[0]
            raise _bad(where, "未知字段（见 docs/facts.md）", "unknown field (see docs/facts.md)")
        self.data, self.path = data, path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise _bad(self._at(key), "应为 true 或 false", "must be true or false")

    def integer(self, key: str, minimum: int = 0, maximum: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(self._at(key), "应为整数", "must be an integer")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"{minimum}–{maximum}" if maximum is not None else f"≥ {minimum}"
            raise _bad(self._at(key), f"应在 {bound} 之间", f"must be {bound}")
        return value

    def decimal(self, key: str, places: int, maximum: Decimal | None = None) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(self._at(key), "应为数字", "must be a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover — str() of a JSON number always parses
            raise _bad(self._at(key), "应为数字", "must be a number") from None
        if not number.is_finite() or number < 0 or (maximum is not None and number > maximum):
            bound = f"0–{maximum}" if maximum is not None else "≥ 0"
            raise _bad(self._at(key), f"应为 {bound} 的数", f"must be a number {bound}")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise _bad(
                self._at(key), f"小数位不得超过 {places} 位", f"must have at most {places} decimal places"
            )
        return number

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or isinstance(value, str):
            return value
        raise _bad(self._at(key), "应为文本", "must be a string")

    def code(self, key: str, codes: Mapping[str, str]) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if value not in codes:
            raise _bad(
                self._at(key), f"应为以下之一：{'、'.join(codes)}", f"must be one of: {', '.join(codes)}"
            )
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise _bad(self._at(key), "应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)") from None

    def items(self, key: str) -> list[Any] | None:
        value = self.data.get(key)
        if value is None or isinstance(value, list):
            return value
        raise _bad(self._at(key), "应为数组", "must be an array")


_AREA_PLACES = 2  # square metres to the centimetre-square: areas compare exactly in the batch path


def _premises(data: Any, path: str) -> Premises:
    if data is None:
        return Premises()
    r = _Reader(data, path, set(Premises.__dataclass_fields__))
    return Premises(
        tenure=r.code("tenure", TENURES),
        lease_start=r.date("lease_start"),
        lease_end=r.date("lease_end"),
        indoor_area_m2=r.decimal("indoor_area_m2", _AREA_PLACES),
        outdoor_area_m2=r.decimal("outdoor_area_m2", _AREA_PLACES),
        building_area_m2=r.decimal("building_area_m2", _AREA_PLACES),
        floor_of_child_rooms=r.integer("floor_of_child_rooms", minimum=-10, maximum=200),
        child_rooms_below_ground=r.boolean("child_rooms_below_ground"),
        window_area_ratio=r.decimal("window_area_ratio", 4, maximum=Decimal(1)),
    )


def _class(data: Any, path: str) -> CareClass:
    r = _Reader(data, path, set(CareClass.__dataclass_fields__))
    kind = r.code("type", CLASS_TYPES)
    if kind is None:
        raise _bad(f"{path}.type", "缺少班型", "type is required")
    return CareClass(
        type=kind,
        children=r.integer("children", maximum=10_000),
        caregivers=r.integer("caregivers", maximum=10_000),
        youngest_months=r.integer("youngest_months", maximum=120),
        oldest_months=r.integer("oldest_months", maximum=120),
        name=r.text("name"),
    )


def _certificates(items: list[Any] | None, path: str) -> tuple[str, ...] | None:
    if items is None:
        return None
    out: list[str] = []
    for i, item in enumerate(items):
        code = certificate_code(item) if isinstance(item, str) else None
        if code is None:
            raise _bad(
                f"{path}[{i}]",
                f"未知的证书（可用代码：{'、'.join(CERTIFICATES)}，或其中文名称）",
                f"unknown certificate (codes: {', '.join(CERTIFICATES)}, or their Chinese names)",
            )
        if code not in out:
            out.append(code)
    return tuple(out)


def _staff(data: Any, path: str) -> StaffMember:
    r = _Reader(data, path, set(StaffMember.__dataclass_fields__))
    role = r.code("role", ROLES)
    if role is None:
        raise _bad(f"{path}.role", "缺少岗位", "role is required")
    return StaffMember(
        role=role,
        name=r.text("name"),
        education=r.code("education", EDUCATION),
        relevant_background=r.boolean("relevant_background"),
        management_years=r.decimal("management_years", 2, maximum=Decimal(100)),
        training_passed=r.boolean("training_passed"),
        training_hours=r.integer("training_hours", maximum=100_000),
        certificates=_certificates(r.items("certificates"), f"{path}.certificates"),
        health_exam_date=r.date("health_exam_date"),
        professional_title=r.text("professional_title"),
        licensed_company=r.boolean("licensed_company"),
        full_time=r.boolean("full_time"),
        criminal_record_checked_on=r.date("criminal_record_checked_on"),
        criminal_record_clear=r.boolean("criminal_record_clear"),
        hired_on=r.date("hired_on"),
    )


def _flat(cls: type, data: Any, path: str) -> Any:
    if data is None:
        return cls()
    r = _Reader(data, path, set(cls.__dataclass_fields__))
    values = {}
    for name, spec in cls.__dataclass_fields__.items():
        values[name] = r.integer(name, maximum=100_000) if "int" in str(spec.type) else r.boolean(name)
    return cls(**values)


def _project(data: Any, path: str) -> Project | None:
    if data is None:
        return None
    r = _Reader(data, path, set(Project.__dataclass_fields__))
    return Project(
        new_places=r.integer("new_places", maximum=100_000),
        classes=r.integer("classes", maximum=10_000),
        cost=r.decimal("cost", 2),
        provincial_place_subsidy=r.boolean("provincial_place_subsidy"),
        central_funding=r.boolean("central_funding"),
    )


def _station(data: Any, path: str) -> GrowthStation:
    r = _Reader(data, path, set(GrowthStation.__dataclass_fields__))
    return GrowthStation(name=r.text("name"), accepted=r.boolean("accepted"), cost=r.decimal("cost", 2))


def _household(data: Any, path: str) -> Household | None:
    if data is None:
        return None
    r = _Reader(data, path, set(Household.__dataclass_fields__))
    share = r.integer("share_percent")
    if share not in (None, 50, 100):
        raise _bad(
            f"{path}.share_percent",
            "应为 100（一方扣除）或 50（双方各扣）",
            "must be 100 (one parent) or 50 (each parent)",
        )
    return Household(children_under_3=r.integer("children_under_3", maximum=50), share_percent=share)


_TOP = set(Facts.__dataclass_fields__)


def load_facts(data: Any) -> Facts:
    """Facts from parsed JSON (a dict). Raises PolicyInputError naming the first bad field."""
    if isinstance(data, Facts):
        return data
    r = _Reader(data, "", _TOP)
    service_types = r.items("service_types")
    if service_types is not None:
        for i, item in enumerate(service_types):
            if item not in SERVICE_TYPES:
                raise _bad(
                    f"service_types[{i}]",
                    f"应为以下之一：{'、'.join(SERVICE_TYPES)}",
                    f"must be one of: {', '.join(SERVICE_TYPES)}",
                )
    classes = r.items("classes")
    staff = r.items("staff")
    stations = r.items("growth_stations")
    return Facts(
        name=r.text("name"),
        nature=r.code("nature", NATURES),
        legal_form=r.code("legal_form", LEGAL_FORMS),
        operator=r.code("operator", OPERATORS),
        affordable=r.boolean("affordable"),
        service_centre=bool(r.boolean("service_centre")),
        home_childcare_point=bool(r.boolean("home_childcare_point")),
        premises=_premises(r.raw("premises"), "premises"),
        places=r.integer("places", maximum=100_000),
        enrolled=r.integer("enrolled", maximum=100_000),
        service_types=None if service_types is None else tuple(service_types),
        outdoor_minutes_per_day=r.integer("outdoor_minutes_per_day", maximum=1440),
        classes=None if classes is None else tuple(_class(c, f"classes[{i}]") for i, c in enumerate(classes)),
        staff=None if staff is None else tuple(_staff(s, f"staff[{i}]") for i, s in enumerate(staff)),
        video=_flat(Video, r.raw("video"), "video"),
        prepaid_fee_months=r.integer("prepaid_fee_months", maximum=1200),
        business_scope=r.text("business_scope"),
        registered_with=r.code("registered_with", REGISTRATION_AUTHORITIES),
        parents_committee=r.boolean("parents_committee"),
        health=_flat(Health, r.raw("health"), "health"),
        safety=_flat(Safety, r.raw("safety"), "safety"),
        disclosure=_flat(Disclosure, r.raw("disclosure"), "disclosure"),
        project=_project(r.raw("project"), "project"),
        growth_stations=None
        if stations is None
        else tuple(_station(s, f"growth_stations[{i}]") for i, s in enumerate(stations)),
        household=_household(r.raw("household"), "household"),
    )


def read_facts_file(path: str | Path) -> Facts:
    """Facts from a JSON file (``-`` reads standard input). Raises PolicyInputError."""
    import sys

    try:
        text = sys.stdin.read() if str(path) == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyInputError(f"找不到文件 {path}", f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyInputError(f"无法读取文件 {path}（{error}）", f"cannot read {path} ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyInputError(
            f"{path} 不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）",
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        ) from None
    return load_facts(data)
