"""Template filters available in every template (registered as builtins in settings)."""

from __future__ import annotations

import functools

from django import template

from tuoyu.engines import identifiers, per_1000

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
    """Places per 1000 residents as measured ("4.05"), or — when the population is unknown."""
    return per_1000.text(places, population)


@register.filter
def per_1000_stated(value) -> str:
    """A norm or target in places per 1000 as the document states it ("8", "4.7", "4.04")."""
    return per_1000.stated(value)


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
    return _rule_titles().get(rule_id, "标准核查")


@functools.cache
def _rule_titles() -> dict[str, str]:
    from tuoyu.engines.policy import RULES

    return {rule.id: rule.title for rule in RULES}


def _citation(source, *, formal: bool) -> str:
    from tuoyu.engines.policy.profiles import citation

    if not source:
        return "—"
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, None)
    return citation(get("document") or "", get("clause") or "", get("confidence") or "A", formal=formal)


@register.filter
def cite(source) -> str:
    """A finding's or parameter's source (the stored dict or a ``Source``) as the platform's pages show
    it: document, clause, and a note when the wording was not read in the official text."""
    return _citation(source, formal=False)


@register.filter
def cite_formal(source) -> str:
    """The citation an official document prints (the receipt's notice of basic conditions)."""
    return _citation(source, formal=True)


@register.filter
def profile_title(name: str) -> str:
    """A policy profile by its Chinese title (四川省泸州市龙马潭区), never its file name."""
    from tuoyu.engines import policy

    try:
        return policy.load_profile(name).title
    except policy.PolicyError:
        return "全国通用规则"
