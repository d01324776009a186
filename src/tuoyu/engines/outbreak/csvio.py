"""The outbreak scan's files: check rows in, alerts out.

- checks: ``institution,class,child,date,symptoms,diagnosis`` — ``class`` may be blank, ``date``
  ``YYYY-MM-DD``, ``symptoms`` codes of ``vocabulary.SYMPTOMS`` separated by ``;`` (blank: none),
  ``diagnosis`` blank or a code of ``vocabulary.DIAGNOSES``
- alerts: ``institution,class,rule,first_date,last_date,cases,report_by`` — ``class`` blank for an
  institution-wide rule, ``rule`` the rule's Chinese description with its citations

The reading rules are the allocation files' (``allocation.csvio.read_table``): UTF-8 with an optional
byte-order mark, blank lines skipped, values trimmed, extra columns ignored, columns in any order.
The reader raises ``OutbreakInputError`` with ``line`` set (1 is the header line); it is the
reference, and ``_columnar`` reads large files faster to the same result. Alerts are written with
``\\n`` line ends, no byte-order mark, quoting only where CSV needs it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence

import numpy as np

from tuoyu.engines.allocation.csvio import read_table
from tuoyu.engines.allocation.model import AllocationInputError
from tuoyu.engines.outbreak.model import (
    NO_CLASS,
    SYMPTOM_DTYPE,
    Alert,
    Checks,
    OutbreakInputError,
    diagnosis_code,
    symptom_mask,
)

COLUMNS = ("institution", "class", "child", "date", "symptoms", "diagnosis")
ALERT_COLUMNS = ("institution", "class", "rule", "first_date", "last_date", "cases", "report_by")
SYMPTOM_SEPARATOR = ";"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def _codes(values: list) -> tuple[list, np.ndarray]:
    """The distinct values in order of first appearance, and each value's position among them."""
    index: dict = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    return list(index), codes


def read_checks(data: bytes) -> tuple[Checks, list[int]]:
    """Check rows as columns, and each row's line number in the file."""
    try:
        cols, lines = read_table(data, "checks", COLUMNS)
    except AllocationInputError as error:
        raise OutbreakInputError(error.zh, error.en, line=error.line) from None
    for name, zh in (("institution", "机构编号"), ("child", "幼儿编号")):
        if "" in cols[name]:
            raise OutbreakInputError(
                f"{zh}不能为空", f"{name} must not be empty", line=lines[cols[name].index("")]
            )
    institutions, institution = _codes(cols["institution"])
    children, child = _codes(cols["child"])

    # Dates, symptom lists and diagnoses repeat: each distinct text is read once.
    written_dates = cols["date"]
    dates: dict[str, int] = {}
    for text in dict.fromkeys(written_dates):
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            dates[text] = dt.date.fromisoformat(text).toordinal()
        except ValueError:
            raise OutbreakInputError(
                f"日期“{text}”应为YYYY-MM-DD格式的有效日期",
                f"date {text!r} is not a valid YYYY-MM-DD date",
                line=lines[written_dates.index(text)],
            ) from None
    written_symptoms = cols["symptoms"]
    masks: dict[str, int] = {}
    for text in dict.fromkeys(written_symptoms):
        items = [item.strip() for item in text.split(SYMPTOM_SEPARATOR)]
        try:
            masks[text] = symptom_mask(item for item in items if item)
        except OutbreakInputError as error:
            error.line = lines[written_symptoms.index(text)]
            raise
    written_diagnoses = cols["diagnosis"]
    diagnoses: dict[str, int] = {}
    for text in dict.fromkeys(written_diagnoses):
        try:
            diagnoses[text] = diagnosis_code(text)
        except OutbreakInputError as error:
            error.line = lines[written_diagnoses.index(text)]
            raise

    # A class is named within its institution: the same name in two institutions is two classes.
    pairs = [(i, name) if name else None for i, name in zip(institution.tolist(), cols["class"], strict=True)]
    class_pairs, class_code = _codes(pairs)
    named = [k for k, pair in enumerate(class_pairs) if pair is not None]
    renumber = np.full(len(class_pairs), NO_CLASS, dtype=np.int64)
    renumber[named] = np.arange(len(named))

    checks = Checks(
        institutions=institutions,
        classes=[class_pairs[k][1] for k in named],
        class_institution=np.array([class_pairs[k][0] for k in named], dtype=np.int32),
        children=children,
        institution=institution,
        care_class=renumber[class_code],
        child=child,
        day=np.array([dates[t] for t in written_dates], dtype=np.int32),
        symptoms=np.array([masks[t] for t in written_symptoms], dtype=SYMPTOM_DTYPE),
        diagnosis=np.array([diagnoses[t] for t in written_diagnoses], dtype=np.int8),
    )
    return checks, lines


def alerts_csv(alerts: Sequence[Alert]) -> bytes:
    """``institution,class,rule,first_date,last_date,cases,report_by``: one row per alert, in order."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ALERT_COLUMNS)
    writer.writerows(
        (
            a.institution,
            a.care_class,
            a.rule.text,
            a.first_date.isoformat(),
            a.last_date.isoformat(),
            a.cases,
            a.report_by.isoformat(),
        )
        for a in alerts
    )
    return out.getvalue().encode("utf-8")
