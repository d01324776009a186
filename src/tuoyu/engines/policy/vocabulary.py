"""The platform's code lists, each written once: the codes facts files, profiles and the database
store, with their Chinese names.

The engines read them here; the Django models build their ``choices`` from them (kernel/choices.py),
and tests/kernel/test_code_lists.py checks every model field with choices against this module, so
a code or a label can no longer differ between the checker, the forms and the stored data.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tuoyu.engines.identifiers import RegistrationDepartment


class Codes(dict[str, str]):
    """A code list, in display order: code → the Chinese name used in running text ("乳儿班班额").

    An entry may be ``(name, note)``: a form shows the note in brackets after the name where the name
    alone leaves the choice open ("乳儿班（6–12个月）"), while sentences keep the bare name.
    """

    def __init__(self, entries: Mapping[str, str | tuple[str, str]]) -> None:
        super().__init__(
            (code, entry if isinstance(entry, str) else entry[0]) for code, entry in entries.items()
        )
        self._notes = {code: entry[1] for code, entry in entries.items() if not isinstance(entry, str)}

    def label(self, code: str) -> str:
        """The name as a form or a table shows it: with its note, when it has one."""
        note = self._notes.get(code)
        return f"{self[code]}（{note}）" if note else self[code]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(code, label) pairs in order, as Django's ``choices`` take them."""
        return [(code, self.label(code)) for code in self]


# --- the institution ------------------------------------------------------------------------------

NATURES = Codes({"for_profit": "营利性", "non_profit": "非营利性"})

# Legal forms, as the registry records them. Registration may follow the legal form rather than the
# nature alone (003 附件2: 事业单位 → #1 区委编办; 个体工商户 → #16 区市场监管局; 法人 → #18 区行政审批局).
# The registering office follows from it too (P21; 备案办法 art. 1): kernel/registry/rules.py.
LEGAL_FORMS = Codes(
    {
        "public_institution": "事业单位",
        # The form's former name is what many licences still print.
        "social_service_org": ("社会服务机构", "民办非企业单位"),
        "enterprise": "企业",
        "individual_business": "个体工商户",
    }
)

OPERATORS = Codes(
    {
        "public": "公办",
        "public_owned_private_run": "公办民营",
        "private_public_aided": "民办公助",
        "private": "民办",
        "employer": "用人单位办",
    }
)

# The "6+X" provision models of 001 §四(一), and the two further kinds the localities name.
PROVISION_MODELS = Codes(
    {
        "health_centre": "卫生中心专业办",
        "community": "社区小区配套办",
        "kindergarten": ("幼儿园托幼一体办", "托班"),
        "government": "机关事业带头办",
        "employer": "企业单位鼓励办",
        "market": "社会机构市场办",
        "home_point": "家庭托育点",
        "community_station": "社区驿站",
    }
)

# P61: 000 §三(二)2, 002 §二(一)5.
SERVICE_TYPES = Codes(
    {"full_day": "全日托", "half_day": "半日托", "hourly": "计时托", "occasional": "临时托"}
)

TENURES = Codes({"owned": "自有", "leased": "租赁"})

# Where an institution stands in the registry: registered, then filed (备案办法), until it closes.
INSTITUTION_STATUSES = Codes(
    {
        "registered": "已登记未备案",
        "filed": "已备案",
        "suspended": "停业整顿",
        "closed": "已注销",
    }
)

# --- departments ----------------------------------------------------------------------------------

# The departments of the duty matrix (000 附件, 003 附件2) that have accounts on the platform; an
# account works for one of them, and a joint inspection names those its teams must include (P67).
DEPARTMENTS = Codes(
    {
        "health": "卫生健康",
        "public_security": "公安",
        "fire": "消防救援",
        "market_regulation": "市场监管",
        "civil_affairs": "民政",
        "education": "教育",
        "staffing": "机构编制",
        # 疾病预防控制机构: receives the outbreak reports and guides institutions' infection control
        # (000 §三(七)2, NATIONAL.md "Health and infectious disease").
        "disease_control": "疾病预防控制",
    }
)

# --- registration ---------------------------------------------------------------------------------

