"""What the outbreak engine reads and writes: check rows in, alerts out.

Rows are kept as columns of small integers (``Checks``), because a province's month of morning
checks is some nine million rows and the scan must stay vectorised: institutions, classes and
children as codes into their id lists, dates as day numbers, symptoms as a bit mask, the diagnosis
as a code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tuoyu.engines.policy.profiles import Source
from tuoyu.engines.policy.vocabulary import DIAGNOSES, SYMPTOMS

# Bit i of a row's mask is the i-th symptom of the vocabulary; a diagnosis is its position there.
SYMPTOM_BITS = {code: 1 << i for i, code in enumerate(SYMPTOMS)}
SYMPTOM_DTYPE = np.min_scalar_type((1 << len(SYMPTOMS)) - 1)  # uint8 while there are eight
DIAGNOSIS_CODES = {code: i for i, code in enumerate(DIAGNOSES)}
NO_CLASS = -1
NO_DIAGNOSIS = -1


class OutbreakInputError(ValueError):
    """Input the engine cannot scan, with a Chinese and an English reason.

    ``row`` is the 0-based position of the offending check in what was passed in, so a caller that
    read the rows from a file can name the line; the CSV reader sets ``line`` (1-based, the header is
    line 1) instead. Both are None for a problem of the profile (a threshold without its window).
    """

    def __init__(self, zh: str, en: str, *, row: int | None = None, line: int | None = None):
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.row = row
        self.line = line


@dataclass(frozen=True, slots=True)
class Check:
    """One child's check on one day: ``care_class`` is ``""`` when not known, ``symptoms`` codes of
    ``vocabulary.SYMPTOMS``, ``diagnosis`` a code of ``vocabulary.DIAGNOSES`` or None."""

    institution: str
    care_class: str
    child: str
    date: dt.date
    symptoms: frozenset[str] = frozenset()
    diagnosis: str | None = None


@dataclass(frozen=True, eq=False)
class Checks:
    """Check rows as columns, the form the scan works on; all arrays have one entry per row.

    - ``institution``: int32 index into ``institutions`` (the ids);
    - ``care_class``: int32 index into ``classes`` (the class names), ``NO_CLASS`` (-1) when not
      known; a class is named within its institution, so one name in two institutions is two
      classes, and ``class_institution[c]`` is the institution of class ``c``;
    - ``child``: int32 index into ``children`` (the ids);
    - ``day``: int32, the date as ``date.toordinal()``;
    - ``symptoms``: bit mask (``SYMPTOM_BITS``, dtype ``SYMPTOM_DTYPE``);
    - ``diagnosis``: int8 index into ``vocabulary.DIAGNOSES``, ``NO_DIAGNOSIS`` (-1) when none.
    """

    institutions: Sequence[str]
    classes: Sequence[str]
    class_institution: np.ndarray
    children: Sequence[str]
    institution: np.ndarray
    care_class: np.ndarray
    child: np.ndarray
    day: np.ndarray
    symptoms: np.ndarray
    diagnosis: np.ndarray

    def __post_init__(self) -> None:
        for name, dtype in _DTYPES.items():
            given = np.asarray(getattr(self, name))
            column = np.ascontiguousarray(given, dtype=dtype)
            if given.dtype != column.dtype and not np.array_equal(given, column):
                raise ValueError(f"column {name} holds values beyond {np.dtype(dtype).name}")
            object.__setattr__(self, name, column)
        if self.class_institution.shape != (len(self.classes),):
            raise ValueError("class_institution must give one institution per class")
        n = self.institution.shape[0]
        for name in _ROW_COLUMNS:
            if getattr(self, name).shape != (n,):
                raise ValueError(f"column {name} must have one entry per row")
        for name, size, low in _BOUNDS:
            column = getattr(self, name)
            if column.size and (column.min() < low or column.max() >= len(getattr(self, size))):
                raise ValueError(f"column {name} holds codes outside {size}")
        if self.diagnosis.size and (
            self.diagnosis.min() < NO_DIAGNOSIS or self.diagnosis.max() >= len(DIAGNOSES)
        ):
            raise ValueError("column diagnosis holds codes outside vocabulary.DIAGNOSES")
        if self.symptoms.size and int(np.bitwise_or.reduce(self.symptoms)) >> len(SYMPTOMS):
            raise ValueError("column symptoms sets bits beyond vocabulary.SYMPTOMS")

    def __len__(self) -> int:
        return int(self.institution.shape[0])

    @classmethod
    def from_rows(cls, rows: Iterable[Check]) -> Checks:
        """Columns from check rows; ``OutbreakInputError`` (with ``row``) for an empty id, an unknown
        symptom or diagnosis, or a date that is not a date."""
        institutions: dict[str, int] = {}
        classes: dict[tuple[int, str], int] = {}
        children: dict[str, int] = {}
        columns: list[tuple[int, int, int, int, int, int]] = []
        for k, row in enumerate(rows):
            if not row.institution or not row.child:
                what = ("机构编号", "the institution") if not row.institution else ("幼儿编号", "the child")
                raise OutbreakInputError(f"{what[0]}不能为空", f"{what[1]} must not be empty", row=k)
            if not isinstance(row.date, dt.date) or isinstance(row.date, dt.datetime):
                raise OutbreakInputError(
                    f"日期应为日期（当前为“{row.date}”）", f"date must be a date, not {row.date!r}", row=k
                )
            where = institutions.setdefault(row.institution, len(institutions))
            care_class = (
                classes.setdefault((where, row.care_class), len(classes)) if row.care_class else NO_CLASS
            )
            columns.append(
                (
                    where,
                    care_class,
                    children.setdefault(row.child, len(children)),
                    row.date.toordinal(),
                    symptom_mask(row.symptoms, row=k),
                    diagnosis_code(row.diagnosis, row=k),
                )
            )
        table = np.array(columns, dtype=np.int64).reshape(-1, 6)
        return cls(
            institutions=list(institutions),
            classes=[name for _, name in classes],
            class_institution=np.array([where for where, _ in classes], dtype=np.int32),
            children=list(children),
            institution=table[:, 0],
            care_class=table[:, 1],
            child=table[:, 2],
            day=table[:, 3],
            symptoms=table[:, 4],
            diagnosis=table[:, 5],
        )


_DTYPES = {
    "class_institution": np.int32,
    "institution": np.int32,
    "care_class": np.int32,
    "child": np.int32,
    "day": np.int32,
    "symptoms": SYMPTOM_DTYPE,
    "diagnosis": np.int8,
}
_ROW_COLUMNS = ("care_class", "child", "day", "symptoms", "diagnosis")
_BOUNDS = (
    ("institution", "institutions", 0),
    ("care_class", "classes", NO_CLASS),
    ("child", "children", 0),
    ("class_institution", "institutions", 0),
)


def symptom_mask(codes: Iterable[str], *, row: int | None = None, line: int | None = None) -> int:
    """The bit mask of symptom codes; ``OutbreakInputError`` naming an unknown one."""
    mask = 0
    for code in codes:
        bit = SYMPTOM_BITS.get(code)
        if bit is None:
            known = "、".join(f"{c}（{name}）" for c, name in SYMPTOMS.items())
            raise OutbreakInputError(
                f"未知的症状代码“{code}”（可用：{known}）",
                f"unknown symptom code {code!r} (known: {', '.join(SYMPTOMS)})",
                row=row,
                line=line,
            )
        mask |= bit
    return mask


def diagnosis_code(code: str | None, *, row: int | None = None, line: int | None = None) -> int:
    """The diagnosis as its position in the vocabulary (``NO_DIAGNOSIS`` for none)."""
    if not code:
        return NO_DIAGNOSIS
    found = DIAGNOSIS_CODES.get(code)
    if found is None:
        known = "、".join(f"{c}（{name}）" for c, name in DIAGNOSES.items())
        raise OutbreakInputError(
            f"未知的诊断代码“{code}”（可用：{known}）",
            f"unknown diagnosis code {code!r} (known: {', '.join(DIAGNOSES)})",
            row=row,
            line=line,
        )
    return found


@dataclass(frozen=True, slots=True)
class Rule:
    """One outbreak threshold as a profile sets it on a day.

    ``id`` is stable and for code only (``outbreak.class_cluster.same_day.fever``,
    ``outbreak.disease.hfmd.class``); ``scope`` is ``class`` or ``institution``; a rule counts
    children with ``symptom`` or with ``diagnosis`` (one of the two is set): it is met by ``cases``
    distinct children within ``days`` consecutive days. ``report_hours`` is the reporting deadline,
    ``text`` the Chinese description with its citations, ``sources`` every parameter it rests on.
    """

    id: str
    scope: str
    symptom: str | None
    diagnosis: str | None
    cases: int
    days: int
    report_hours: int
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Alert:
    """A threshold met, over one run of overlapping windows (module ``scan`` says how runs form).

    ``care_class`` is ``""`` for an institution-wide rule. ``first_date`` and ``last_date`` are the
    first and last day with a counted case; ``cases`` the distinct children counted; ``triggered``
    the first day the threshold was met; ``report_by`` the day the report falls due.
    """

    institution: str
    care_class: str
    rule: Rule
    first_date: dt.date
    last_date: dt.date
    triggered: dt.date
    cases: int
    report_by: dt.date
