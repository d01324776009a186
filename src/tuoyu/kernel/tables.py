"""Spreadsheets people upload: .csv (UTF-8, or GBK as Excel saves it on Chinese Windows) or .xlsx,
read as rows of text cells. Shared by every import (the institution ledger, regions, population), so
each reads files the same way and refuses them with the same Chinese messages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar


class UnreadableFile(Exception):
    """The file is not a spreadsheet we can read; the message is Chinese."""


MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 1000


def cell_text(value: Any) -> str:
    """A cell as text: Excel stores 2025 as 2025.0, which people never typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(name: str, content: bytes) -> list[list[str]]:
    """Rows of cells (as text) from a .csv or .xlsx file's bytes; the first row is the header."""
    suffix = Path(name).suffix.lower()
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(f"文件过大（超过 {MAX_FILE_BYTES // 1048576} MB）")
    if suffix == ".xlsx":
        return list(_read_xlsx(content))
    if suffix == ".csv":
        return list(_read_csv(content))
    raise UnreadableFile("只支持 .xlsx 或 .csv 文件")


def _read_csv(content: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("无法识别CSV文件的编码（请保存为UTF-8或GBK）")
    try:
        for row in csv.reader(io.StringIO(text)):
            yield [cell_text(cell) for cell in row]
    except csv.Error as error:
        raise UnreadableFile(f"CSV文件格式有误（{error}）") from None


def _read_xlsx(content: bytes) -> Iterator[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise UnreadableFile("无法读取Excel文件，请确认是 .xlsx 格式且未加密") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(cell.date() if isinstance(cell, dt.datetime) else cell) for cell in row]
    except Exception:
        raise UnreadableFile("Excel文件内容无法读取，请另存为新的 .xlsx 文件后重试") from None
    finally:
        book.close()


C = TypeVar("C")


def map_header(
    header: list[str],
    known: dict[str, C],
    *,
    required: dict[C, str],
    skip: frozenset[str] = frozenset(),
    fold_case: bool = False,
) -> tuple[dict[int, C], list[str]]:
    """Which column each header cell names (``known``: title → column), and the header's problems
    in Chinese: unknown or repeated titles, missing ``required`` columns (column → label). Blank
    cells and ``skip`` titles (columns an export adds) are passed over."""
    mapping: dict[int, C] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        if not title or title in skip:
            continue
        column = known.get(title.lower() if fold_case else title)
        if column is None:
            problems.append(f"未知的列“{title}”")
        elif column in mapping.values():
            problems.append(f"列“{title}”重复")
        else:
            mapping[index] = column
    missing = [label for column, label in required.items() if column not in mapping.values()]
    if missing:
        problems.append(f"缺少必填列：{'、'.join(missing)}")
    return mapping, problems
