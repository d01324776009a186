"""The published CSV files of a draw: reading the inputs and writing the results, byte for byte.

Every file is UTF-8 (a byte-order mark is accepted when reading, never written), comma-separated,
first line a header naming the columns; extra columns are allowed and ignored; blank lines are
skipped. Written files end lines with ``\\n`` and quote only where CSV needs it, so the same result is
always the same bytes. Formats (columns after the required ones are optional):

- programs:   ``id,capacity[,min_age_months,max_age_months]`` — age band half-open, in months
- applicants: ``id,choices[,birth_date,lottery_group]`` — choices ``|``-separated, most preferred
  first; birth date ``YYYY-MM-DD``; ``group`` is accepted for ``lottery_group``
- priorities: ``program,applicant,priority`` — an integer, lower is served first
- result:     ``applicant,program,lottery`` — program empty when unplaced
- cutoffs:    ``program,capacity,admitted,cutoff_priority,cutoff_lottery,cutoff_applicant``
- choices:    ``applicant,choice,program,status,waitlist_rank`` — one row per choice

Readers raise ``AllocationInputError`` with ``line`` set (1 is the header line).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from itertools import chain

from tuoyu.engines.allocation._gc import gc_paused
from tuoyu.engines.allocation.lottery import PublishedRow
from tuoyu.engines.allocation.model import (
    AllocationInputError,
    Applicant,
    ApplicantColumns,
    ChoiceStatus,
    Cutoff,
    Priority,
    PriorityColumns,
    Program,
    ProgramColumns,
    Result,
)

_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_HEX64 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def _Error(table: str, line: int, zh: str, en: str) -> AllocationInputError:
    return AllocationInputError(zh, en, table=table, line=line)


def _table(
    data: bytes, table: str, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[dict[str, list[str]], list[int]]:
    """The data rows as stripped columns, and each row's line number in the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Error(
            table, 0, "文件不是UTF-8编码", f"the file is not UTF-8 ({error.reason} at byte {error.start})"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        if '"' in text:
            # Quoted fields may span lines: ask the reader where each row ends.
            for fields in reader:
                rows.append(fields)
                lines.append(reader.line_num)
        else:
            rows = list(reader)
            lines = list(range(1, len(rows) + 1))
    except csv.Error as error:
        raise _Error(table, reader.line_num, f"CSV格式有误（{error}）", f"malformed CSV ({error})") from None
    if [] in rows or any(not "".join(fields).strip() for fields in rows[:1]):
        # Blank lines (and a blank line before the header) are skipped.
        keep = [k for k, fields in enumerate(rows) if "".join(fields).strip()]
        rows = [rows[k] for k in keep]
        lines = [lines[k] for k in keep]
    if not rows:
        raise _Error(table, 1, "文件为空，缺少表头", "the file is empty; a header line is needed")
    header = [f.strip() for f in rows[0]]
    header_line = lines[0]
    if len(set(header)) != len(header):
        twice = next(h for h in header if header.count(h) > 1)
        raise _Error(
            table, header_line, f"表头中的列“{twice}”重复", f"column {twice!r} appears twice in the header"
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise _Error(
            table,
            header_line,
            f"表头缺少必需的列：{'、'.join(missing)}",
            f"the header lacks column(s): {', '.join(missing)}",
        )
    rows = rows[1:]
    lines = lines[1:]
    width = len(header)
    if set(map(len, rows)) - {width}:
        for k, fields in enumerate(rows):
            if len(fields) != width and "".join(fields).strip():
                raise _Error(
                    table,
                    lines[k],
                    f"这一行有{len(fields)}个字段，表头有{width}列",
                    f"the row has {len(fields)} fields, the header {width}",
                )
    if [""] * width in rows or set(map(len, rows)) - {width}:
        keep = [k for k, fields in enumerate(rows) if "".join(fields).strip()]
        rows = [rows[k] for k in keep]
        lines = [lines[k] for k in keep]
    columns = {}
    # Most files have no spaces or tabs at all; then there is nothing to strip.
    padded = " " in text or "\t" in text
    for name in (*required, *optional):
        if name in header:
            k = header.index(name)
            values = [fields[k] for fields in rows]
            columns[name] = list(map(str.strip, values)) if padded else values
    return columns, lines


def read_table(
    data: bytes, table: str, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[dict[str, list[str]], list[int]]:
    """The named columns of a CSV file, and each data row's line number (the header is line 1).

    The rules every file above follows (UTF-8 with an optional byte-order mark, blank lines skipped,
    values trimmed, extra columns ignored), for other engines' files too; an optional column absent
    from the header is absent from the result. Raises ``AllocationInputError`` with ``table`` and
    ``line`` set.
    """
    return _table(data, table, required, optional)


def _first_empty(values: list[str], lines: list[int], table: str, zh: str, en: str) -> None:
    if "" in values:
        raise _Error(table, lines[values.index("")], f"{zh}不能为空", f"{en} must not be empty")


def _ints(values: list[str], lines: list[int], table: str, zh: str, en: str) -> list[int]:
    _first_empty(values, lines, table, zh, en)
    try:
        if not all(map(_INT.fullmatch, values)):
            raise ValueError
        return list(map(int, values))
    except ValueError:
        k = next(k for k, v in enumerate(values) if not _INT.fullmatch(v))
        raise _Error(
            table, lines[k], f"{zh}“{values[k]}”不是整数", f"{en} {values[k]!r} is not an integer"
        ) from None


def _optional_ints(values: list[str] | None, lines: list[int], table: str, zh: str, en: str) -> list:
    if values is None:
        return [None] * len(lines)
    present = [k for k, v in enumerate(values) if v]
    parsed = _ints([values[k] for k in present], [lines[k] for k in present], table, zh, en)
    out: list[int | None] = [None] * len(values)
    for k, v in zip(present, parsed, strict=True):
        out[k] = v
    return out


@gc_paused()
def read_programs(data: bytes) -> tuple[ProgramColumns, list[int]]:
    table = "programs"
    cols, lines = _table(data, table, ("id", "capacity"), ("min_age_months", "max_age_months"))
    ids = cols["id"]
    _first_empty(ids, lines, table, "托班编号", "the program id")
    for k, pid in enumerate(ids):
        if "|" in pid:
            # "|" separates the choices in applicants.csv.
            raise _Error(
                table, lines[k], f"托班编号“{pid}”不能含有“|”", f"program id {pid!r} must not contain '|'"
            )
    capacity = _ints(cols["capacity"], lines, table, "容量", "capacity")
    for k, c in enumerate(capacity):
        if c < 0:
            raise _Error(
                table,
                lines[k],
                f"托班“{ids[k]}”的容量不能小于0（当前为{c}）",
                f"program {ids[k]!r}: capacity {c} < 0",
            )
    low = _optional_ints(cols.get("min_age_months"), lines, table, "最小月龄", "min_age_months")
    high = _optional_ints(cols.get("max_age_months"), lines, table, "最大月龄", "max_age_months")
    return ProgramColumns(ids, capacity, low, high), lines


@gc_paused()
def read_applicants(data: bytes) -> tuple[ApplicantColumns, list[int]]:
    table = "applicants"
    cols, lines = _table(data, table, ("id", "choices"), ("birth_date", "lottery_group", "group"))
    if "group" in cols and "lottery_group" in cols:
        raise _Error(
            table,
            1,
            "“group”与“lottery_group”两列只能有一列",
            "use one of the columns group and lottery_group",
        )
    ids = cols["id"]
    _first_empty(ids, lines, table, "申请编号", "the applicant id")
    raw_choices = cols["choices"]
    # Lists, not tuples: the engine only reads them, and 100,000 conversions are measurable.
    choices = [raw.split("|") for raw in raw_choices]
    if "" in raw_choices:
        choices = [listed if listed != [""] else [] for listed in choices]
    joined = "|".join(raw_choices)
    if " " in joined or "\t" in joined:
        strip = str.strip
        choices = [list(map(strip, listed)) for listed in choices]
    if "" in chain.from_iterable(choices):
        k = next(k for k, listed in enumerate(choices) if "" in listed)
        raise _Error(
            table,
            lines[k],
            f"申请“{ids[k]}”的志愿中有空项（“{raw_choices[k]}”）",
            f"applicant {ids[k]!r}: empty choice in {raw_choices[k]!r}",
        )
    births: list[dt.date | None] = [None] * len(ids)
    if "birth_date" in cols:
        # Birth dates repeat (about 1,100 distinct days in three years): parse each once.
        written = cols["birth_date"]
        parsed: dict[str, dt.date | None] = {"": None}
        for text in set(written) - {""}:
            try:
                if not _DATE.fullmatch(text):
                    raise ValueError(text)
                parsed[text] = dt.date.fromisoformat(text)
            except ValueError:
                k = written.index(text)
                raise _Error(
                    table,
                    lines[k],
                    f"申请“{ids[k]}”的出生日期“{text}”应为YYYY-MM-DD格式的有效日期",
                    f"applicant {ids[k]!r}: birth_date {text!r} is not a valid YYYY-MM-DD date",
                ) from None
        births = list(map(parsed.__getitem__, written))
    groups_column = cols.get("lottery_group", cols.get("group"))
    groups = [g or None for g in groups_column] if groups_column is not None else [None] * len(ids)
    return ApplicantColumns(ids, choices, births, groups), lines


@gc_paused()
def read_priorities(data: bytes) -> tuple[PriorityColumns, list[int]]:
    table = "priorities"
    cols, lines = _table(data, table, ("program", "applicant", "priority"))
    _first_empty(cols["program"], lines, table, "托班编号", "the program")
    _first_empty(cols["applicant"], lines, table, "申请编号", "the applicant")
    values = _ints(cols["priority"], lines, table, "优先级", "the priority")
    return PriorityColumns(cols["program"], cols["applicant"], values), lines


@gc_paused()
def read_result(data: bytes) -> tuple[list[PublishedRow], list[int]]:
    table = "result"
    cols, lines = _table(data, table, ("applicant", "program", "lottery"))
    _first_empty(cols["applicant"], lines, table, "申请编号", "the applicant")
    for k, key in enumerate(cols["lottery"]):
        if not _HEX64.fullmatch(key):
            raise _Error(
                table,
                lines[k],
                f"摇号码“{key}”应为64位小写十六进制数",
                f"lottery key {key!r} is not 64 lowercase hex digits",
            )
    programs = [p or None for p in cols["program"]]
    return list(map(PublishedRow, cols["applicant"], programs, cols["lottery"])), lines


@gc_paused()
def read_cutoffs(data: bytes) -> tuple[list[Cutoff], list[int]]:
    table = "cutoffs"
    columns = ("program", "capacity", "admitted", "cutoff_priority", "cutoff_lottery", "cutoff_applicant")
    cols, lines = _table(data, table, columns)
    _first_empty(cols["program"], lines, table, "托班编号", "the program")
    capacity = _ints(cols["capacity"], lines, table, "容量", "capacity")
    admitted = _ints(cols["admitted"], lines, table, "录取人数", "admitted")
    priority = _optional_ints(cols["cutoff_priority"], lines, table, "录取线优先级", "cutoff_priority")
    for k, key in enumerate(cols["cutoff_lottery"]):
        if key and not _HEX64.fullmatch(key):
            raise _Error(
                table,
                lines[k],
                f"录取线摇号码“{key}”应为64位小写十六进制数",
                f"cutoff_lottery {key!r} is not 64 lowercase hex digits",
            )
    keys = [k or None for k in cols["cutoff_lottery"]]
    last = [a or None for a in cols["cutoff_applicant"]]
    return list(map(Cutoff, cols["program"], capacity, admitted, priority, keys, last)), lines


_NEEDS_QUOTING = re.compile(r'[,"\r\n]|^\s|\s$')


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@gc_paused()
def result_csv(result: Result) -> bytes:
    """``applicant,program,lottery`` in the applicants' input order."""
    programs = ["" if p is None else p for p in result.placements]
    plain = not any(map(_NEEDS_QUOTING.search, result.applicant_ids)) and not any(
        map(_NEEDS_QUOTING.search, result.program_ids)
    )
    if plain:
        # Nothing to quote: joining is what csv.writer would produce, several times faster.
        body = "".join(map("{},{},{}\n".format, result.applicant_ids, programs, result.lottery_keys))
        return ("applicant,program,lottery\n" + body).encode("utf-8")
    rows = zip(result.applicant_ids, programs, result.lottery_keys, strict=True)
    return _csv(("applicant", "program", "lottery"), rows)


@gc_paused()
def cutoffs_csv(result: Result) -> bytes:
    """One row per program in input order; cutoff columns empty while seats are left."""
    rows = (
        (
            c.program,
            c.capacity,
            c.admitted,
            "" if c.priority is None else c.priority,
            c.lottery or "",
            c.applicant or "",
        )
        for c in result.cutoffs
    )
    return _csv(
        ("program", "capacity", "admitted", "cutoff_priority", "cutoff_lottery", "cutoff_applicant"), rows
    )


@gc_paused()
def choices_csv(result: Result) -> bytes:
    """Each applicant's choices with their status (``ChoiceStatus``) and waitlist rank."""
    rows = []
    for applicant in result.applicant_ids:
        for position, outcome in enumerate(result.outcomes(applicant), start=1):
            rank = outcome.waitlist_rank if outcome.status is ChoiceStatus.WAITLISTED else ""
            rows.append((applicant, position, outcome.program, outcome.status.value, rank))
    return _csv(("applicant", "choice", "program", "status", "waitlist_rank"), rows)


def programs_csv(programs: Sequence[Program]) -> bytes:
    """The programs in the format ``read_programs`` reads (for publishing the frozen inputs)."""
    banded = any(p.has_age_band for p in programs)
    header = ("id", "capacity", "min_age_months", "max_age_months") if banded else ("id", "capacity")

    def row(p: Program) -> tuple:
        if not banded:
            return (p.id, p.capacity)
        return (
            p.id,
            p.capacity,
            "" if p.min_age_months is None else p.min_age_months,
            "" if p.max_age_months is None else p.max_age_months,
        )

    return _csv(header, (row(p) for p in programs))


def applicants_csv(applicants: Sequence[Applicant]) -> bytes:
    """The applicants in the format ``read_applicants`` reads (for publishing the frozen list)."""
    with_birth = any(a.birth_date is not None for a in applicants)
    with_group = any(a.lottery_group is not None for a in applicants)
    header = (
        ["id", "choices"] + (["birth_date"] if with_birth else []) + (["lottery_group"] if with_group else [])
    )

    def row(a: Applicant) -> list:
        values = [a.id, "|".join(a.choices)]
        if with_birth:
            values.append(a.birth_date.isoformat() if a.birth_date else "")
        if with_group:
            values.append(a.lottery_group or "")
        return values

    return _csv(header, (row(a) for a in applicants))


def priorities_csv(priorities: Sequence[Priority]) -> bytes:
    return _csv(
        ("program", "applicant", "priority"), ((p.program, p.applicant, p.priority) for p in priorities)
    )