REGISTRATION_AUTHORITIES = Codes(
    {
        "staffing_office": "机构编制部门",
        "civil_affairs": "民政部门",
        "market_regulation": "市场监管部门",
        # Where registration has moved to one approval office (e.g. 龙马潭区行政审批局, 003 附件2 #18).
        "administrative_approval": "行政审批局",
    }
)

# The first character of a credit code names the registration regime (GB 32100) and, usually, the
# office. A 行政审批局 (003 附件2 #18) issues codes of the 民政 and 市场监管 regimes too, so for those
# two the character alone does not prove who registered (kernel/people/facts.py).
REGISTRAR_BY_CREDIT_CODE: Mapping[str, str] = MappingProxyType(
    {
        RegistrationDepartment.STAFFING: "staffing_office",
        RegistrationDepartment.CIVIL_AFFAIRS: "civil_affairs",
        RegistrationDepartment.MARKET_REGULATION: "market_regulation",
    }
)

# --- classes and people ---------------------------------------------------------------------------

# P06 (003 §四(一)); N01 (设置标准 art. 19). The ages tell the choices apart on a form.
CLASS_TYPES = Codes(
    {
        "infant": ("乳儿班", "6–12个月"),
        "young_toddler": ("托小班", "12–24个月"),
        "older_toddler": ("托大班", "24–36个月"),
        "mixed": "混龄班",
    }
)

SEXES = Codes({"male": "男", "female": "女"})

# A guardian's relation to the child.
RELATIONS = Codes(
    {
        "mother": "母亲",
        "father": "父亲",
        "grandparent": "祖父母/外祖父母",
        "other": "其他监护人",
    }
)

# P09 (003 §四(五)一): management, care, health care and security.
ROLES = Codes(
    {
        "manager": "负责人（综合管理）",
        "caregiver": "保育人员",
        "health_staff": "卫生保健人员",
        "security_guard": "保安员",
        "cook": "炊事人员",
        "other": "其他",
    }
)

# Ordered from lowest to highest. 高中 and 中专 are the same (upper-secondary) level, so a
# requirement of "中专以上" is met by either.
EDUCATION = Codes(
    {
        "junior_high": "初中",
        "senior_high": "高中",
        "secondary_vocational": "中专",
        "college": "大专",
        "bachelor": "本科",
        "master": "研究生",
    }
)
EDUCATION_RANK = {
    "junior_high": 0,
    "senior_high": 1,
    "secondary_vocational": 1,
    "college": 2,
    "bachelor": 3,
    "master": 4,
}

CERTIFICATES = Codes(
    {
        "childcare_worker": "保育员（保育师）证",
        "infant_carer": "育婴员证",
        "manager_training": "负责人岗位培训合格",
        "health_care_training": "卫生保健培训合格",
        "security_guard_licence": "保安员证",
        "teacher": "教师资格证",
        "nurse": "护士执业证书",
        "doctor": "医师执业证书",
    }
)

# The dated checks every staff member passes on hiring and again on the profile's interval: the
# health examination (P17, N14) and the criminal-record query (N15).
STAFF_CHECKS = Codes({"health_exam": "健康检查", "criminal_record": "违法犯罪记录查询"})

# Training a staff member records: before taking up the post (the manager's post training of N04
# counts these hours) and continuing training while in post.
TRAINING_STAGES = Codes({"pre_service": "岗前培训", "continuing": "在岗继续培训"})

# Chinese names accepted in facts in place of the code.
CERTIFICATE_ALIASES = {
    "保育员": "childcare_worker",
    "保育师": "childcare_worker",
    "保育员证": "childcare_worker",
    "保育师证": "childcare_worker",
    "保育员（保育师）证": "childcare_worker",
    "育婴员": "infant_carer",
    "育婴师": "infant_carer",
    "育婴员证": "infant_carer",
    "负责人岗位培训合格": "manager_training",
    "负责人岗位培训合格证明": "manager_training",
    "岗位培训合格证": "manager_training",
    "卫生保健培训合格": "health_care_training",
    "卫生保健培训合格证明": "health_care_training",
    "卫生保健人员培训合格": "health_care_training",
    "保安员证": "security_guard_licence",
    "教师资格证": "teacher",
    "教师": "teacher",
    "护士": "nurse",
    "护士执业证书": "nurse",
    "医师": "doctor",
    "医师执业证书": "doctor",
}

