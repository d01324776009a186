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
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tuoyu.devtools.demo_logins import DEMO_PASSWORD
from tuoyu.domains.enrollment.models import Application
from tuoyu.domains.enrollment.services import program_add, round_create, round_open
from tuoyu.domains.filings.models import Event, Filing, Kind, State
from tuoyu.domains.filings.rules import clock_days, deadlines
from tuoyu.domains.filings.services import next_receipt_number
from tuoyu.engines import policy
from tuoyu.engines.calendar import add_working_days, is_working_day
from tuoyu.engines.identifiers import make_credit_code, make_id_number
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Department, Role, User
from tuoyu.kernel.audit.trail import record_created
from tuoyu.kernel.people.facts import institution_facts
from tuoyu.kernel.people.models import (
    CareClass,
    Child,
    ClassType,
    Guardianship,
    Relation,
    StaffMember,
    StaffRole,
)
from tuoyu.kernel.people.standards import institution_findings
from tuoyu.kernel.regions.models import AreaType, Population, PopulationCell, Region
from tuoyu.kernel.registry.declarations import DECLARATIONS
from tuoyu.kernel.registry.models import (
    Institution,
    LegalForm,
    Membership,
    Nature,
    Operator,
    ProvisionModel,
    ServiceType,
    Status,
    Tenure,
)

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


@transaction.atomic
def build_demo_county(*, seed: int = DEMO_SEED, on: dt.date | None = None) -> DemoSummary:
    """Create the synthetic county with its institutions, people and demo accounts, audited as one batch."""
    actor = Actor.system("示例数据生成")
    gen = _Generator(seed, on or dt.date.today())
    summary = DemoSummary()
    county, subdistricts, communities = gen.regions()
    summary.regions = 3 + len(subdistricts) + len(communities)

    plan = [model for model, count in MODEL_MIX for _ in range(count)]
    institutions, all_classes, all_children, all_staff = [], [], [], []
    for index, model in enumerate(plan):
        # Institutions spread over subdistricts in proportion to their population, rural ones thinner.
        weights = [
            people * (0.6 if area == AreaType.RURAL else 1.0) for _, _, area, people, _ in SUBDISTRICTS
        ]
        sub = gen.rng.choices(subdistricts, weights=weights)[0] if index else subdistricts[0]
        problems = DELIBERATE_PROBLEMS.get(index, ())
        inst = gen.institution(index, model, sub, problems)
        institutions.append((inst, problems))
    for inst, _ in institutions:
        inst.save()
    for inst, problems in institutions:
        classes, children, staff = gen.classes_and_people(inst, problems, subdistricts)
        if "over_capacity" in problems:
            inst.save(update_fields=["places"])
        all_classes += classes
        all_children += children
        all_staff += staff
        if problems:
            summary.problems[inst.name] = problems
    CareClass.objects.bulk_create(all_classes)
    for child in all_children:
        child.care_class_id = child.care_class.pk
    for member in all_staff:
        member.care_class_id = member.care_class.pk if member.care_class else None
    Child.objects.bulk_create(all_children, batch_size=500)
    StaffMember.objects.bulk_create(all_staff, batch_size=500)

    filings = _demo_filings(gen, [inst for inst, _ in institutions])
    users = _demo_users(gen, county, [inst for inst, _ in institutions], all_children)
    lottery = _demo_round(gen, county, [inst for inst, _ in institutions], subdistricts, users)
    summary.users = len(users)
    summary.institutions = len(institutions)
    summary.classes = len(all_classes)
    summary.children = len(all_children)
    summary.staff = len(all_staff)
    created = [
        county,
        *subdistricts,
        *(inst for inst, _ in institutions),
        *all_classes,
        *all_children,
        *all_staff,
        *filings,
        *lottery,
    ]
    summary.audit_events = record_created(actor, created, note="示例数据生成")
    return summary


# Registered institutions whose filing is under way in the demo: index → (state, working days ago).
DEMO_OPEN_FILINGS = {27: ("submitted", 2), 36: ("submitted", 7), 50: ("returned", 12)}
APPLICANT_INSTITUTION = 12  # registered, nothing filed yet: the demo's "applicant" starts here


