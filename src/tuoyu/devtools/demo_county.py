"""A deterministic, seeded synthetic county for demonstrations and tests (示例数据).

The county 云溪区 (division code 510590, a code not in use) is fictional and sits under the real
Sichuan province and Luzhou city so that the Luzhou Longmatan policy profile applies to it. Every
region it creates is flagged ``synthetic``, which puts the 示例数据 banner on every page.

Same seed and reference date → the same county, row for row. Some institutions are deliberately
out of standard (see ``DELIBERATE_PROBLEMS``) so the standards check has something to find.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tuoyu import clock
from tuoyu.devtools.demo_logins import DEMO_PASSWORD
from tuoyu.domains.cameras.services import camera_save, day_confirm, live_view_set, silent_remind
from tuoyu.domains.disclosure.services import (
    fee_item_save,
    meal_account_publish,
    menu_publish,
    notice_send,
    week_of,
)
from tuoyu.domains.enrollment.services import application_submit, program_add, round_create, round_open
from tuoyu.domains.filings.models import Filing, Kind, MaterialKind, State
from tuoyu.domains.filings.rules import CHECKLIST, required_materials
from tuoyu.domains.filings.services import (
    filing_accept,
    filing_return,
    filing_review,
    filing_start,
    filing_submit,
    filing_update,
    material_add,
)
from tuoyu.domains.growth.services import class_measurements_record
from tuoyu.domains.health.services import Result, class_check_record
from tuoyu.engines import growth, policy
from tuoyu.engines.calendar import add_working_days, is_working_day
from tuoyu.engines.identifiers import make_credit_code, make_id_number
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Department, Role, User
from tuoyu.kernel.audit.models import AuditEvent
from tuoyu.kernel.people.admission import admission_checks_take_in
from tuoyu.kernel.people.credentials import (
    dues_remind,
    staff_certificate_record,
    staff_check_record,
    staff_training_record,
)
from tuoyu.kernel.people.models import (
    AdmissionCheck,
    CareClass,
    Child,
    ClassType,
    Relation,
    StaffMember,
    StaffRole,
)
from tuoyu.kernel.people.services import (
    CHILD_FIELDS,
    STAFF_FIELDS,
    care_class_create,
    care_class_update,
    children_enrol,
    family_child_register,
    guardianship_add,
    staff_enrol,
)
from tuoyu.kernel.regions.models import AreaType, Population, PopulationCell, Region
from tuoyu.kernel.registry.account_services import account_create
from tuoyu.kernel.registry.declarations import DECLARATIONS
from tuoyu.kernel.registry.models import (
    Institution,
    LegalForm,
    Nature,
    Operator,
    ProvisionModel,
    ServiceType,
    Status,
    Tenure,
)
from tuoyu.kernel.registry.services import institution_register, institution_suspend

DEMO_SEED = 20260101
PROVINCE = ("510000", "四川省")
CITY = ("510500", "泸州市")
COUNTY = ("510590", "云溪区（示例）")
COUNTY_PROFILE = "sichuan-luzhou-longmatan"
POPULATION_YEARS = (2023, 2024, 2025, 2026)


# (code suffix, name, area type, population in 2026, (x km, y km) from the county centre)
SUBDISTRICTS = (
    ("001", "云溪街道", AreaType.BUILT_UP, 86_000, (0.0, 0.0)),
    ("002", "桂香街道", AreaType.BUILT_UP, 72_000, (3.5, 1.5)),
    ("003", "翠屏街道", AreaType.BUILT_UP, 64_000, (-3.0, 2.5)),
    ("004", "望江街道", AreaType.NEW_RESIDENTIAL, 58_000, (2.0, -3.5)),
    ("005", "临港街道", AreaType.NEW_RESIDENTIAL, 47_000, (7.5, -1.0)),
    ("006", "青龙镇", AreaType.RURAL, 54_000, (-8.0, -2.0)),
    ("007", "白鹤镇", AreaType.RURAL, 49_000, (-2.5, 8.0)),
    ("008", "石桥镇", AreaType.RURAL, 41_000, (9.0, 7.0)),
)
COUNTY_CENTRE = (105.43, 28.93)  # lon, lat (WGS84)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "子涵欣怡梓轩浩然一诺宇轩雨桐思远梓萱语嫣俊熙若曦明哲诗雨嘉懿沐宸安琪博文婉清天佑可馨睿泽芷若皓轩依诺"
BRANDS = [
    "禾苗",
    "小橡树",
    "星光",
    "暖阳",
    "贝贝",
    "童心",
    "彩虹",
    "启航",
    "悦宝",
    "萌芽",
    "乐成长",
    "小太阳",
    "爱绘",
    "青苗",
    "知了",
    "小象",
    "鹿鸣",
    "朵朵",
    "蓝鲸",
    "向日葵",
]
COMMUNITY_NAMES = [
    "桂园",
    "滨江",
    "锦绣",
    "和平",
    "新华",
    "东升",
    "枫林",
    "金桥",
    "书香",
    "春晖",
    "翠湖",
    "明月",
    "南苑",
    "北城",
    "龙泉",
    "清风",
    "玉兰",
    "长乐",
]

# Class sizes the demo fills classes up to (P07, 003 §四(一); mixed classes N01, 设置标准 art. 19).
CLASS_LIMIT = {
    ClassType.INFANT: 10,
    ClassType.YOUNG_TODDLER: 15,
    ClassType.OLDER_TODDLER: 20,
    ClassType.MIXED: 18,
}
# Caregivers per child as the demo staffs them (003 §四(一); a home point 1:3, N18).
CHILDREN_PER_CAREGIVER = {
    ClassType.INFANT: 3,
    ClassType.YOUNG_TODDLER: 5,
    ClassType.OLDER_TODDLER: 7,
    ClassType.MIXED: 3,
}
AGE_RANGE_MONTHS = {
    ClassType.INFANT: (6, 11),
    ClassType.YOUNG_TODDLER: (12, 23),
    ClassType.OLDER_TODDLER: (24, 35),
    ClassType.MIXED: (18, 35),
}

# (provision model, how many) — 60 institutions across the "6+X" models of 001 §四(一).
MODEL_MIX = (
    (ProvisionModel.HEALTH_CENTRE, 2),
    (ProvisionModel.COMMUNITY, 12),
    (ProvisionModel.KINDERGARTEN, 14),
    (ProvisionModel.GOVERNMENT, 3),
    (ProvisionModel.EMPLOYER, 6),
    (ProvisionModel.MARKET, 15),
    (ProvisionModel.HOME_POINT, 6),
    (ProvisionModel.COMMUNITY_STATION, 2),
)

# Institution index → what is wrong there on purpose, so the standards check finds something real.
DELIBERATE_PROBLEMS: dict[int, tuple[str, ...]] = {
    5: ("infant_class_too_big",),
    12: ("video_retention_short",),  # the applicant's institution: a problem it can fix before filing
    9: ("ratio_too_low",),
    17: ("short_lease", "no_parents_committee"),
    33: ("indoor_area_too_small",),
    38: ("video_retention_short", "prepaid_too_long", "no_liability_insurance"),
    41: ("manager_unqualified", "health_exam_overdue"),
    44: ("over_capacity", "guard_unlicensed"),
    47: ("too_many_places", "business_scope_wrong"),
    53: ("home_point_too_many_children",),
}


@dataclass
class DemoSummary:
    regions: int = 0
    institutions: int = 0
    classes: int = 0
    children: int = 0
    staff: int = 0
    users: int = 0
    audit_events: int = 0
    problems: dict[str, tuple[str, ...]] = field(default_factory=dict)


def demo_county_exists() -> bool:
    return Region.objects.filter(code=COUNTY[0]).exists()


class _Generator:
    def __init__(self, seed: int, on: dt.date):
        self.rng = random.Random(seed)
        self.on = on
        self.issued_ids: set[str] = set()
        self.names: set[str] = set()

    # --- small helpers ------------------------------------------------------------------------
    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))

    def mobile(self) -> str:
        return "1" + self.rng.choice("35789") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def id_number(self, birth: dt.date, sex: str) -> str:
        # The fictional county's code keeps these numbers from ever matching a real person's;
        # the sequence number is odd for men and even for women, as GB 11643 has it.
        while True:
            number = make_id_number(COUNTY[0], birth, self.rng.randrange(500) * 2 + (sex == "male"))
            if number not in self.issued_ids:
                self.issued_ids.add(number)
                return number

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def months_ago(self, months: int) -> dt.date:
        year, month = divmod(self.on.year * 12 + self.on.month - 1 - months, 12)
        return dt.date(year, month + 1, min(self.on.day, 28))

    # --- regions ------------------------------------------------------------------------------
    def regions(self) -> tuple[Region, list[Region], list[Region]]:
        province = Region(code=PROVINCE[0], name=PROVINCE[1], synthetic=True)
        province.save()
        city = Region(code=CITY[0], name=CITY[1], parent=province, synthetic=True)
        city.save()
        county = Region(
            code=COUNTY[0],
            name=COUNTY[1],
            parent=city,
            policy_profile=COUNTY_PROFILE,
            synthetic=True,
            lon=COUNTY_CENTRE[0],
            lat=COUNTY_CENTRE[1],
        )
        county.save()
        subdistricts, communities, populations = [], [], []
        for suffix, name, area_type, people, (x_km, y_km) in SUBDISTRICTS:
            lon, lat = _offset(COUNTY_CENTRE, x_km, y_km)
            sub = Region(
                code=COUNTY[0] + suffix,
                name=name,
                parent=county,
                area_type=area_type,
                lon=lon,
                lat=lat,
                synthetic=True,
            )
            sub.save()
            subdistricts.append(sub)
            for year in POPULATION_YEARS:
                total = round(people * (1 - 0.012 * (POPULATION_YEARS[-1] - year)))
                # Births keep falling: the under-3 share shrinks a little every year.
                share = self.rng.uniform(0.021, 0.026) * (1 + 0.03 * (POPULATION_YEARS[-1] - year))
                populations.append(
                    Population(
                        region=sub, year=year, total=total, under_3=round(total * share), source="示例数据"
                    )
                )
            for n in range(self.rng.randint(3, 5)):
                community = Region(
                    code=f"{sub.code}{n + 1:03d}",
                    name=self.rng.choice(COMMUNITY_NAMES) + "社区",
                    parent=sub,
                    area_type=area_type,
                    synthetic=True,
                )
                community.save()
                communities.append(community)
        Population.objects.bulk_create(populations)
        self.population_cells(subdistricts, [p for p in populations if p.year == POPULATION_YEARS[-1]])
        return county, subdistricts, communities

    def population_cells(self, subdistricts: list[Region], populations: list[Population]) -> None:
        """A 250 m residents grid: dense around each subdistrict's centre, thinner in the towns,
        summing exactly to each subdistrict's population (the demand side of accessibility)."""
        import numpy as np

        step_km, centres = 0.25, np.array([offset for *_, offset in SUBDISTRICTS])
        spread = np.array([2.6 if area == AreaType.RURAL else 1.4 for _, _, area, _, _ in SUBDISTRICTS])
        xs = np.arange(centres[:, 0].min() - 5, centres[:, 0].max() + 5, step_km)
        ys = np.arange(centres[:, 1].min() - 5, centres[:, 1].max() + 5, step_km)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        distance = np.linalg.norm(grid[:, None, :] - centres[None, :, :], axis=2)
        nearest = distance.argmin(axis=1)
        density = np.exp(-((distance[np.arange(len(grid)), nearest] / spread[nearest]) ** 2) / 2)
        density *= np.array([self.rng.uniform(0.6, 1.4) for _ in range(len(grid))])
        cells = []
        for index, (sub, population) in enumerate(zip(subdistricts, populations, strict=True)):
            mine = np.flatnonzero((nearest == index) & (density > 0.03))
            for total_name, total in (("population", population.total), ("under_3", population.under_3)):
                share = density[mine] / density[mine].sum() * total
                whole = np.floor(share).astype(int)
                whole[np.argsort(share - whole)[::-1][: total - whole.sum()]] += 1  # largest remainders
                if total_name == "population":
                    people = whole
                else:
                    under_3 = np.minimum(whole, people)
            for cell, n, u in zip(mine, people, under_3, strict=True):
                if n:
                    lon, lat = _offset(COUNTY_CENTRE, *grid[cell])
                    cells.append(
                        PopulationCell(
                            region=sub,
                            year=population.year,
                            lon=round(lon, 6),
                            lat=round(lat, 6),
                            population=int(n),
                            under_3=int(u),
                        )
                    )
        PopulationCell.objects.bulk_create(cells, batch_size=1000)

    # --- institutions -------------------------------------------------------------------------
    def institution(
        self, index: int, model: ProvisionModel, sub: Region, problems: tuple[str, ...]
    ) -> Institution:
        rng = self.rng
        legal_form, nature, operator, affordable = self._legal_shape(model)
        name = self._name(model, sub, index)
        if name in self.names:  # two sites of one operator: name them apart, as real ledgers do
            name = f"{name}（{sub.name}{index}号点）"
        self.names.add(name)
        classes = self._plan_classes(model, problems, service_centre=(index == 0))
        places = sum(CLASS_LIMIT[t] for t in classes) if model != ProvisionModel.HOME_POINT else 5
        if "too_many_places" in problems:
            places = 160
        lon, lat = _offset((sub.lon, sub.lat), rng.uniform(-2.2, 2.2), rng.uniform(-2.2, 2.2))
        owned = operator in (Operator.PUBLIC, Operator.EMPLOYER) or model == ProvisionModel.KINDERGARTEN
        lease_start = self.date_between(dt.date(2019, 1, 1), dt.date(2024, 6, 30))
        lease_years = 2 if "short_lease" in problems else rng.choice((3, 5, 8, 10))
        lease_end = lease_start.replace(year=lease_start.year + lease_years) - dt.timedelta(
            days=30 if lease_years == 2 else 0
        )
        indoor_per_place = 4.2 if "indoor_area_too_small" in problems else rng.uniform(5.3, 8.5)
        indoor = Decimal(str(round(places * indoor_per_place, 1)))
        status = self._status(index)
        filed_on = (
            self.date_between(dt.date(2021, 3, 1), self.on - dt.timedelta(days=60))
            if status != Status.REGISTERED
            else None
        )
        inst = Institution(
            name=name,
            credit_code=self._credit_code(legal_form),
            legal_form=legal_form,
            registered_with=self._registered_with(legal_form, nature),
            nature=nature,
            operator=operator,
            provision_model=model,
            affordable=affordable,
            service_centre=(index == 0),
            service_types=self._service_types(model),
            subdistrict=sub,
            address=f"四川省泸州市{COUNTY[1].removesuffix('（示例）')}{sub.name}{rng.choice(COMMUNITY_NAMES)}路{rng.randint(1, 399)}号",
            lon=round(lon, 6),
            lat=round(lat, 6),
            places=places,
            min_age_months=24
            if model == ProvisionModel.KINDERGARTEN
            else (6 if ClassType.INFANT in classes else 12),
            max_age_months=36,
            monthly_fee=Decimal(
                rng.choice((1200, 1500, 1800, 2200)) if affordable else rng.choice((2800, 3500, 4200, 5200))
            ),
            contact_name=self.person_name(),
            contact_phone=self.mobile(),
            business_scope="早期教育咨询；儿童游乐服务"
            if "business_scope_wrong" in problems
            else "3岁以下婴幼儿照护服务（托育服务）",
            tenure=Tenure.OWNED if owned else Tenure.LEASED,
            lease_start=None if owned else lease_start,
            lease_end=None if owned else lease_end,
            indoor_area_m2=indoor,
            outdoor_area_m2=Decimal(str(round(places * rng.uniform(2.1, 4.0), 1))),
            building_area_m2=Decimal(
                str(round(places * (12.5 if index == 0 else float(indoor) / places * 1.4), 1))
            ),
            floor_of_child_rooms=rng.choice((1, 1, 1, 2, 2, 3)),
            child_rooms_below_ground=False,
            window_area_ratio=Decimal(rng.choice(("0.22", "0.25", "0.30"))),
            outdoor_minutes_per_day=rng.choice((120, 120, 150, 180)),
            video_one_button_alarm=True,
            declarations=self._declarations(problems),
            video_covers_child_areas=True,
            video_armed_24h=True,
            video_retention_days=30 if "video_retention_short" in problems else rng.choice((90, 90, 180)),
            video_parent_live_view=rng.random() < 0.8,
            prepaid_fee_months=6 if "prepaid_too_long" in problems else rng.choice((1, 1, 3)),
            parents_committee=False
            if "no_parents_committee" in problems
            else (None if rng.random() < 0.08 else True),
            provides_meals=model not in (ProvisionModel.HOME_POINT, ProvisionModel.COMMUNITY_STATION),
            status=status,
            filing_number="",  # numbered with the filing history, in filing order
            filed_on=filed_on,
        )
        inst._planned_classes = classes  # consumed by classes_and_people
        return inst

    def _declarations(self, problems: tuple[str, ...]) -> dict:
        declared = {group: dict.fromkeys(items, True) for group, items in DECLARATIONS.items()}
        if self.rng.random() < 0.2:
            declared["disclosure"]["meal_accounts_monthly"] = None  # not yet declared
        if "no_liability_insurance" in problems:
            declared["safety"]["liability_insurance"] = False
        return declared

    def _legal_shape(self, model: ProvisionModel) -> tuple[str, str, str, bool]:
        rng = self.rng
        match model:
            case ProvisionModel.HEALTH_CENTRE | ProvisionModel.GOVERNMENT:
                return LegalForm.PUBLIC_INSTITUTION, Nature.NON_PROFIT, Operator.PUBLIC, True
            case ProvisionModel.COMMUNITY | ProvisionModel.COMMUNITY_STATION:
                operator = rng.choice(
                    (
                        Operator.PUBLIC_OWNED_PRIVATE_RUN,
                        Operator.PRIVATE_PUBLIC_AIDED,
                        Operator.PUBLIC_OWNED_PRIVATE_RUN,
                    )
                )
                return LegalForm.SOCIAL_SERVICE_ORG, Nature.NON_PROFIT, operator, rng.random() < 0.9
            case ProvisionModel.KINDERGARTEN:
                if rng.random() < 0.6:
                    return LegalForm.PUBLIC_INSTITUTION, Nature.NON_PROFIT, Operator.PUBLIC, True
                return LegalForm.SOCIAL_SERVICE_ORG, Nature.NON_PROFIT, Operator.PRIVATE, rng.random() < 0.6
            case ProvisionModel.EMPLOYER:
                return LegalForm.ENTERPRISE, Nature.FOR_PROFIT, Operator.EMPLOYER, rng.random() < 0.7
            case ProvisionModel.HOME_POINT:
                return LegalForm.INDIVIDUAL_BUSINESS, Nature.FOR_PROFIT, Operator.PRIVATE, rng.random() < 0.3
            case _:
                return LegalForm.ENTERPRISE, Nature.FOR_PROFIT, Operator.PRIVATE, rng.random() < 0.35

    def _name(self, model: ProvisionModel, sub: Region, index: int) -> str:
        rng = self.rng
        brand = BRANDS[index % len(BRANDS)]
        match model:
            case ProvisionModel.HEALTH_CENTRE:
                return "云溪区托育综合服务中心" if index == 0 else f"{sub.name}社区卫生服务中心托育部"
            case ProvisionModel.COMMUNITY:
                return f"{sub.name}{rng.choice(COMMUNITY_NAMES)}社区托育园"
            case ProvisionModel.KINDERGARTEN:
                return f"云溪区{sub.name.removesuffix('街道').removesuffix('镇')}{rng.choice(('第一', '第二', '实验', '中心'))}幼儿园托班"
            case ProvisionModel.GOVERNMENT:
                return rng.choice(("云溪区机关", "云溪区人民医院", "云溪区教育系统")) + "职工托育室"
            case ProvisionModel.EMPLOYER:
                return (
                    rng.choice(("临港物流园", "云溪工业园", "泸江制药", "长江酒业", "西南电子", "云溪商贸城"))
                    + "职工托育中心"
                )
            case ProvisionModel.HOME_POINT:
                return f"{self.person_name()[0]}姐家庭托育点（{sub.name}）"
            case ProvisionModel.COMMUNITY_STATION:
                return f"{sub.name}婴幼儿成长驿站"
            case _:
                return f"{brand}托育中心（{sub.name}店）"

    def _plan_classes(
        self, model: ProvisionModel, problems: tuple[str, ...], *, service_centre: bool
    ) -> list[ClassType]:
        rng = self.rng
        if service_centre:
            return [ClassType.INFANT] * 2 + [ClassType.YOUNG_TODDLER] * 3 + [ClassType.OLDER_TODDLER] * 3
        if model == ProvisionModel.HOME_POINT:
            return [ClassType.MIXED]
        if model == ProvisionModel.KINDERGARTEN:
            return [ClassType.OLDER_TODDLER] * rng.choice((1, 1, 2))
        if model == ProvisionModel.COMMUNITY_STATION:
            return [ClassType.YOUNG_TODDLER, ClassType.OLDER_TODDLER]
        plan = [ClassType.YOUNG_TODDLER] + [ClassType.OLDER_TODDLER] * rng.choice((1, 1, 2))
        if rng.random() < 0.4 or "infant_class_too_big" in problems:
            plan.insert(0, ClassType.INFANT)
        return plan

    def _service_types(self, model: ProvisionModel) -> list[str]:
        types = [ServiceType.FULL_DAY.value]
        if model not in (ProvisionModel.KINDERGARTEN, ProvisionModel.GOVERNMENT) and self.rng.random() < 0.6:
            types.append(ServiceType.HALF_DAY.value)
        if (
            model in (ProvisionModel.COMMUNITY, ProvisionModel.COMMUNITY_STATION, ProvisionModel.MARKET)
            and self.rng.random() < 0.5
        ):
            types += [ServiceType.HOURLY.value, ServiceType.OCCASIONAL.value]
        return types

    def _status(self, index: int) -> str:
        if index in (12, 27, 36, 50, 55, 58):
            return Status.REGISTERED
        if index == 44:
            return Status.SUSPENDED
        return Status.FILED

    def _registered_with(self, legal_form: str, nature: str) -> str:
        # The office the county's profile assigns to the legal form (云溪区 runs on Longmatan's rules:
        # 003 附件2 #1, #16, #18 — the district 行政审批局 registers legal persons), so the demo's
        # registrations are the ones its policy expects; the credit code alone could not say so.
        table = policy.load_profile(COUNTY_PROFILE).lookup("registration.authority_by_nature", self.on).value
        return (table.get(legal_form) or table[nature])[0]

    def _credit_code(self, legal_form: str) -> str:
        department, kind = {
            LegalForm.PUBLIC_INSTITUTION: ("1", "2"),
            LegalForm.SOCIAL_SERVICE_ORG: ("5", "2"),
            LegalForm.ENTERPRISE: ("9", "1"),
            LegalForm.INDIVIDUAL_BUSINESS: ("9", "2"),
        }[legal_form]
        charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        organisation = "".join(self.rng.choice(charset) for _ in range(9))
        return make_credit_code(department, kind, COUNTY[0], organisation)

    # --- classes, children, staff -------------------------------------------------------------
    def classes_and_people(self, inst: Institution, problems: tuple[str, ...], subdistricts: list[Region]):
        rng = self.rng
        classes, children, staff = [], [], []
        names_used: dict[ClassType, int] = {}
        for class_type in inst._planned_classes:
            names_used[class_type] = names_used.get(class_type, 0) + 1
            label = {
                ClassType.INFANT: "乳儿",
                ClassType.YOUNG_TODDLER: "托小",
                ClassType.OLDER_TODDLER: "托大",
                ClassType.MIXED: "混龄",
            }[class_type]
            care_class = CareClass(
                institution=inst, name=f"{label}{names_used[class_type]}班", class_type=class_type
            )
            classes.append(care_class)
            limit = 5 if inst.provision_model == ProvisionModel.HOME_POINT else CLASS_LIMIT[class_type]
            enrolled = round(limit * rng.uniform(0.55, 1.0))
            if class_type == ClassType.INFANT and "infant_class_too_big" in problems:
                enrolled = 12
            if "home_point_too_many_children" in problems:
                enrolled = 7
            if "over_capacity" in problems:
                enrolled = limit
            low, high = AGE_RANGE_MONTHS[class_type]
            for _ in range(enrolled):
                birth = self.months_ago(rng.randint(low, high)) - dt.timedelta(days=rng.randint(0, 27))
                sex = rng.choice(("male", "female"))
                residence = inst.subdistrict if rng.random() < 0.8 else rng.choice(subdistricts)
                children.append(
                    Child(
                        name=self.person_name(),
                        id_number=self.id_number(birth, sex),
                        birth_date=birth,
                        sex=sex,
                        residence=residence,
                        institution=inst,
                        care_class=care_class,
                        enrolled_on=max(
                            birth + dt.timedelta(days=190), self.on - dt.timedelta(days=rng.randint(20, 300))
                        ),
                        allergies=rng.choice(
                            ("", "", "", "", "", "牛奶蛋白过敏", "鸡蛋过敏", "蚕豆病（G6PD缺乏）")
                        ),
                    )
                )
            caregivers = math.ceil(enrolled / CHILDREN_PER_CAREGIVER[class_type])
            if "ratio_too_low" in problems:
                caregivers = max(1, caregivers - 2)
            staff += [
                self.staff_member(inst, StaffRole.CAREGIVER, problems, care_class) for _ in range(caregivers)
            ]
        if "over_capacity" in problems:
            inst.places = max(1, len(children) - 6)
        staff.insert(0, self.staff_member(inst, StaffRole.MANAGER, problems))
        if inst.provision_model != ProvisionModel.HOME_POINT:
            staff.append(self.staff_member(inst, StaffRole.HEALTH_STAFF, problems))
            staff.append(self.staff_member(inst, StaffRole.SECURITY_GUARD, problems))
        if inst.provides_meals:
            staff.append(self.staff_member(inst, StaffRole.COOK, problems))
        return classes, children, staff

    def staff_member(
        self,
        inst: Institution,
        role: StaffRole,
        problems: tuple[str, ...],
        care_class: CareClass | None = None,
    ) -> StaffMember:
        rng = self.rng
        sex = (
            "female"
            if role in (StaffRole.CAREGIVER, StaffRole.HEALTH_STAFF) or rng.random() < 0.5
            else "male"
        )
        birth = self.date_between(dt.date(1968, 1, 1), dt.date(2003, 12, 31))
        hired = self.date_between(dt.date(2020, 1, 1), self.on - dt.timedelta(days=30))
        member = StaffMember(
            institution=inst,
            name=self.person_name(),
            id_number=self.id_number(birth, sex),
            phone=self.mobile(),
            role=role,
            care_class=care_class,
            hired_on=hired,
            full_time=True,
            health_exam_date=self.on - dt.timedelta(days=rng.randint(15, 320)),
            criminal_record_checked_on=self.on - dt.timedelta(days=rng.randint(15, 340)),
            criminal_record_clear=True,
        )
        match role:
            case StaffRole.MANAGER:
                unqualified = "manager_unqualified" in problems
                member.education = (
                    "senior_high"
                    if unqualified
                    else rng.choice(("college", "bachelor", "bachelor", "master"))
                )
                member.relevant_background = True
                member.management_years = 2 if unqualified else rng.randint(3, 12)
                member.training_passed = True
                member.certificates = ["manager_training"]
                if "health_exam_overdue" in problems:
                    member.health_exam_date = self.on - dt.timedelta(days=420)
            case StaffRole.CAREGIVER:
                member.education = rng.choice(("secondary_vocational", "college", "college", "bachelor"))
                member.relevant_background = rng.random() < 0.95
                member.training_passed = True
                member.certificates = [rng.choice(("childcare_worker", "infant_carer"))] + (
                    ["teacher"] if rng.random() < 0.2 else []
                )
            case StaffRole.HEALTH_STAFF:
                member.education = rng.choice(("college", "bachelor"))
                member.relevant_background = True
                member.training_passed = True
                member.professional_title = rng.choice(("护士", "护师", "主管护师", "医师"))
                member.certificates = [
                    "health_care_training",
                    "doctor" if member.professional_title == "医师" else "nurse",
                ]
                member.full_time = inst.places >= 150 or rng.random() < 0.5
            case StaffRole.SECURITY_GUARD:
                unlicensed = "guard_unlicensed" in problems
                member.education = rng.choice(("junior_high", "senior_high"))
                member.certificates = [] if unlicensed else ["security_guard_licence"]
                member.licensed_company = not unlicensed
            case StaffRole.COOK:
                member.education = rng.choice(("junior_high", "senior_high"))
        return member


