"""Codes used in facts and profiles, with their Chinese names (and, for certificates, aliases)."""

from __future__ import annotations

NATURES = {"for_profit": "营利性", "non_profit": "非营利性"}

# Legal forms, as the registry records them. Registration may follow the legal form rather than the
# nature alone (003 附件2: 事业单位 → #1 区委编办; 个体工商户 → #16 区市场监管局; 法人 → #18 区行政审批局).
LEGAL_FORMS = {
    "public_institution": "事业单位",
    "social_service_org": "社会服务机构",
    "enterprise": "企业",
    "individual_business": "个体工商户",
}

OPERATORS = {
    "public": "公办",
    "public_owned_private_run": "公办民营",
    "private_public_aided": "民办公助",
    "private": "民办",
    "employer": "用人单位办",
}

TENURES = {"owned": "自有", "leased": "租赁"}

CLASS_TYPES = {
    "infant": "乳儿班",
    "young_toddler": "托小班",
    "older_toddler": "托大班",
    "mixed": "混龄班",
}

ROLES = {
    "manager": "负责人（综合管理）",
    "caregiver": "保育人员",
    "health_staff": "卫生保健人员",
    "security_guard": "保安员",
    "cook": "炊事人员",
    "other": "其他人员",
}

# Ordered from lowest to highest. 高中 and 中专 are the same (upper-secondary) level, so a
# requirement of "中专以上" is met by either.
EDUCATION = {
    "junior_high": "初中",
    "senior_high": "高中",
    "secondary_vocational": "中专",
    "college": "大专",
    "bachelor": "本科",
    "master": "研究生",
}
EDUCATION_RANK = {
    "junior_high": 0,
    "senior_high": 1,
    "secondary_vocational": 1,
    "college": 2,
    "bachelor": 3,
    "master": 4,
}

SERVICE_TYPES = {"full_day": "全日托", "half_day": "半日托", "hourly": "计时托", "occasional": "临时托"}

REGISTRATION_AUTHORITIES = {
    "staffing_office": "机构编制部门",
    "civil_affairs": "民政部门",
    "market_regulation": "市场监管部门",
    # Where registration has moved to one approval office (e.g. 龙马潭区行政审批局, 003 附件2 #18).
    "administrative_approval": "行政审批局",
}

CERTIFICATES = {
    "childcare_worker": "保育员（保育师）证",
    "infant_carer": "育婴员证",
    "manager_training": "负责人岗位培训合格证明",
    "health_care_training": "卫生保健培训合格证明",
    "security_guard_licence": "保安员证",
    "teacher": "教师资格证",
    "nurse": "护士执业证书",
    "doctor": "医师执业证书",
}

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
