"""Growth references as LMS tables by age in days, and where they come from.

A reference (a "scheme") gives, for each indicator and sex, the Box-Cox parameters L, M and S of
every day of age. The WHO 2006 Child Growth Standards are read from the data files of the
maintained ``rcpchgrowth`` package, which carries WHO's daily tables (0–1856 days) as published;
its files are read, the package is never imported (it pulls in SciPy). Any other scheme, such as
China's WS/T 423—2022, is loaded from a CSV with the columns ``indicator,sex,age_days,L,M,S``.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

# The indicators the engine knows; length for age is recumbent length under two years and standing
# height from two, as WHO's tables are.
INDICATORS = ("weight_for_age", "length_for_age", "bmi_for_age")
SEXES = ("male", "female")
# Indicators whose z-scores beyond ±3 are computed on the distance between the 2 and 3 SD lines
# (WHO's "restricted application of the LMS method"): their distributions are skewed in the tails.
WEIGHT_BASED = frozenset({"weight_for_age", "bmi_for_age"})

_WHO_FILES = ("who_infants.json", "who_children.json")
_WHO_NAMES = {"weight": "weight_for_age", "height": "length_for_age", "bmi": "bmi_for_age"}


class GrowthTableError(ValueError):
    """A reference the engine cannot read."""


@dataclass(frozen=True)
class Scheme:
    """One growth reference: ``lms[(indicator, sex)]`` is an (n_days, 3) array of L, M, S, its row
    ``i`` the day of age ``i``."""

    name: str
    title: str
    lms: dict[tuple[str, str], np.ndarray]

    def days(self, indicator: str, sex: str) -> int:
        return len(self.lms[(indicator, sex)])


def _who_directory() -> Path:
    spec = importlib.util.find_spec("rcpchgrowth")
    if spec is None or not spec.submodule_search_locations:
        raise GrowthTableError("未安装 rcpchgrowth，无法读取世卫组织生长标准 / rcpchgrowth is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data_tables" / "who"


@cache
def who_2006() -> Scheme:
    """The WHO Child Growth Standards (2006), by day of age from birth to 1856 days."""
    rows: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for name in _WHO_FILES:
        measurements = json.loads((_who_directory() / name).read_text(encoding="utf-8"))["measurement"]
        for source, indicator in _WHO_NAMES.items():
            for sex in SEXES:
                rows.setdefault((indicator, sex), []).extend(
                    (r["L"], r["M"], r["S"]) for r in measurements[source][sex]
                )
    lms = {key: np.asarray(values, dtype=np.float64) for key, values in rows.items()}
    return Scheme("who_2006", "世界卫生组织儿童生长标准（2006）", lms)


def from_csv(path: Path, *, name: str, title: str) -> Scheme:
    """A scheme from a CSV of ``indicator,sex,age_days,L,M,S``, one row per day from day 0 without
    gaps; read once per version of the file (a replaced file is read again)."""
    path = Path(path)
    return _from_csv(path, path.stat().st_mtime_ns, name, title)


@lru_cache(maxsize=8)
def _from_csv(path: Path, _version: int, name: str, title: str) -> Scheme:
    rows: dict[tuple[str, str], dict[int, tuple[float, float, float]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"indicator", "sex", "age_days", "L", "M", "S"} - set(reader.fieldnames or ())
        if missing:
            raise GrowthTableError(f"生长标准表缺少列：{'、'.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            if row["indicator"] not in INDICATORS or row["sex"] not in SEXES:
                raise GrowthTableError(f"第{line}行：未知的指标或性别 {row['indicator']!r} {row['sex']!r}")
            try:
                day = int(row["age_days"])
                values = (float(row["L"]), float(row["M"]), float(row["S"]))
            except ValueError:
                raise GrowthTableError(f"第{line}行：日龄或 L、M、S 不是数字") from None
            rows.setdefault((row["indicator"], row["sex"]), {})[day] = values
    lms = {}
    for key, by_day in rows.items():
        if sorted(by_day) != list(range(len(by_day))):
            raise GrowthTableError(f"{key[0]} {key[1]}：日龄须从 0 起逐日连续")
        lms[key] = np.asarray([by_day[d] for d in range(len(by_day))], dtype=np.float64)
    return Scheme(name, title, lms)
