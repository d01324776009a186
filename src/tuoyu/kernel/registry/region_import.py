"""Importing what a county knows of itself: its subdistricts and communities, and their population.

The same two steps as the institution ledger: ``*_preview`` checks the whole file against the format,
itself and the platform and writes nothing; ``*_apply`` writes a clean preview in one transaction,
audited. A file with one bad row writes nothing, and importing the same file again changes nothing.

Regions live below the accounts and the audit trail in the kernel's layers, so their import lives
here, beside the working-day calendar and the accounts pages, which are kept the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from tuoyu import clock
from tuoyu.engines.identifiers import DivisionLevel, InvalidIdentifier, division_level, validate_division_code
from tuoyu.kernel.accounts.access import Act, authorize, scoped
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, record_created, snapshot
from tuoyu.kernel.regions.models import AreaType, Level, Population, Region
from tuoyu.kernel.regions.selectors import regions_under
from tuoyu.kernel.registry.actions import IMPORT_POPULATION, IMPORT_REGIONS
from tuoyu.kernel.tables import MAX_CELL_CHARS, UnreadableFile, map_header, read_table
from tuoyu.text import normalise, problem

REGIONS_NOTE = "区划导入"
POPULATION_NOTE = "人口数据导入"
FIRST_YEAR = 2000  # the platform's figures start with this century's censuses
MAX_POPULATION = 200_000_000  # above the largest province: a figure beyond it is a typing slip
NAME_LENGTH = Region._meta.get_field("name").max_length


@dataclass(frozen=True)
class Column:
    key: str  # the English header the file format names
    label: str  # the Chinese header, as people write it in Excel
    required: bool = True
    aliases: tuple[str, ...] = ()


REGION_COLUMNS = (
    Column("code", "行政区划代码"),
    Column("name", "名称"),
    Column("parent_code", "上级区划代码"),
    Column("area_type", "区域类型", required=False),
)
POPULATION_COLUMNS = (
    Column("code", "行政区划代码"),
    Column("year", "年份"),
    Column("population", "常住人口"),
    Column("under3", "3岁以下婴幼儿数", aliases=("under_3",)),
)


class Outcome(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


OUTCOME_LABELS = {Outcome.CREATE: "新增", Outcome.UPDATE: "修改", Outcome.UNCHANGED: "无变化"}


@dataclass
class Line:
    """One data row of the file: what it says, what is wrong with it, what importing it would do."""

    line: int  # as the spreadsheet numbers it: the header is line 1
    raw: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    outcome: Outcome | None = None
    changes: list[str] = field(default_factory=list)  # Chinese: "名称：甲 → 乙"
    region_name: str = ""  # the region the row is about, for people who do not read codes
    labels: dict[str, str] = field(
        default_factory=dict
    )  # cells as people read them: 新建居住区, not new_residential

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "") if self.outcome else ""


@dataclass(frozen=True)
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changes_anything(self) -> bool:
        return bool(self.created or self.updated)

    def text(self, unit: str) -> str:
        return f"新增 {self.created} {unit}，修改 {self.updated} {unit}，无变化 {self.unchanged} {unit}"


@dataclass
class Preview:
    name: str  # the file's name as uploaded
    rows: list[Line]
    problems: list[str]  # about the file as a whole

    @property
    def error_count(self) -> int:
        return len(self.problems) + sum(len(r.errors) for r in self.rows)

    @property
    def clean(self) -> bool:
        return self.error_count == 0 and bool(self.rows)

    @property
    def summary(self) -> Summary:
        counts = Counter(r.outcome for r in self.rows)
        return Summary(counts[Outcome.CREATE], counts[Outcome.UPDATE], counts[Outcome.UNCHANGED])

    def messages(self) -> list[str]:
        """Every problem, in Chinese, each row's with its line number: what the command line prints."""
        out = [f"文件：{p}" for p in self.problems]
        out += [f"第{row.line}行：{error}" for row in self.rows for error in row.errors]
        return out


class ImportRefused(Exception):
    """apply() was given a preview with errors, or the platform changed since: nothing is written."""


# --- reading -----------------------------------------------------------------------------------------


def _read(name: str, content: bytes, columns: tuple[Column, ...]) -> Preview:
    try:
        table = read_table(name, content)
    except UnreadableFile as error:
        return Preview(name, [], [str(error)])
    if not table:
        return Preview(name, [], ["文件是空的"])
    mapping, problems = _header(table[0], columns)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        row = Line(line=number)
        for index, column in mapping.items():
            text = cells[index] if index < len(cells) else ""
            if len(text) > MAX_CELL_CHARS:
                row.errors.append(f"{column.label}：内容过长（超过{MAX_CELL_CHARS}个字符）")
                text = ""
            row.raw[column.key] = text
        rows.append(row)
    if not rows and not problems:
        problems.append("文件中没有数据行")
    return Preview(name, rows, problems)


