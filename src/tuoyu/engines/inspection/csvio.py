"""The inspection draw's published files, read and written byte-identically.

- institutions: ``id`` and optionally ``stratum`` (empty: no stratum)
- inspectors:   ``id,department`` — a department code of ``vocabulary.DEPARTMENTS``
- conflicts:    ``inspector,institution``
- draw:         ``institution,inspectors`` — the inspectors joined by ";", in draw order

The reading rules are the allocation files' (``allocation.csvio.read_table``): UTF-8 with an optional
byte-order mark, blank lines skipped, values trimmed, extra columns ignored. Readers raise
``InspectionInputError`` with ``line`` set (1 is the header line); what the values mean (unknown
departments, repeated ids …) the engine checks, naming the row. The draw is written with ``\\n``
line ends, no byte-order mark, quoting only where CSV needs it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from tuoyu.engines.allocation.csvio import read_table
from tuoyu.engines.allocation.model import AllocationInputError
from tuoyu.engines.inspection.draw import MEMBER_SEPARATOR
from tuoyu.engines.inspection.model import Conflict, Draw, InspectionInputError, Inspector, Institution, Team


def _columns(
    data: bytes, table: str, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[dict[str, list[str]], list[int]]:
    try:
        return read_table(data, table, required, optional)
    except AllocationInputError as error:
        raise InspectionInputError(error.zh, error.en, table=table, line=error.line) from None


def read_institutions(data: bytes) -> tuple[list[Institution], list[int]]:
    cols, lines = _columns(data, "institutions", ("id",), ("stratum",))
    strata = cols.get("stratum", [""] * len(lines))
    return [Institution(i, s or None) for i, s in zip(cols["id"], strata, strict=True)], lines


def read_inspectors(data: bytes) -> tuple[list[Inspector], list[int]]:
    cols, lines = _columns(data, "inspectors", ("id", "department"))
    return list(map(Inspector, cols["id"], cols["department"])), lines


def read_conflicts(data: bytes) -> tuple[list[Conflict], list[int]]:
    cols, lines = _columns(data, "conflicts", ("inspector", "institution"))
    return list(map(Conflict, cols["inspector"], cols["institution"])), lines


def read_draw(data: bytes) -> tuple[list[Team], list[int]]:
    """A published draw, as written by ``draw_csv``."""
    table = "draw"
    cols, lines = _columns(data, table, ("institution", "inspectors"))
    teams = []
    for institution, members, line in zip(cols["institution"], cols["inspectors"], lines, strict=True):
        if not institution:
            raise InspectionInputError(
                "机构编号不能为空", "the institution must not be empty", table=table, line=line
            )
        inspectors = tuple(m.strip() for m in members.split(MEMBER_SEPARATOR))
        if "" in inspectors:
            raise InspectionInputError(
                f"机构“{institution}”的检查组中有空项（“{members}”）",
                f"institution {institution!r}: empty member in {members!r}",
                table=table,
                line=line,
            )
        teams.append(Team(institution, inspectors))
    return teams, lines


def draw_csv(result: Draw) -> bytes:
    """``institution,inspectors``: one row per target in draw order."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("institution", "inspectors"))
    writer.writerows((t.institution, MEMBER_SEPARATOR.join(t.inspectors)) for t in result.teams)
    return out.getvalue().encode("utf-8")
