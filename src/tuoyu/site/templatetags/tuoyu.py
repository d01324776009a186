"""Template filters available in every template (registered as builtins in settings)."""

from __future__ import annotations

from django import template

from tuoyu.engines import identifiers

register = template.Library()


@register.filter
def mask_id(value: str | None) -> str:
    return identifiers.mask_id_number(value)


@register.filter
def mask_phone(value: str | None) -> str:
    return identifiers.mask_mobile(value)


@register.filter
def mask_name(value: str | None) -> str:
    return identifiers.mask_name(value)


@register.filter
def per_mille(places: float | None, population: float | None) -> str:
    """Places per 1000 residents, one decimal, or — when the population is unknown."""
    if not population:
        return "—"
    return f"{(places or 0) * 1000 / population:.2f}"


@register.filter
def percent(part: float | None, whole: float | None) -> str:
    if not whole:
        return "—"
    return f"{(part or 0) * 100 / whole:.0f}%"


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key) if isinstance(mapping, dict) else None


# --- codes for machines, Chinese for people ---------------------------------------------------------


@register.filter
def rule_title(rule_id: str) -> str:
    """The Chinese title of a standards rule (findings store the stable id, ``class.size``)."""
    from tuoyu.engines.policy.rules import RULES

    titles = {rule.id: rule.title for rule in RULES}
    return titles.get(rule_id, "标准核查")


@register.filter
def cite(source) -> str:
    """A finding's or parameter's source as people read it: document, clause, and a note when the
    wording was not read in the official text. Accepts the stored dict or a ``Source``."""
    from tuoyu.engines.policy.profiles import CONFIDENCE_NOTES

    if not source:
        return "—"
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, None)
    clause = get("clause") or ""
    note = CONFIDENCE_NOTES.get(get("confidence") or "A", "")
    return f"{get('document') or ''} {clause}".strip() + (f"（{note}）" if note else "")


@register.filter
def cite_formal(source) -> str:
    """The citation an official document prints: the document and, when known, the clause; the
    platform's own notes on how a source was read stay on the platform's pages."""
    if not source:
        return "—"
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, None)
    clause = get("clause") or ""
    if "未注明" in clause:
        clause = ""
    return f"{get('document') or ''} {clause}".strip()


@register.filter
def confidence_note(confidence: str | None) -> str:
    from tuoyu.engines.policy.profiles import CONFIDENCE_NOTES

    return CONFIDENCE_NOTES.get(confidence or "A", "")


@register.filter
def profile_title(name: str) -> str:
    """A policy profile by its Chinese title (四川省泸州市龙马潭区), never its file name."""
    from tuoyu.engines import policy

    try:
        return policy.load_profile(name).title
    except policy.PolicyError:
        return "全国通用规则"
