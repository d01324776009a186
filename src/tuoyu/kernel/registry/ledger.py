"""The institution ledger (管理台账) as a table: one column definition for export and import.

Export writes every column; import reads the importable ones, matched by their Chinese header (or
the English key), and checks each cell, collecting every problem of every row in Chinese.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tuoyu.engines.identifiers import InvalidIdentifier, mask_mobile, validate_credit_code, validate_mobile
from tuoyu.kernel.registry.models import LegalForm, Nature, Operator, ProvisionModel, ServiceType, Status
from tuoyu.kernel.tables import MAX_CELL_CHARS, UnreadableFile, cell_text, map_header


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese."""


def _choice(choices: type) -> Callable[[str], str]:
    by_label = {label: value for value, label in choices.choices}
    # Short forms people type into spreadsheets: "民办非企业单位" for the long label, etc.
    by_label.update({label.split("（")[0]: value for value, label in choices.choices})

    def parse(text: str) -> str:
        if text in choices.values:
            return text
        if text in by_label:
            return by_label[text]
        raise CellError(f"“{text}”不是可选值（可选：{'、'.join(label for _, label in choices.choices)}）")

    return parse


def _bool(text: str) -> bool:
    if text in ("是", "普惠", "true", "True", "1", "Y", "y"):
        return True
    if text in ("否", "非普惠", "false", "False", "0", "N", "n", ""):
        return False
    raise CellError(f"“{text}”应填“是”或“否”")


def _int(low: int = 0, high: int = 100_000) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            exact = Decimal(text)
        except (InvalidOperation, ValueError):
            raise CellError(f"“{text}”不是整数") from None
        if not exact.is_finite() or exact != exact.to_integral_value():
            raise CellError(f"“{text}”不是整数")
        number = int(exact)
        if number < low:
            raise CellError(f"不能小于{low}（当前为{number}）")
        if number > high:
            raise CellError(f"不能大于{high}（当前为{number}）")
        return number

    return parse


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise CellError(f"“{text}”不是数字")
    if value < 0:
        raise CellError("不能为负数")
    if value >= Decimal("1000000"):
        raise CellError("金额过大")
    return value.quantize(Decimal("0.01"))


def _coordinate(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise CellError(f"“{text}”不是数字") from None
        if not low <= value <= high:  # NaN fails this too
            raise CellError(f"应在{low}到{high}之间（中国境内经纬度）")
        return value

    return parse


def _credit_code(text: str) -> str:
    try:
        return validate_credit_code(text).value
    except InvalidIdentifier as error:
        raise CellError(str(error)) from None


def _mobile(text: str) -> str:
    try:
        return validate_mobile(text)
    except InvalidIdentifier as error:
        raise CellError(str(error)) from None


def _date(text: str) -> dt.date:
    text = text.split(" ")[0].replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(f"“{text}”不是日期（格式如 2024-03-01）") from None


def _service_types(text: str) -> list[str]:
    parse = _choice(ServiceType)
    parts = [p for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]
    return [parse(p.strip()) for p in parts]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    parse: Callable[[str], Any] | None = None  # None: exported only, never imported
    required: bool = False
    render: Callable[[Any], str] = cell_text


def _label_of(choices: type) -> Callable[[Any], str]:
    labels = dict(choices.choices)
    return lambda value: labels.get(value, cell_text(value))


COLUMNS: tuple[Column, ...] = (
    Column("name", "机构名称", str, required=True),
    Column("credit_code", "统一社会信用代码", _credit_code, required=True),
    Column("subdistrict", "街道（镇）", str, required=True),
    Column("address", "地址", str, required=True),
    Column("legal_form", "法人类型", _choice(LegalForm), required=True, render=_label_of(LegalForm)),
    Column("nature", "性质", _choice(Nature), required=True, render=_label_of(Nature)),
    Column("operator", "举办形式", _choice(Operator), required=True, render=_label_of(Operator)),
    Column(
        "provision_model",
        "办托模式",
        _choice(ProvisionModel),
        required=True,
        render=_label_of(ProvisionModel),
    ),
    Column("affordable", "普惠", _bool, render=lambda v: "是" if v else "否"),
    Column("places", "托位数", _int(0, 2000), required=True),
    Column(
        "service_types",
        "服务类型",
        _service_types,
        render=lambda v: "、".join(dict(ServiceType.choices).get(t, t) for t in v or []),
    ),
    Column("min_age_months", "最小收托月龄", _int(0, 36)),
    Column("max_age_months", "最大收托月龄", _int(0, 36)),
    Column("monthly_fee", "月收费（元）", _decimal),
    Column("contact_name", "联系人", str),
    # Exported masked like every page shows it; a re-import needs the full number typed in.
    Column("contact_phone", "联系电话", _mobile, render=mask_mobile),
    Column("lon", "经度", _coordinate(73.0, 135.5)),
    Column("lat", "纬度", _coordinate(3.5, 54.0)),
    Column("business_scope", "经营（业务）范围", str),
    Column("status", "状态", _choice(Status), render=_label_of(Status)),
    Column("filing_number", "备案编号", str),
    Column("filed_on", "备案日期", _date),
    Column("enrolled", "在托人数"),
)
IMPORTABLE = tuple(c for c in COLUMNS if c.parse is not None)


# --- rows ------------------------------------------------------------------------------------------


@dataclass
class Row:
    line: int  # as the spreadsheet numbers it: the header is line 1
    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def header_map(header: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Which column each header cell is, and the problems with the header (Chinese)."""
    known = {c.label: c for c in IMPORTABLE} | {c.key: c for c in IMPORTABLE}
    exported_only = frozenset(c.label for c in COLUMNS if c.parse is None)
    required = {c: c.label for c in IMPORTABLE if c.required}
    return map_header(header, known, required=required, skip=exported_only)


def parse_rows(table: list[list[str]]) -> tuple[list[Row], list[str]]:
    """Parse every data row cell by cell; returns the rows and the header's problems."""
    if not table:
        return [], ["文件是空的"]
    mapping, problems = header_map(table[0])
    rows = []
    for offset, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        row = Row(line=offset)
        for index, column in mapping.items():
            text = cells[index] if index < len(cells) else ""
            if len(text) > MAX_CELL_CHARS:
                row.errors.append(f"{column.label}：内容过长（超过{MAX_CELL_CHARS}个字符）")
                continue
            row.raw[column.key] = text
            if not text:
                if column.required:
                    row.errors.append(f"{column.label}不能为空")
                continue
            try:
                row.values[column.key] = column.parse(text)
            except CellError as error:
                row.errors.append(f"{column.label}：{error}")
        rows.append(row)
    return rows, problems


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(column: Column, value: Any) -> str | int | float:
    """Numbers stay numbers; text that a spreadsheet would run as a formula is made plain text."""
    if isinstance(value, bool):
        return column.render(value)
    if isinstance(value, int | float | Decimal) and column.render is cell_text:
        return float(value) if isinstance(value, Decimal) else value
    text = column.render(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_rows(records: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """The ledger as a table: the header, then one row per institution record."""
    table: list[list[Any]] = [[c.label for c in COLUMNS]]
    for record in records:
        table.append([_cell(c, record.get(c.key)) for c in COLUMNS])
    return table


def write_table(table: list[list[str]], suffix: str) -> bytes:
    if suffix == ".csv":
        out = io.StringIO()
        csv.writer(out).writerows(table)
        return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "托育机构台账"
        for row in table:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    raise UnreadableFile("只支持导出为 .xlsx 或 .csv 文件")
