"""Public pages of the policy profiles: every parameter with its source, and what differs between two.

Policy is public information: these pages need no login and read only the policy engine.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tuoyu import inputs
from tuoyu.engines import policy
from tuoyu.engines.policy.catalogue import CATALOGUE
from tuoyu.engines.policy.profiles import display_value


def _on(request: HttpRequest) -> dt.date:
    return inputs.query_date(request, "on", default=timezone.localdate())


def _profile(name: str):
    try:
        return policy.load_profile(name)
    except policy.UnknownProfile:
        raise Http404("没有这个政策配置。") from None


def profiles(request: HttpRequest) -> HttpResponse:
    return render(request, "site/policy_list.html", {"profiles": policy.list_profiles(), "on": _on(request)})


def profile(request: HttpRequest, name: str) -> HttpResponse:
    current, on = _profile(name), _on(request)
    rows = [
        {
            "param": param,
            "title": CATALOGUE[param.key].title if param.key in CATALOGUE else "",
            "value": display_value(param.value),
            "inherited": param.source.profile != current.name,
            "restated": [(display_value(v), s) for v, s in param.restated],
        }
        for param in current.effective(on)
    ]
    context = {"profile": current, "on": on, "rows": rows, "others": [p for p in policy.list_profiles() if p.name != name]}
    return render(request, "site/policy_profile.html", context)


def compare(request: HttpRequest) -> HttpResponse:
    a = _profile(inputs.query_text(request, "a", max_length=60) or "national")
    b = _profile(inputs.query_text(request, "b", max_length=60) or "national")
    on = _on(request)
    rows = [
        {
            "key": row["key"],
            "title": CATALOGUE[row["key"]].title if row["key"] in CATALOGUE else "",
            "unit": row["unit"],
            "a": row["a"] and {**row["a"], "text": display_value(row["a"]["value"])},
            "b": row["b"] and {**row["b"], "text": display_value(row["b"]["value"])},
        }
        for row in policy.diff(a, b, on)
    ]
    context = {"a": a, "b": b, "on": on, "rows": rows, "profiles": policy.list_profiles()}
    return render(request, "site/policy_diff.html", context)