def _offset(origin: tuple[float, float], x_km: float, y_km: float) -> tuple[float, float]:
    lon, lat = origin
    return lon + x_km / (111.32 * math.cos(math.radians(lat))), lat + y_km / 110.57


# The platform went live this long before the demo's date. Institutions filed earlier come from the
# county's paper ledger (imported, with their filing numbers); later ones filed on the platform.
PLATFORM_IN_USE_DAYS = 540
SUSPENSION = (
    44,
    20,
    "超过备案托位收托婴幼儿；安保人员未持证上岗。限期整改逾期未改正。",
)  # index, days ago, facts
DEMO_ACTOR = "示例数据生成"


# A week of a toddler menu, Monday to Friday (示例数据).
DEMO_MENU = {
    0: {"breakfast": "小米南瓜粥、鸡蛋", "lunch": "番茄炒蛋、清炒西兰花、米饭", "afternoon_snack": "香蕉"},
    1: {"breakfast": "牛奶、全麦面包", "lunch": "清蒸鲈鱼、胡萝卜炒肉丝、米饭", "afternoon_snack": "苹果"},
    2: {"breakfast": "瘦肉粥、蒸蛋", "lunch": "土豆烧鸡块、炒青菜、二米饭", "afternoon_snack": "酸奶"},
    3: {"breakfast": "豆浆、小馒头", "lunch": "虾仁豆腐、冬瓜排骨汤、米饭", "afternoon_snack": "梨"},
    4: {"breakfast": "鸡蛋面", "lunch": "牛肉胡萝卜焖饭、紫菜蛋花汤", "afternoon_snack": "橙子"},
}


