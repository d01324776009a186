"""Registration rules that follow from an institution's legal form (P21: 000 §三(六)2, 002 §二(二)1;
备案办法 art. 1). Pure functions; the registry, the import and the filing review all use them."""

from __future__ import annotations

from tuoyu.engines.policy.vocabulary import REGISTRAR_BY_CREDIT_CODE, REGISTRATION_AUTHORITIES

# 事业单位 → 编制; 社会服务机构 → 民政; 企业、个体工商户 → 市场监管 (codes of REGISTRATION_AUTHORITIES).
_AUTHORITY_BY_FORM = {
    "public_institution": "staffing_office",
    "social_service_org": "civil_affairs",
    "enterprise": "market_regulation",
    "individual_business": "market_regulation",
}
# The credit code's first character each of those offices gives (GB 32100).
_CREDIT_CODE_CHARACTER = {office: character for character, office in REGISTRAR_BY_CREDIT_CODE.items()}
_NATURE_BY_FORM = {
    "public_institution": "non_profit",
    "social_service_org": "non_profit",
    "enterprise": "for_profit",
    "individual_business": "for_profit",
}
# P16: 000 §三(六)2 — the registered scope must name the care of children under three.
BUSINESS_SCOPE_TERMS = ("托育服务", "3岁以下婴幼儿照护服务", "三岁以下婴幼儿照护服务")


def registration_authority(legal_form: str) -> str:
    """The office that registers the legal form under 备案办法 (a code of REGISTRATION_AUTHORITIES)."""
    return _AUTHORITY_BY_FORM[legal_form]


def registration_problems(
    *, legal_form: str, nature: str, credit_code: str, business_scope: str
) -> list[str]:
    """What is inconsistent in an institution's registration data, in Chinese; empty when nothing is."""
    problems = []
    authority = registration_authority(legal_form)
    expected = _CREDIT_CODE_CHARACTER[authority]
    if credit_code and credit_code[0] != expected:
        problems.append(
            f"统一社会信用代码第1位为“{credit_code[0]}”，与法人类型应由{REGISTRATION_AUTHORITIES[authority]}登记"
            f"（代码应以“{expected}”开头）不一致"
        )
    if nature != _NATURE_BY_FORM[legal_form]:
        problems.append(
            "法人类型与营利性质不一致：事业单位和社会服务机构为非营利性，企业和个体工商户为营利性"
        )
    if business_scope and not any(term in business_scope for term in BUSINESS_SCOPE_TERMS):
        problems.append("经营（业务）范围未注明“托育服务”或“3岁以下婴幼儿照护服务”")
    return problems


# Registration data: corrected freely before the first filing, afterwards only by a change filing
# (备案办法 art. 5: change of registration → the filing is updated). Field → label.
REGISTRATION_FIELDS = {
    "name": "机构名称",
    "address": "地址",
    "places": "托位数",
    "legal_form": "法人类型",
    "registered_with": "登记机关",
    "nature": "性质",
    "operator": "举办形式",
    "provision_model": "办托模式",
    "affordable": "普惠性",
    "business_scope": "经营（业务）范围",
    "min_age_months": "最小收托月龄",
    "max_age_months": "最大收托月龄",
}