def _demo_filings(gen: _Generator, institutions: list[Institution]) -> list:
    """A filing history for the filed institutions and a few filings in progress for the queue;
    returns the rows created, for the audit trail."""
    created: list = []
    actor_name = "示例数据生成"
    decided = sorted((i for i in institutions if i.filed_on), key=lambda i: (i.filed_on, i.pk))
    for inst in decided:
        submitted = inst.filed_on - dt.timedelta(days=gen.rng.randint(2, 6))
        number = next_receipt_number(inst, Kind.INITIAL, inst.filed_on)
        inst.filing_number = number
        inst.save(update_fields=["filing_number"])
        filing = Filing.objects.create(
            institution=inst,
            kind=Kind.INITIAL,
            state=State.ACCEPTED,
            version=2,
            commitment_signed_by=inst.contact_name,
            commitment_signed_at=_midday(submitted),
            submitted_at=_midday(submitted),
            receipt_due=add_working_days(submitted, 5),
            notice_due=add_working_days(submitted, 15),
            decided_at=_midday(inst.filed_on),
            receipt_number=number,
            created_at=_midday(submitted),
        )
        created += [
            filing,
            *Event.objects.bulk_create(
                [
                    Event(
                        filing=filing,
                        at=_midday(submitted),
                        actor_name=actor_name,
                        from_state=State.DRAFT,
                        to_state=State.SUBMITTED,
                    ),
                    Event(
                        filing=filing,
                        at=_midday(inst.filed_on),
                        actor_name=actor_name,
                        from_state=State.SUBMITTED,
                        to_state=State.ACCEPTED,
                        note=f"回执编号 {number}",
                    ),
                ]
            ),
        ]
    for index, (state, days_ago) in DEMO_OPEN_FILINGS.items():
        inst = institutions[index]
        submitted = _working_days_before(gen.on, days_ago)
        receipt_due, notice_due = deadlines(
            submitted, **clock_days(policy.load_profile(COUNTY_PROFILE), submitted)
        )
        filing = Filing.objects.create(
            institution=inst,
            kind=Kind.INITIAL,
            state=state,
            version=1 if state == "submitted" else 2,
            commitment_signed_by=inst.contact_name,
            commitment_signed_at=_midday(submitted),
            submitted_at=_midday(submitted),
            receipt_due=receipt_due,
            notice_due=notice_due,
            created_at=_midday(submitted),
            submitted_facts=institution_facts(inst),
            findings=institution_findings(inst, submitted),
        )
        events = [
            Event(
                filing=filing,
                at=_midday(submitted),
                actor_name=inst.contact_name,
                from_state=State.DRAFT,
                to_state=State.SUBMITTED,
            )
        ]
        if state == "returned":
            filing.return_reasons = "托幼机构卫生评价报告未附；保育人员与婴幼儿比例不足。"
            filing.rectify_by = gen.on + dt.timedelta(days=20)
            filing.decided_at = _midday(add_working_days(submitted, 4))
            filing.save(update_fields=["return_reasons", "rectify_by", "decided_at"])
            events.append(
                Event(
                    filing=filing,
                    at=filing.decided_at,
                    actor_name="周卫民（regulator）",
                    from_state=State.SUBMITTED,
                    to_state=State.RETURNED,
                    note=f"限期{filing.rectify_by:%Y-%m-%d}前整改：{filing.return_reasons}",
                )
            )
        created += [filing, *Event.objects.bulk_create(events)]
    return created


def _demo_round(
    gen: _Generator,
    county: Region,
    institutions: list[Institution],
    subdistricts: list[Region],
    users: list[User],
) -> list:
    """Two admission rounds for toddler classes (003 §四(三) lotteries), each oversubscribed by
    synthetic families: one still open (apply as ``parent2``), one whose application window has
    just closed (freeze, commit, draw and re-allocate as ``regulator``). Returns the rows created."""
    actor = Actor.system("示例数据生成")
    admission = dt.date(gen.on.year + (gen.on.month >= 3), 3, 1)
    kindergartens = [
        i
        for i in institutions
        if i.provision_model == ProvisionModel.KINDERGARTEN and i.status == Status.FILED
    ]
    created: list = []
    windows = (
        ("春季托班招收", gen.on - dt.timedelta(days=7), gen.on + dt.timedelta(days=14), kindergartens[:3]),
        (
            "春季托班补充招收",
            gen.on - dt.timedelta(days=21),
            gen.on - dt.timedelta(days=1),
            kindergartens[3:6],
        ),
    )
    for title, opens, closes, offering in windows:
        round_ = round_create(
            actor=actor,
            region=county,
            name=f"{admission.year}年{title}（示例）",
            admission_date=admission,
            opens_on=opens,
            closes_on=closes,
            rules={"sibling": 1, "residence": 2},
        )
        programs = [
            program_add(
                actor=actor,
                round_=round_,
                institution=inst,
                class_type=ClassType.OLDER_TODDLER,
                classes=1,
                staying_on=gen.rng.randint(9, 13),
                on=opens,
            )  # about 30 places for 45 families: a real lottery
            for inst in offering
        ]
        round_open(
            actor=actor, round_=round_, on=opens
        )  # the services audit the round and its classes themselves
        for n in range(1, 46):
            home = gen.rng.choice(subdistricts)
            user = User.objects.create(
                username=f"family{round_.pk}{n:02d}",
                display_name=gen.person_name(),
                role=Role.GUARDIAN,
                region=home,
                password=make_password(None),
            )  # unusable: they only fill the lottery
            birth = admission - dt.timedelta(days=gen.rng.randint(24 * 31, 34 * 30))
            sex = gen.rng.choice(("male", "female"))
            child = Child.objects.create(
                name=gen.person_name(),
                id_number=gen.id_number(birth, sex),
                birth_date=birth,
                sex=sex,
                residence=home,
            )
            Guardianship.objects.create(
                child=child, user=user, relation=gen.rng.choice((Relation.MOTHER, Relation.FATHER))
            )
            picks = [p.pk for p in gen.rng.sample(programs, k=gen.rng.choice((1, 2, 3)))]
            created += [
                child,
                Application.objects.create(
                    round=round_,
                    child=child,
                    guardian=user,
                    number=f"{round_.pk:03d}-{n:04d}",
                    choices=picks,
                    active_choices=picks,
                    submitted_at=timezone.make_aware(
                        dt.datetime.combine(max(opens, gen.on - dt.timedelta(days=6)), dt.time(9, n))
                    ),
                ),
            ]
    # The demo guardian "parent2" has a toddler who is not in care yet and can apply in the browser.
    parent2 = next(u for u in users if u.username == "parent2")
    birth = admission - dt.timedelta(days=28 * 30)
    toddler = Child.objects.create(
        name="冯小禾",
        id_number=gen.id_number(birth, "female"),
        birth_date=birth,
        sex="female",
        residence=parent2.region,
    )
    Guardianship.objects.create(child=toddler, user=parent2, relation=Relation.FATHER)
    return [*created, toddler]