def _header(header: list[str], columns: tuple[Column, ...]) -> tuple[dict[int, Column], list[str]]:
    known = {
        title.lower(): column for column in columns for title in (column.key, column.label, *column.aliases)
    }
    required = {column: column.label for column in columns if column.required}
    return map_header(header, known, required=required, fold_case=True)


def _required(row: Line, key: str, label: str) -> str:
    text = row.raw.get(key, "")
    if not text:
        row.errors.append(f"{label}不能为空")
    return text


def _code(row: Line, text: str) -> str | None:
    if not text:
        return None  # already reported as empty
    try:
        return validate_division_code(text)
    except InvalidIdentifier as error:
        row.errors.append(str(error))  # the engine's messages name the 行政区划代码 themselves
        return None


def _integer(row: Line, text: str, label: str, low: int, high: int) -> int | None:
    if not text:
        return None
    # Figures often arrive with thousands separators ("86,000") typed or pasted from a report.
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "")
    try:
        exact = Decimal(cleaned)
    except InvalidOperation:
        exact = None
    if exact is None or not exact.is_finite() or exact != exact.to_integral_value():
        row.errors.append(f"{label}：“{text}”不是整数")
        return None
    number = int(exact)
    if not low <= number <= high:
        row.errors.append(f"{label}：应在{low}到{high}之间（当前为{number}）")
        return None
    return number


