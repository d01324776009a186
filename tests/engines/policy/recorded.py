"""The recorded findings (``recorded_findings.json.gz``): what is in it and how it is encoded.

Findings are stored as the JSON of ``Finding.to_dict`` with the repeated parts pooled: every
distinct source once, each finding citing its sources by position. ``decode`` gives the plain
``to_dict`` form back, which is what the equivalence test compares.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).with_name("recorded_findings.json.gz")
PROFILES = [
    "national",
    "gansu",
    "jiangxi",
    "jiangsu-lianyungang",
    "sichuan-luzhou-longmatan",
    "zhejiang-wenzhou-ouhai",
]
DEMO_ON = dt.date(2026, 11, 23)
GENERATED_BATCHES = (16, 250)  # Hypothesis examples × institutions each

_FIELDS = ("rule", "provision", "status", "subject", "value", "limit", "message")


def encode(cases: list[tuple[str, str, str, dict]], findings: list[list[Any]]) -> dict:
    sources: dict[str, int] = {}
    out = []
    for (kind, profile, on, facts), found in zip(cases, findings, strict=True):
        rows = []
        for finding in found:
            d = finding.to_dict()
            cited = []
            for source in d["sources"]:
                text = json.dumps(source, ensure_ascii=False, sort_keys=True)
                cited.append(sources.setdefault(text, len(sources)))
            rows.append([d[field] for field in _FIELDS] + [cited])
        out.append({"kind": kind, "profile": profile, "on": on, "facts": facts, "findings": rows})
    return {"format": 1, "sources": [json.loads(text) for text in sources], "cases": out}


def load() -> list[dict]:
    """Every recorded case: kind, profile, on, facts and findings (each as ``Finding.to_dict``)."""
    with gzip.open(RECORDED, "rt", encoding="utf-8") as f:
        data = json.load(f)
    sources = data["sources"]
    cases = []
    for case in data["cases"]:
        findings = []
        for row in case["findings"]:
            d = dict(zip(_FIELDS, row[:-1], strict=True))
            cited = [sources[i] for i in row[-1]]
            d["source"] = cited[0] if cited else None
            d["sources"] = cited
            findings.append(d)
        cases.append({**case, "findings": findings})
    return cases
