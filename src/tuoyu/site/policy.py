"""Public pages of the policy profiles: every parameter with its source, and what differs between two.

Policy is public information: these pages need no login and read only the policy engine.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tuoyu import clock, inputs
from tuoyu.engines import policy
from tuoyu.engines.policy import vocabulary
from tuoyu.engines.policy.catalogue import CATALOGUE, unit_label
from tuoyu.engines.policy.profiles import CONFIDENCE_NOTES, display_value

LEVELS = {"national": "全国", "province": "省级", "city": "市级", "district": "区县级"}
CONFIDENCE_LABELS = {"A": "官方原文", "B": "转引资料", "draft": "征求意见稿"}
_VOCABULARIES = {
    "role": vocabulary.ROLES,
    "education": vocabulary.EDUCATION,
    "certificate": vocabulary.CERTIFICATES,
    "operator": vocabulary.OPERATORS,
    "class_type": vocabulary.CLASS_TYPES,
    "symptom": vocabulary.SYMPTOMS,
}


def readable(key: str, value) -> str:
    """A parameter's value as people read it: codes by their Chinese names, shares as percentages,
    age ranges in months, yearly targets by year. ``display_value`` is the plain fallback."""
    kind = CATALOGUE[key].kind if key in CATALOGUE else ""
    return _readable(kind, value)


def _readable(kind: str, value) -> str:
    if value is None:
        return "—"
    if kind.startswith("by_year:"):
        return "；".join(f"{year}年：{_readable(kind[8:], item)}" for year, item in value.items())
    if kind.startswith(("codes:", "code:")):
        names = _VOCABULARIES.get(kind.split(":", 1)[1], {})
        items = value if isinstance(value, list | tuple) else [value]
        return "、".join(names.get(item, str(item)) for item in items)
    if kind == "authority_map":
        who = {**vocabulary.NATURES, **vocabulary.LEGAL_FORMS}
        return "；".join(
            f"{who.get(key, key)}：{'、'.join(vocabulary.REGISTRATION_AUTHORITIES.get(a, a) for a in offices)}"
            for key, offices in value.items()
        )
    if kind in ("age_range", "range"):
        low, high = value
        return f"{low}–{high}"
    if kind == "ratio":
        return f"{float(value) * 100:g}%"
    if kind == "flag":
        return "是" if value else "否"
    return display_value(value)


def unit_text(key: str, unit: str) -> str:
    """The unit in Chinese; a share shown as a percentage needs none."""
    kind = CATALOGUE[key].kind if key in CATALOGUE else ""
    if (
        kind.endswith("ratio")
        or kind == "flag"
        or kind.startswith(("codes:", "code:"))
        or kind in ("texts", "authority_map")
    ):
        return ""
    return unit_label(unit) if unit else ""


def _on(request: HttpRequest) -> dt.date:
    return inputs.query_date(request, "on", default=clock.today())


def _profile(name: str):
    try:
        return policy.load_profile(name)
    except policy.UnknownProfile:
        raise Http404("没有这个政策配置。") from None


def profiles(request: HttpRequest) -> HttpResponse:
    rows = [{"profile": p, "level": LEVELS.get(p.level, p.level)} for p in policy.list_profiles()]
    return render(
        request,
        "site/policy_list.html",
        {"rows": rows, "profiles": policy.list_profiles(), "on": _on(request)},
    )


def profile(request: HttpRequest, name: str) -> HttpResponse:
    current, on = _profile(name), _on(request)
    titles = {p.name: p.title for p in policy.list_profiles()}
    rows = [
        {
            "param": param,
            "title": CATALOGUE[param.key].title if param.key in CATALOGUE else "参数",
            "value": readable(param.key, param.value),
            "unit": unit_text(param.key, param.unit),
            "inherited": titles.get(param.source.profile) if param.source.profile != current.name else None,
            "restated": [(readable(param.key, v), s) for v, s in param.restated],
            "confidence": CONFIDENCE_LABELS.get(param.source.confidence, param.source.confidence),
            "confidence_note": CONFIDENCE_NOTES.get(param.source.confidence, ""),
        }
        for param in current.effective(on)
    ]
    context = {
        "profile": current,
        "level": LEVELS.get(current.level, current.level),
        "on": on,
        "rows": rows,
        "others": [p for p in policy.list_profiles() if p.name != name],
    }
    return render(request, "site/policy_profile.html", context)


def compare(request: HttpRequest) -> HttpResponse:
    a = _profile(inputs.query_text(request, "a", max_length=60) or "national")
    b = _profile(inputs.query_text(request, "b", max_length=60) or "national")
    on = _on(request)
    rows = [
        {
            "key": row["key"],
            "title": CATALOGUE[row["key"]].title if row["key"] in CATALOGUE else "参数",
            "unit": unit_text(row["key"], row["unit"]),
            "a": row["a"] and {**row["a"], "text": readable(row["key"], row["a"]["value"])},
            "b": row["b"] and {**row["b"], "text": readable(row["key"], row["b"]["value"])},
        }
        for row in policy.diff(a, b, on)
    ]
    context = {"a": a, "b": b, "on": on, "rows": rows, "profiles": policy.list_profiles()}
    return render(request, "site/policy_diff.html", context)