def _duplicates(rows: Iterable[Line], key: Callable[[Line], Any]) -> dict[Any, list[int]]:
    """Keys that occur on several lines, with those lines."""
    lines: dict[Any, list[int]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if value is not None:
            lines[value].append(row.line)
    return {value: found for value, found in lines.items() if len(found) > 1}


def _others(lines: list[int], own: int) -> str:
    return "、".join(str(n) for n in lines if n != own)


def _reachable(actor: Actor, act: Act, regions: QuerySet[Region], within: Region | None) -> QuerySet[Region]:
    """The regions the importer may name: within the post's jurisdiction and, when the command line
    names a county, within that county."""
    if within is not None:
        regions = regions.filter(pk__in=regions_under(within).values("pk"))
    if actor.user is not None:
        regions = scoped(actor.user, regions, act.verb)
    return regions


# --- regions -----------------------------------------------------------------------------------------

_AREA_TYPES = {value: value for value in AreaType.values} | {
    label: value for value, label in AreaType.choices
}
_AREA_LABELS = dict(AreaType.choices)
_LEVEL_LABELS = dict(Level.choices)


def regions_preview(*, actor: Actor, name: str, content: bytes, within: Region | None = None) -> Preview:
    """Check a file of subdistricts and communities (``code,name,parent_code[,area_type]``)."""
    authorize(actor, IMPORT_REGIONS)
    result = _read(name, content, REGION_COLUMNS)
    for row in result.rows:
        _region_cells(row)
    codes = {row.raw.get("code", "") for row in result.rows} - {""}
    parents = {row.raw.get("parent_code", "") for row in result.rows} - {""}
    known = {r.code: r for r in Region.objects.filter(code__in=codes | parents).select_related("parent")}
    reachable = set(
        _reachable(
            actor, IMPORT_REGIONS, Region.objects.filter(code__in=codes | parents), within
        ).values_list("code", flat=True)
    )
    repeated = _duplicates(result.rows, lambda r: r.values.get("code"))
    for row in result.rows:
        code = row.values.get("code")
        if code in repeated:
            row.errors.append(
                f"行政区划代码{code}在文件中重复（另见第{_others(repeated[code], row.line)}行）"
            )
        _region_against_platform(row, codes, known, reachable)
    return result


def _region_cells(row: Line) -> None:
    code = _code(row, _required(row, "code", "行政区划代码"))
    if code is not None:
        if division_level(code) not in (DivisionLevel.SUBDISTRICT, DivisionLevel.COMMUNITY):
            row.errors.append(
                f"行政区划代码{code}是县级及以上代码：只能导入街道（镇，9位）和社区（村，12位），县（区）须已在平台上"
            )
        else:
            row.values["code"] = code
    parent = _required(row, "parent_code", "上级区划代码")
    if code is not None and parent and "code" in row.values:
        expected = code[: len(code) - 3]
        if parent != expected:
            if not code.startswith(parent):
                row.errors.append(f"行政区划代码{code}应以上级区划代码{parent}开头")
            else:
                level = _LEVEL_LABELS[division_level(code)]
                row.errors.append(
                    f"{level}{code}的上级区划代码应为{expected}（{len(expected)}位），而不是{parent}"
                )
        else:
            row.values["parent_code"] = parent
    text = normalise(row.raw.get("name", ""))
    if not text:
        row.errors.append("名称不能为空")
    elif why := problem(text):
        row.errors.append(f"名称{why.rstrip('。')}")
    elif len(text) > NAME_LENGTH:
        row.errors.append(f"名称过长（不超过{NAME_LENGTH}个字）")
    else:
        row.values["name"] = text
    area = row.raw.get("area_type", "")
    if area:
        if area in _AREA_TYPES:
            row.values["area_type"] = _AREA_TYPES[area]
            row.labels["area_type"] = _AREA_LABELS[row.values["area_type"]]
        else:
            choices = "、".join(_AREA_LABELS.values())
            row.errors.append(f"区域类型“{area}”不是可选值（可选：{choices}）")


def _region_against_platform(
    row: Line, codes: set[str], known: dict[str, Region], reachable: set[str]
) -> None:
    code, parent = row.values.get("code"), row.values.get("parent_code")
    if code is None or parent is None:
        return
    if parent not in codes:
        if parent not in known:
            row.errors.append(f"上级区划{parent}不存在：须已在平台上，或在本文件中一并导入")
            return
        if parent not in reachable:
            row.errors.append(f"上级区划{parent}（{known[parent].name}）不在您的辖区内")
            return
    current = known.get(code)
    if current is None:
        row.outcome = Outcome.CREATE
        return
    row.region_name = current.name
    if current.parent is None or current.parent.code != parent:
        was = current.parent.code if current.parent else "无"
        row.errors.append(f"行政区划代码{code}已在平台上，上级区划为{was}：不能通过导入调整隶属关系")
        return
    if code not in reachable:
        row.errors.append(f"行政区划{code}（{current.name}）不在您的辖区内")
        return
    if "name" in row.values and row.values["name"] != current.name:
        row.changes.append(f"名称：{current.name} → {row.values['name']}")
    area = row.values.get("area_type")
    # An empty area type leaves the one on the platform as it is: files that only list names must
    # not wipe what planning relies on.
    if area and area != current.area_type:
        row.changes.append(f"区域类型：{_AREA_LABELS.get(current.area_type, '未填')} → {_AREA_LABELS[area]}")
    row.outcome = Outcome.UPDATE if row.changes else Outcome.UNCHANGED


def regions_apply(*, actor: Actor, result: Preview) -> Summary:
    """Create and update the regions of a clean preview in one transaction, audited."""
    authorize(actor, IMPORT_REGIONS)
    if not result.clean:
        raise ImportRefused(f"文件有 {result.error_count} 处错误，未导入任何数据")
    rows = sorted(result.rows, key=lambda r: len(r.values["code"]))  # subdistricts before communities
    created: list[Region] = []
    updated = unchanged = 0
    with transaction.atomic():
        wanted = {r.values["code"] for r in rows} | {r.values["parent_code"] for r in rows}
        by_code = {r.code: r for r in Region.objects.select_for_update().filter(code__in=wanted)}
        for row in rows:
            values = row.values
            parent = by_code.get(values["parent_code"])
            current = by_code.get(values["code"])
            if parent is None or (current is not None and current.parent_id != parent.pk):
                raise ImportRefused("平台上的区划在检查之后发生了变化，未导入任何数据，请重新上传文件")
            if current is None:
                region = Region(
                    code=values["code"],
                    name=values["name"],
                    parent=parent,
                    area_type=values.get("area_type", ""),
                )
                region.save()
                by_code[region.code] = region
                created.append(region)
                continue
            before = snapshot(current)
            current.name = values["name"]
            current.area_type = values.get("area_type") or current.area_type
            if snapshot(current) == before:
                unchanged += 1
                continue
            current.save(update_fields=["name", "area_type"])
            record(actor, Verb.UPDATE, current, before=before, note=REGIONS_NOTE)
            updated += 1
        record_created(actor, created, note=REGIONS_NOTE)
    return Summary(len(created), updated, unchanged)


# --- population --------------------------------------------------------------------------------------


def population_preview(*, actor: Actor, name: str, content: bytes, within: Region | None = None) -> Preview:
    """Check a file of population figures (``code,year,population,under3``)."""
    authorize(actor, IMPORT_POPULATION)
    result = _read(name, content, POPULATION_COLUMNS)
    last_year = clock.today().year + 1
    for row in result.rows:
        _population_cells(row, last_year)
    codes = {row.values["code"] for row in result.rows if "code" in row.values}
    known = {r.code: r for r in Region.objects.filter(code__in=codes)}
    reachable = {
        r.code: r for r in _reachable(actor, IMPORT_POPULATION, Region.objects.filter(code__in=codes), within)
    }
    figures = {
        (p.region.code, p.year): p
        for p in Population.objects.filter(region__code__in=codes).select_related("region")
    }
    repeated = _duplicates(result.rows, _figure_key)
    for row in result.rows:
        code = row.values.get("code")
        if code is None:
            continue
        if code not in known:
            row.errors.append(f"行政区划{code}不在平台上：请先导入区划")
            continue
        row.region_name = known[code].name
        if code not in reachable:
            row.errors.append(f"行政区划{code}（{known[code].name}）不在您的辖区内")
            continue
        key = _figure_key(row)
        if key is None:
            continue
        if key in repeated:
            row.errors.append(
                f"{code}的{key[1]}年数据在文件中重复（另见第{_others(repeated[key], row.line)}行）"
            )
            continue
        if not row.errors:
            _population_outcome(row, figures.get(key))
    return result


def _figure_key(row: Line) -> tuple[str, int] | None:
    code, year = row.values.get("code"), row.values.get("year")
    return (code, year) if code is not None and year is not None else None


def _population_cells(row: Line, last_year: int) -> None:
    code = _code(row, _required(row, "code", "行政区划代码"))
    if code is not None:
        row.values["code"] = code
    year = _integer(row, _required(row, "year", "年份"), "年份", FIRST_YEAR, last_year)
    total = _integer(row, _required(row, "population", "常住人口"), "常住人口", 0, MAX_POPULATION)
    under_3 = _integer(row, _required(row, "under3", "3岁以下婴幼儿数"), "3岁以下婴幼儿数", 0, MAX_POPULATION)
    if year is not None:
        row.values["year"] = year
    if total is not None and under_3 is not None:
        if under_3 > total:
            row.errors.append(f"3岁以下婴幼儿数（{under_3}）不能超过常住人口（{total}）")
        else:
            row.values["total"], row.values["under_3"] = total, under_3


def _population_outcome(row: Line, current: Population | None) -> None:
    if current is None:
        row.outcome = Outcome.CREATE
        return
    if current.total != row.values["total"]:
        row.changes.append(f"常住人口：{current.total} → {row.values['total']}")
    if current.under_3 != row.values["under_3"]:
        row.changes.append(f"3岁以下婴幼儿数：{current.under_3} → {row.values['under_3']}")
    row.outcome = Outcome.UPDATE if row.changes else Outcome.UNCHANGED


def population_source(name: str) -> str:
    """What the figures' source says: that they were imported, and from which file when its name is
    plain text."""
    file_name = normalise(Path(name.replace("\\", "/")).name)
    limit = Population._meta.get_field("source").max_length
    if not file_name or problem(file_name):
        return "导入"
    return f"导入：{file_name}"[:limit]


def population_apply(*, actor: Actor, result: Preview) -> Summary:
    """Write the figures of a clean preview in one transaction, audited. Figures identical to the
    platform's are left alone (their source too), so importing the same file twice changes nothing."""
    authorize(actor, IMPORT_POPULATION)
    if not result.clean:
        raise ImportRefused(f"文件有 {result.error_count} 处错误，未导入任何数据")
    source = population_source(result.name)
    created: list[Population] = []
    updated = unchanged = 0
    with transaction.atomic():
        codes = {row.values["code"] for row in result.rows}
        regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        figures = {
            (p.region.code, p.year): p
            for p in Population.objects.select_for_update()
            .filter(region__code__in=codes)
            .select_related("region")
        }
        for row in result.rows:
            values = row.values
            if values["code"] not in regions:
                raise ImportRefused("平台上的区划在检查之后发生了变化，未导入任何数据，请重新上传文件")
            current = figures.get((values["code"], values["year"]))
            if current is None:
                created.append(
                    Population.objects.create(
                        region=regions[values["code"]],
                        year=values["year"],
                        total=values["total"],
                        under_3=values["under_3"],
                        source=source,
                    )
                )
                continue
            if (current.total, current.under_3) == (values["total"], values["under_3"]):
                unchanged += 1
                continue
            before = snapshot(current)
            current.total, current.under_3, current.source = values["total"], values["under_3"], source
            current.save(update_fields=["total", "under_3", "source"])
            record(actor, Verb.UPDATE, current, before=before, note=POPULATION_NOTE)
            updated += 1
        record_created(actor, created, note=POPULATION_NOTE)
    return Summary(len(created), updated, unchanged)
