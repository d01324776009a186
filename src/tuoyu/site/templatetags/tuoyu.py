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