# Bit positions for the batch path (a staff member's certificates as one integer).
CERTIFICATE_BITS = {code: 1 << i for i, code in enumerate(CERTIFICATES)}


def certificate_code(name: str) -> str | None:
    """The certificate code for a code or a Chinese alias, or None if unknown."""
    if name in CERTIFICATES:
        return name
    return CERTIFICATE_ALIASES.get(name.strip())


# --- health ---------------------------------------------------------------------------------------

# What a morning or midday check (晨午检, P18) records of a child: the fixed vocabulary the caregiver
# taps. Which of them count as the "similar symptoms" of the class reporting rule is a profile
# parameter (outbreak.class_cluster.symptoms).
SYMPTOMS = Codes(
    {
        "fever": "发热",
        "rash": "皮疹",
        "diarrhoea": "腹泻",
        "vomiting": "呕吐",
        "jaundice": "黄疸",
        "cough": "咳嗽",
        "conjunctivitis": ("结膜充血", "红眼"),
        "mouth_ulcers": ("口腔溃疡", "疱疹"),
    }
)

# Diagnoses a check row may carry, each with an outbreak threshold of its own (the Zhejiang standard
# the national profile cites). A diagnosis comes from a doctor; symptoms alone never make one.
DIAGNOSES = Codes(
    {
        "hfmd": "手足口病",
        "norovirus": "诺如病毒感染",
        "dysentery": "细菌性痢疾",
        "haemorrhagic_conjunctivitis": "急性出血性结膜炎",
        "influenza_like": "流感样病例",
        "scarlet_fever": "猩红热",
        "measles": "麻疹",
        "rubella": "风疹",
        "mumps": "流行性腮腺炎",
        "varicella": "水痘",
    }
)

# --- attendance and pickup -------------------------------------------------------------------------

# Why a child is absent (P19: attendance logged daily; every sick absence followed up the same day).
ABSENCE_REASONS = Codes({"sick": "病假", "leave": "事假", "other": "其他"})

# Who an adult a guardian authorises to collect the child is to the child (P19, 000 §三(八)2).
PICKUP_RELATIONS = Codes(
    {
        "grandparent": "祖父母/外祖父母",
        "relative": "其他亲属",
        "nanny": "保姆",
        "friend": "朋友、邻居",
        "other": "其他",
    }
)

# The two sittings of the daily health check (晨午检, P18).
CHECK_SITTINGS = Codes({"morning": "晨检", "midday": "午检"})

# What the caregiver did about a child with a finding at a check (P18; NATIONAL.md: suspected
# infectious disease → guardian notified, child leaves for diagnosis). A child sent home is always
# reported to the guardians, so "guardian notified" is for the children who stay.
CHECK_ACTIONS = Codes(
    {
        "observe": "留班观察",
        "isolate": "隔离观察",
        "sent_home": ("离园就医", "通知家长接回"),
        "guardian_notified": "已告知家长",
    }
)


# --- growth monitoring ---------------------------------------------------------------------------

# The growth references z-scores are computed against (engines/growth); a profile names one.
GROWTH_REFERENCES = Codes(
    {
        "who_2006": "世界卫生组织儿童生长标准（2006）",
        "wst_423_2022": "7岁以下儿童生长标准（WS/T 423—2022）",
    }
)

# What a measurement's z-scores flag, each to the health staff (WHO's cut-offs at 2 SD).
GROWTH_FLAGS = Codes(
    {
        "underweight": "低体重",
        "stunting": "生长迟缓",
        "wasting": "消瘦",
        "overweight": "超重",
    }
)


# --- planning -------------------------------------------------------------------------------------

# Where planning norms differ (P35 new residential areas, P36 old and built-up areas); the policy
# seeds set no norm for rural areas (engines/policy/targets.py reads which have one).
AREA_TYPES = Codes(
    {
        "new_residential": "新建居住区",
        "built_up": "老城区和已建成居住区",
        "rural": "农村地区",
    }
)