def build_demo_county(*, seed: int = DEMO_SEED, on: dt.date | None = None) -> DemoSummary:
    """Create the synthetic county through the services people use, each step on its own date:
    the regions and population (written directly: a real county imports them), the ledger, the
    institutions' rosters, the filings, the accounts and the admission rounds. One transaction."""
    with transaction.atomic():
        return _Builder(seed, on or clock.today()).build()


class _Builder:
    def __init__(self, seed: int, on: dt.date):
        self.gen = _Generator(seed, on)
        self.on = on
        self.system = Actor.system(DEMO_ACTOR)
        self.regulator: Actor | None = None  # the county's demo regulator, once the accounts exist
        self.summary = DemoSummary()

    def build(self) -> DemoSummary:
        gen, summary = self.gen, self.summary
        audited_before = AuditEvent.objects.count()
        county, subdistricts, communities = gen.regions()
        summary.regions = 3 + len(subdistricts) + len(communities)
        plan = [model for model, count in MODEL_MIX for _ in range(count)]
        planned = []
        for index, model in enumerate(plan):
            # Institutions spread over subdistricts in proportion to their population, rural ones thinner.
            weights = [
                people * (0.6 if area == AreaType.RURAL else 1.0) for _, _, area, people, _ in SUBDISTRICTS
            ]
            sub = gen.rng.choices(subdistricts, weights=weights)[0] if index else subdistricts[0]
            problems = DELIBERATE_PROBLEMS.get(index, ())
            planned.append((gen.institution(index, model, sub, problems), problems))
        people = [gen.classes_and_people(inst, problems, subdistricts) for inst, problems in planned]
        numbers = _ledger_numbers([inst for inst, _ in planned], since=self.since)
        institutions = [self.register(inst, numbers.get(id(inst)), problems) for (inst, problems) in planned]
        for institution, (classes, children, staff) in zip(institutions, people, strict=True):
            self.take_in(institution, classes, children, staff)
        self.file_on_the_platform(institutions, [inst for inst, _ in planned])
        for institution in institutions:
            institution.refresh_from_db()
        users = self.accounts(county, institutions)
        self.open_filings(institutions)
        index, days_ago, facts = SUSPENSION
        with clock.replaying(self.on - dt.timedelta(days=days_ago)):
            institution_suspend(actor=self.regulator, institution=institutions[index], reason=facts)
        self.rounds(county, institutions, subdistricts, users)
        self.health_checks(users)
        self.staff_records(users)
        self.growth_measurements(users)
        self.camera_register(users)
        self.publications(users)
        summary.users = len(users)
        summary.institutions = len(institutions)
        summary.audit_events = AuditEvent.objects.count() - audited_before
        return summary

    @property
    def since(self) -> dt.date:
        return self.on - dt.timedelta(days=PLATFORM_IN_USE_DAYS)

    # --- the ledger and the rosters ---------------------------------------------------------------
    def register(self, planned: Institution, number: str | None, problems: tuple[str, ...]) -> Institution:
        """Enter the institution in the ledger: filed ones from the paper ledger with their number,
        the rest as registered (those filed since the platform went live file again on it)."""
        data = {
            f.name: getattr(planned, f.name)
            for f in Institution._meta.concrete_fields
            if not f.primary_key and f.name not in ("created_at", "updated_at")
        }
        if number is None:
            ledger = {"status": Status.REGISTERED, "filing_number": "", "filed_on": None}
        else:
            ledger = {"status": Status.FILED, "filing_number": number}
        data = {**data, "subdistrict": planned.subdistrict, **ledger}
        institution = institution_register(actor=self.system, data=data, note="台账导入（示例数据）")
        institution._planned = planned
        if problems:
            self.summary.problems[institution.name] = problems
        return institution

    def take_in(self, institution: Institution, classes, children, staff) -> None:
        """The institution's own first steps on the platform: its classes, its roster, its staff."""
        created = {
            id(planned): care_class_create(
                actor=self.system, institution=institution, name=planned.name, class_type=planned.class_type
            )
            for planned in classes
        }
        roster = [
            {
                **{name: getattr(child, name) for name in CHILD_FIELDS},
                "care_class": created[id(child.care_class)],
            }
            for child in children
        ]
        children_enrol(
            actor=self.system, institution=institution, roster=roster, note="在托婴幼儿花名册（示例数据）"
        )
        staff_enrol(
            actor=self.system,
            institution=institution,
            rows=[
                {
                    **{name: getattr(member, name) for name in STAFF_FIELDS},
                    "care_class": created[id(member.care_class)] if member.care_class else None,
                }
                for member in staff
            ],
            note="工作人员名册（示例数据）",
        )
        self.summary.classes += len(classes)
        self.summary.children += len(children)
        self.summary.staff += len(staff)

    # --- filings --------------------------------------------------------------------------------------
    def file_on_the_platform(self, institutions: list[Institution], planned: list[Institution]) -> None:
        """Institutions filed since the platform went live, in the order they filed: submitted a few
        days before the decision, reviewed and accepted by the county's health bureau."""
        recent = sorted(
            (
                inst
                for inst, plan in zip(institutions, planned, strict=True)
                if plan.filed_on and plan.filed_on >= self.since
            ),
            key=lambda inst: (inst._planned.filed_on, inst.pk),
        )
        for institution in recent:
            filed_on = institution._planned.filed_on
            submitted = filed_on - dt.timedelta(days=self.gen.rng.randint(2, 6))
            filing = self.submit(institution, submitted)
            with clock.replaying(dt.datetime.combine(filed_on, dt.time(15, 0))):
                self.review(filing, filed_on)
                filing_accept(
                    actor=Actor.system(REGULATOR_NAME),
                    filing=filing,
                    expected_version=Filing.objects.get(pk=filing.pk).version,
                    override_reason="现场核查时相关问题已当场整改到位。" if filing.failing_findings else "",
                )

    def submit(self, institution: Institution, on: dt.date) -> Filing:
        """The institution's side (its contact person, who has no account in the demo): open the
        filing, sign the commitment, attach the scans, submit."""
        actor = Actor.system(institution.contact_name)
        with clock.replaying(on):
            filing = filing_start(actor=actor, institution=institution, kind=Kind.INITIAL)
            filing = filing_update(actor=actor, filing=filing, signer=institution.contact_name)
            for kind in required_materials(Kind.INITIAL, provides_meals=institution.provides_meals):
                material_add(
                    actor=actor,
                    filing=filing,
                    kind=kind,
                    upload=SimpleUploadedFile(f"{MaterialKind(kind).label}（示例）.pdf", BLANK_PDF),
                )
            return filing_submit(actor=actor, filing=filing, expected_version=filing.version)

    def review(self, filing: Filing, on: dt.date) -> Filing:
        return filing_review(
            actor=Actor.system(REGULATOR_NAME),
            filing=filing,
            checklist=dict.fromkeys(CHECKLIST, True),
            verified_on=on,
            verified_by=f"{REGULATOR_NAME}、{INSPECTOR_NAME}",
            notes="现场核查场地、人员和安全设施，与申报材料一致。",
        )

    def open_filings(self, institutions: list[Institution]) -> None:
        """A few filings under way, for the regulator's queue: two awaiting a decision, one returned."""
        for index, (state, days_ago) in DEMO_OPEN_FILINGS.items():
            institution = institutions[index]
            submitted = _working_days_before(self.on, days_ago)
            filing = self.submit(institution, submitted)
            if state == State.RETURNED:
                decided = add_working_days(submitted, 4)
                with clock.replaying(dt.datetime.combine(decided, dt.time(16, 0))):
                    filing_return(
                        actor=self.regulator,
                        filing=filing,
                        expected_version=filing.version,
                        reasons="托幼机构卫生评价报告未附；保育人员与婴幼儿比例不足。",
                        rectify_by=self.on + dt.timedelta(days=20),
                    )

    # --- accounts ---------------------------------------------------------------------------------------
    def accounts(self, county: Region, institutions: list[Institution]) -> list[User]:
        gen = self.gen
        city = Region.objects.get(code=CITY[0])
        guixiang = Region.objects.get(code=COUNTY[0] + "002")
        home = next(
            i
            for i in institutions
            if i.subdistrict_id == guixiang.pk
            and i.provision_model == ProvisionModel.COMMUNITY
            and i.status == Status.FILED
        )
        first_subdistrict = county.children.order_by("code").first()
        specs = [
            ("regulator", REGULATOR_NAME, Role.REGULATOR, county, Department.HEALTH, None),
            ("city", "陈市监", Role.REGULATOR, city, Department.HEALTH, None),
            ("police", "刘警官", Role.DEPARTMENT, county, Department.PUBLIC_SECURITY, None),
            ("market", "孙市场", Role.DEPARTMENT, county, Department.MARKET_REGULATION, None),
            ("inspector", INSPECTOR_NAME, Role.INSPECTOR, county, Department.HEALTH, None),
            ("expert", "吴专家", Role.EXPERT, county, "", None),
            ("manager", "林园长", Role.MANAGER, guixiang, "", home),
            ("caregiver", "何老师", Role.CAREGIVER, guixiang, "", home),
            ("applicant", "许园长", Role.MANAGER, None, "", institutions[APPLICANT_INSTITUTION]),
            ("parent", "郑家长", Role.GUARDIAN, guixiang, "", None),
            ("parent2", "冯家长", Role.GUARDIAN, first_subdistrict, "", None),
        ]
        users = []
        for username, name, role, region, department, institution in specs:
            user, _ = account_create(
                actor=self.system,
                username=username,
                display_name=name,
                role=role,
                region=region or institution.subdistrict,
                department=department,
                phone=gen.mobile(),
                institution=institution,
                password=DEMO_PASSWORD,
            )
            users.append(user)
        by_name = {u.username: u for u in users}
        self.regulator = Actor(user=by_name["regulator"])
        manager = Actor(user=by_name["manager"])
        at_home = list(Child.objects.filter(institution=home).order_by("pk"))
        elsewhere = list(
            Child.objects.exclude(institution=home).filter(institution__isnull=False).order_by("pk")
        )
        guardianship_add(actor=manager, child=at_home[0], user=by_name["parent"], relation=Relation.MOTHER)
        for child, username, relation in (
            (elsewhere[len(elsewhere) // 2], "parent", Relation.MOTHER),
            (elsewhere[len(elsewhere) // 3], "parent2", Relation.FATHER),
        ):
            guardianship_add(actor=self.system, child=child, user=by_name[username], relation=relation)
        return users

    # --- daily health checks -------------------------------------------------------------------------
    def growth_measurements(self, users: list[User]) -> None:
        """The caregiver's class measured twice, three and a half months apart, on the WHO median
        give or take a little; one child short for their age (a stunting flag the health staff
        follow), and the demo parent's child measured so the family's chart has points."""
        by_name = {u.username: u for u in users}
        caregiver = by_name["caregiver"]
        home = caregiver.memberships.get().institution
        first = CareClass.objects.filter(institution=home, closed_on__isnull=True).order_by("pk").first()
        children = list(Child.objects.filter(care_class=first).order_by("pk"))
        scheme = growth.who_2006()
        rng = self.gen.rng
        short = children[-1] if len(children) > 1 else None
        for day in (self.on - dt.timedelta(days=105), self.on - dt.timedelta(days=2)):
            rows = {}
            for child in children:
                age = (day - child.birth_date).days
                if age < 0 or age >= scheme.days("weight_for_age", str(child.sex)):
                    continue
                sex = str(child.sex)
                length_sd = -2.6 if child == short else rng.uniform(-1.0, 1.0)
                length = growth.sd_line(scheme.lms[("length_for_age", sex)][[age]], length_sd)[0]
                # weight from a body-mass index near the median, so only the short child is flagged
                bmi = growth.sd_line(scheme.lms[("bmi_for_age", sex)][[age]], rng.uniform(-0.8, 0.8))[0]
                weight = bmi * (length / 100) ** 2
                rows[child.pk] = (Decimal(f"{weight:.2f}"), Decimal(f"{length:.1f}"))
            with clock.replaying(dt.datetime.combine(day, dt.time(9, 40))):
                class_measurements_record(
                    actor=Actor(user=caregiver), care_class=first, measured_on=day, rows=rows
                )

    def camera_register(self, users: list[User]) -> None:
        """The demo institution's cameras: each class's activity room, the outdoor area and the
        entrance, a sleep-room camera that keeps only 30 days (a finding), a week of days confirmed
        with the entrance camera offline yesterday (a reminder), and the parents' live view."""
        by_name = {u.username: u for u in users}
        manager = Actor(user=by_name["manager"])
        home = by_name["manager"].memberships.get().institution
        classes = list(CareClass.objects.filter(institution=home, closed_on__isnull=True).order_by("pk"))
        installed = self.on - dt.timedelta(days=200)
        plan = [(f"{c.name}活动室", "activity", c, 90) for c in classes]
        plan += [(f"{classes[0].name}睡眠室", "sleep", classes[0], 30)] if classes else []
        plan += [("户外活动场地", "outdoor", None, 90), ("大门出入口", "entrance", None, 90)]
        cameras = []
        with clock.replaying(dt.datetime.combine(installed, dt.time(10))):
            for name, area, care_class, days in plan:
                values = {
                    "name": name,
                    "area": area,
                    "care_class": care_class,
                    "armed_24h": True,
                    "retention_days": days,
                    "installed_on": installed,
                }
                cameras.append(camera_save(actor=manager, institution=home, values=values))
            live_view_set(actor=manager, institution=home, url="https://shipin.example.cn/live/demo")
        for back in range(7, 0, -1):
            day = self.on - dt.timedelta(days=back)
            rows = {c.pk: ("normal", "") for c in cameras}
            if back == 1:
                rows[cameras[-1].pk] = ("offline", "网络故障，已报修")
            with clock.replaying(dt.datetime.combine(day, dt.time(8, 30))):
                day_confirm(actor=manager, institution=home, day=day, rows=rows)
        silent_remind(self.on)

    def publications(self, users: list[User]) -> None:
        """What the demo institution publishes to families: its fees (the monthly fee collected
        three months ahead), this week's menu, last month's meal account, and a notice to the
        caregiver's class, which the demo parent reads."""
        by_name = {u.username: u for u in users}
        manager = Actor(user=by_name["manager"])
        home = by_name["manager"].memberships.get().institution
        monday = week_of(self.on)
        with clock.replaying(dt.datetime.combine(monday, dt.time(8))):
            for name, amount, unit, months, note in (
                ("保育费", home.monthly_fee or Decimal("1600"), "month", 3, "含保育、教育活动"),
                ("伙食费", Decimal("20"), "day", 1, "按实际就餐天数收取"),
            ):
                values = {
                    "name": name,
                    "amount": amount,
                    "unit": unit,
                    "prepaid_months": months,
                    "note": note,
                }
                fee_item_save(actor=manager, institution=home, values=values)
            menu_publish(actor=manager, institution=home, week=monday, dishes=DEMO_MENU)
            last_month = (self.on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            meal_account_publish(
                actor=manager,
                institution=home,
                month=last_month,
                values={
                    "income": Decimal("32400.00"),
                    "food_cost": Decimal("28150.60"),
                    "other_cost": Decimal("1320.00"),
                    "child_days": 1620,
                    "note": "示例数据",
                },
            )
        first = CareClass.objects.filter(institution=home, closed_on__isnull=True).order_by("pk").first()
        with clock.replaying(dt.datetime.combine(self.on, dt.time(7, 50))):
            notice_send(
                actor=manager,
                institution=home,
                care_class=first,
                title="本周五开展消防疏散演练",
                body="本周五上午十点开展消防疏散演练，请家长提前和孩子说明，不必担心。",
            )

    def staff_records(self, users: list[User]) -> None:
        """The demo institution's staff records: this year's examinations and queries of its
        caregivers, a caregiver certificate that lapses within the month (so the manager has a
        reminder and the records page a due item), and the manager's post training hours."""
        by_name = {u.username: u for u in users}
        manager = Actor(user=by_name["manager"])
        home = by_name["manager"].memberships.get().institution
        staff = list(StaffMember.objects.filter(institution=home, left_on__isnull=True).order_by("pk"))
        hospital = f"{COUNTY[1].split('（')[0]}妇幼保健院"
        caregivers = 0
        with clock.replaying(self.on):
            for index, member in enumerate(staff):
                if member.role == StaffRole.MANAGER:
                    for course, hours in (
                        ("托育机构负责人岗位培训（理论）", 40),
                        ("托育机构负责人岗位培训（实操）", 20),
                    ):
                        staff_training_record(
                            actor=manager,
                            staff=member,
                            stage="pre_service",
                            course=course,
                            hours=hours,
                            finished_on=member.hired_on - dt.timedelta(days=20),
                            provider="市托育服务指导中心",
                        )
                    continue
                staff_check_record(
                    actor=manager,
                    staff=member,
                    kind="health_exam",
                    checked_on=self.on - dt.timedelta(days=40 + 25 * index),
                    passed=True,
                    issuer=hospital,
                )
                if member.role == StaffRole.CAREGIVER and member.certificates:
                    caregivers += 1
                    staff_certificate_record(
                        actor=manager,
                        staff=member,
                        certificate=member.certificates[0],
                        number=f"DEMO-{member.pk:05d}",
                        issued_on=member.hired_on - dt.timedelta(days=300),
                        expires_on=self.on + dt.timedelta(days=12 + 30 * (caregivers - 1)),
                    )
        dues_remind(self.on)

    def health_checks(self, users: list[User]) -> None:
        """The demo institution's last three working days of morning and midday checks: a cough one
        day, then on the last morning three children of the caregiver's class with fever, which
        raises an outbreak alert (3 in a class on one day) for the county to follow."""
        by_name = {u.username: u for u in users}
        caregiver, manager = by_name["caregiver"], Actor(user=by_name["manager"])
        home = caregiver.memberships.get().institution
        classes = list(CareClass.objects.filter(institution=home, closed_on__isnull=True).order_by("pk"))
        first = classes[0]
        care_class_update(actor=manager, care_class=first, data={"keepers": [caregiver]})
        # Its children's admission health checks (N12), entered from the paper records.
        with clock.replaying(self.on):
            admission_checks_take_in(
                actor=manager,
                institution=home,
                checks=[
                    AdmissionCheck(
                        child=child,
                        vaccination_checked_on=max(
                            child.enrolled_on - dt.timedelta(days=10), child.birth_date
                        ),
                        health_check_on=max(child.enrolled_on - dt.timedelta(days=7), child.birth_date),
                        hospital=f"{COUNTY[1].split('（')[0]}妇幼保健院",
                    )
                    for child in Child.objects.filter(institution=home).order_by("pk")
                ],
            )
        last = self.on
        while not is_working_day(last):
            last -= dt.timedelta(days=1)
        days = [_working_days_before(last, 2), _working_days_before(last, 1)]
        # The demo parent's child first, so the parent's inbox shows what a guardian is told.
        in_first = sorted(
            Child.objects.filter(care_class=first),
            key=lambda child: (not child.guardianships.filter(user=by_name["parent"]).exists(), child.pk),
        )
        for day in [*days, last]:
            for sitting, hour in (("morning", 8), ("midday", 12)):
                if day == last and sitting == "midday":
                    continue  # the demo opens on the morning the alert was raised
                with clock.replaying(dt.datetime.combine(day, dt.time(hour, 20))):
                    for care_class in classes:
                        results = {}
                        if care_class == first and day == days[-1] and in_first:
                            results[in_first[-1].pk] = Result(symptoms=frozenset({"cough"}))
                        if care_class == first and day == last and sitting == "morning":
                            for child, temperature in zip(
                                in_first[:3], ("38.1", "37.8", "38.4"), strict=False
                            ):
                                results[child.pk] = Result(temperature=Decimal(temperature), action="isolate")
                        who = Actor(user=caregiver) if care_class == first else manager
                        class_check_record(
                            actor=who, care_class=care_class, date=day, sitting=sitting, results=results
                        )

    # --- admission rounds ----------------------------------------------------------------------------
    def rounds(
        self, county: Region, institutions: list[Institution], subdistricts: list[Region], users: list[User]
    ) -> None:
        """Two admission rounds for toddler classes (003 §四(三) lotteries), each oversubscribed by
        synthetic families: one still open (apply as ``parent2``), one whose application window has
        just closed (freeze, commit, draw and re-allocate as ``regulator``)."""
        gen, on = self.gen, self.on
        admission = dt.date(on.year + (on.month >= 3), 3, 1)
        kindergartens = [
            i
            for i in institutions
            if i.provision_model == ProvisionModel.KINDERGARTEN and i.status == Status.FILED
        ]
        windows = (
            ("春季托班招收", on - dt.timedelta(days=7), on + dt.timedelta(days=14), kindergartens[:3]),
            ("春季托班补充招收", on - dt.timedelta(days=21), on - dt.timedelta(days=1), kindergartens[3:6]),
        )
        for title, opens, closes, offering in windows:
            with clock.replaying(opens):
                round_ = round_create(
                    actor=self.regulator,
                    region=county,
                    name=f"{admission.year}年{title}（示例）",
                    admission_date=admission,
                    opens_on=opens,
                    closes_on=closes,
                    rules={"sibling": 1, "residence": 2},
                )
                programs = [
                    program_add(
                        actor=self.regulator,
                        round_=round_,
                        institution=inst,
                        class_type=ClassType.OLDER_TODDLER,
                        classes=1,
                        staying_on=gen.rng.randint(9, 13),
                    )  # about 30 places for 45 families: a real lottery
                    for inst in offering
                ]
                round_open(actor=self.regulator, round_=round_)
            for n in range(1, 46):
                home = gen.rng.choice(subdistricts)
                family, _ = account_create(
                    actor=self.system,
                    username=f"family{round_.pk}{n:02d}",
                    display_name=gen.person_name(),
                    role=Role.GUARDIAN,
                    region=home,
                    sign_in=False,
                )
                birth = admission - dt.timedelta(days=gen.rng.randint(24 * 31, 34 * 30))
                sex = gen.rng.choice(("male", "female"))
                relation = gen.rng.choice((Relation.MOTHER, Relation.FATHER))
                picks = [p.pk for p in gen.rng.sample(programs, k=gen.rng.choice((1, 2, 3)))]
                day = max(opens, on - dt.timedelta(days=6))
                with clock.replaying(dt.datetime.combine(day, dt.time(9, n))):
                    child = family_child_register(
                        actor=Actor(user=family),
                        data=dict(
                            name=gen.person_name(),
                            id_number=gen.id_number(birth, sex),
                            birth_date=birth,
                            sex=sex,
                            residence=home,
                        ),
                        relation=relation,
                    )
                    application_submit(actor=Actor(user=family), round_=round_, child=child, choices=picks)
        # The demo guardian "parent2" has a toddler who is not in care yet and can apply in the browser.
        parent2 = next(u for u in users if u.username == "parent2")
        birth = admission - dt.timedelta(days=28 * 30)
        family_child_register(
            actor=Actor(user=parent2),
            data=dict(
                name="冯小禾",
                id_number=gen.id_number(birth, "female"),
                birth_date=birth,
                sex="female",
                residence=parent2.region,
            ),
            relation=Relation.FATHER,
        )


# Registered institutions whose filing is under way in the demo: index → (state, working days ago).
DEMO_OPEN_FILINGS = {27: (State.SUBMITTED, 2), 36: (State.SUBMITTED, 7), 50: (State.RETURNED, 12)}
APPLICANT_INSTITUTION = 12  # registered, nothing filed yet: the demo's "applicant" starts here
REGULATOR_NAME = "周卫民"
INSPECTOR_NAME = "赵执法"
# A blank one-page PDF stands in for each scanned material of the demo's filings.
BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _ledger_numbers(planned: list[Institution], *, since: dt.date) -> dict[int, str]:
    """The filing numbers the paper ledger gave, in filing order within each year."""
    numbers, counts = {}, Counter()
    for inst in sorted((i for i in planned if i.filed_on and i.filed_on < since), key=lambda i: i.filed_on):
        counts[inst.filed_on.year] += 1
        short = COUNTY[1].split("（")[0]
        numbers[id(inst)] = f"{short}卫健托备〔{inst.filed_on.year}〕{counts[inst.filed_on.year]:03d}号"
    return numbers


def _working_days_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        count -= is_working_day(day)
    return day