def _midday(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def _working_days_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        count -= is_working_day(day)
    return day


def _demo_users(
    gen: _Generator, county: Region, institutions: list[Institution], children: list[Child]
) -> list[User]:
    password = make_password(DEMO_PASSWORD)
    city = Region.objects.get(code=CITY[0])
    guixiang = Region.objects.get(code=COUNTY[0] + "002")
    home = next(
        i
        for i in institutions
        if i.subdistrict_id == guixiang.pk
        and i.provision_model == ProvisionModel.COMMUNITY
        and i.status == Status.FILED
    )
    specs = [
        dict(
            username="regulator",
            display_name="周卫民",
            role=Role.REGULATOR,
            region=county,
            department=Department.HEALTH,
        ),
        dict(
            username="city",
            display_name="陈市监",
            role=Role.REGULATOR,
            region=city,
            department=Department.HEALTH,
        ),
        dict(
            username="police",
            display_name="刘警官",
            role=Role.DEPARTMENT,
            region=county,
            department=Department.PUBLIC_SECURITY,
        ),
        dict(
            username="market",
            display_name="孙市场",
            role=Role.DEPARTMENT,
            region=county,
            department=Department.MARKET_REGULATION,
        ),
        dict(
            username="inspector",
            display_name="赵执法",
            role=Role.INSPECTOR,
            region=county,
            department=Department.HEALTH,
        ),
        dict(username="expert", display_name="吴专家", role=Role.EXPERT, region=county),
        dict(username="manager", display_name="林园长", role=Role.MANAGER, region=guixiang),
        dict(username="caregiver", display_name="何老师", role=Role.CAREGIVER, region=guixiang),
        dict(
            username="applicant",
            display_name="许园长",
            role=Role.MANAGER,
            region=institutions[APPLICANT_INSTITUTION].subdistrict,
        ),
        dict(username="parent", display_name="郑家长", role=Role.GUARDIAN, region=guixiang),
        dict(
            username="parent2",
            display_name="冯家长",
            role=Role.GUARDIAN,
            region=county.children.order_by("code").first(),
        ),
    ]
    users = []
    for spec in specs:
        user = User(password=password, phone=gen.mobile(), **spec)
        user.save()
        users.append(user)
    by_name = {u.username: u for u in users}
    Membership.objects.create(user=by_name["manager"], institution=home)
    Membership.objects.create(user=by_name["caregiver"], institution=home)
    Membership.objects.create(user=by_name["applicant"], institution=institutions[APPLICANT_INSTITUTION])
    at_home = [c for c in children if c.institution_id == home.pk]
    elsewhere = [c for c in children if c.institution_id != home.pk]
    Guardianship.objects.create(child=at_home[0], user=by_name["parent"], relation=Relation.MOTHER)
    Guardianship.objects.create(
        child=elsewhere[len(elsewhere) // 2], user=by_name["parent"], relation=Relation.MOTHER
    )
    Guardianship.objects.create(
        child=elsewhere[len(elsewhere) // 3], user=by_name["parent2"], relation=Relation.FATHER
    )
    return users
