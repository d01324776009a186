"""Reading what a request carries: one parser per kind of value, each refusing with a Chinese message.

Views never call ``int()``, ``float()`` or ``json.loads`` on request data themselves: a value a
person (or a script) sends is read here, so that a huge number, a non-ASCII digit, a lone surrogate,
a wrong JSON type or a deeply nested body is a 400 that changes nothing, never a 500 half-way.
``BadInput`` raised anywhere below a view becomes that 400 (``site.middleware``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from tuoyu import text

T = TypeVar("T")
# ASCII only: Python's int() also reads "٣" and "²"-like digits, which no form should accept.
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,15}(\.[0-9]{1,10})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Dates before or after these are typing mistakes in every field the platform has.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
MAX_JSON_BYTES = 256 * 1024
MAX_JSON_DEPTH = 8
MAX_QUERY_TEXT = 200


class BadInput(Exception):
    """A request value that cannot be used. ``fields`` maps field names to Chinese messages; ``code``
    is the stable error code an API client reads."""

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.code = code

    @classmethod
    def field(cls, name: str, message: str) -> BadInput:
        return cls(f"{name}：{message}", fields={name: [message]})


# --- single values ---------------------------------------------------------------------------------


def integer(raw: str, *, low: int, high: int) -> int:
    """An ASCII integer within [low, high]; ValueError (Chinese) otherwise."""
    raw = raw.strip()
    if not _INTEGER.fullmatch(raw):
        raise ValueError("应为整数（半角数字）。")
    value = int(raw)
    if not low <= value <= high:
        raise ValueError(f"应在 {low} 到 {high} 之间。")
    return value


def decimal(raw: str, *, low: Decimal | int, high: Decimal | int) -> Decimal:
    raw = raw.strip()
    if not _DECIMAL.fullmatch(raw):
        raise ValueError("应为数字（半角数字和小数点）。")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError("应为数字（半角数字和小数点）。") from None
    if not low <= value <= high:
        raise ValueError(f"应在 {low} 到 {high} 之间。")
    return value


def date(raw: str, *, earliest: dt.date = EARLIEST_DATE, latest: dt.date = LATEST_DATE) -> dt.date:
    raw = raw.strip()
    if not _DATE.fullmatch(raw):
        raise ValueError("应为日期，格式如 2026-03-01。")
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError("不是有效的日期。") from None
    if not earliest <= value <= latest:
        raise ValueError(f"应在 {earliest:%Y-%m-%d} 到 {latest:%Y-%m-%d} 之间。")
    return value


def plain(raw: str, *, max_length: int, multiline: bool = False) -> str:
    value = text.normalise(raw)
    if message := text.problem(value, multiline=multiline):
        raise ValueError(message)
    if len(value) > max_length:
        raise ValueError(f"不能超过 {max_length} 个字符。")
    return value


# --- query parameters --------------------------------------------------------------------------------


def _bad_parameter(name: str, message: str) -> BadInput:
    """A link's parameter is a code, not a word people know: the message says what is wrong without it."""
    return BadInput(f"链接中的查询条件有误：{message}", fields={name: [message]})


def _parsed(request, name: str, parse: Callable[[str], T], default: T | None) -> T | None:
    """The parameter read by ``parse``; ``default`` when absent or blank; BadInput when unreadable."""
    raw = request.GET.get(name, "")
    if not raw.strip():
        return default
    try:
        return parse(raw)
    except ValueError as error:
        raise _bad_parameter(name, str(error)) from None


def query_int(
    request, name: str, *, low: int = 0, high: int = 2**53, default: int | None = None
) -> int | None:
    return _parsed(request, name, lambda raw: integer(raw, low=low, high=high), default)


def query_number(request, name: str, *, low: float, high: float) -> float | None:
    return _parsed(
        request, name, lambda raw: float(decimal(raw, low=Decimal(str(low)), high=Decimal(str(high)))), None
    )


def query_date(request, name: str, *, default: dt.date | None = None) -> dt.date | None:
    return _parsed(request, name, date, default)


def query_text(request, name: str, *, max_length: int = MAX_QUERY_TEXT) -> str:
    return _parsed(request, name, lambda raw: plain(raw, max_length=max_length), "")


def query_choice(request, name: str, choices: Iterable[str]) -> str:
    """One of ``choices``, or "" when the parameter is absent or empty."""
    allowed = set(choices)

    def parse(raw: str) -> str:
        if raw.strip() not in allowed:
            raise ValueError("不是可选的值。")
        return raw.strip()

    return _parsed(request, name, parse, "")


def query_flag(request, name: str) -> bool | None:
    """ "1" → True, "0" → False, absent or empty → None."""
    return {"1": True, "0": False, "": None}[query_choice(request, name, ("1", "0"))]


# --- JSON bodies -----------------------------------------------------------------------------------------


def _depth(body: str) -> int:
    """How deeply arrays and objects nest, read without parsing (json.loads would recurse first)."""
    deepest = depth = 0
    in_string = escaped = False
    for char in body:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _check_strings(value: Any, path: str) -> None:
    if isinstance(value, str):
        if text.has_lone_surrogate(value):
            raise BadInput.field(path or "内容", "包含无效的字符编码。")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, path)
            _check_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, f"{path}[{index}]")


def json_object(request) -> dict[str, Any]:
    """The request body as a JSON object; BadInput for anything else."""
    body = request.body
    if len(body) > MAX_JSON_BYTES:
        raise BadInput(f"请求内容过大（不超过 {MAX_JSON_BYTES // 1024} KB）。", code="invalid_json")
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("请求内容应为UTF-8编码的JSON。", code="invalid_json") from None
    if not decoded.strip():
        raise BadInput("请求内容为空，应为JSON对象。", code="invalid_json")
    if _depth(decoded) > MAX_JSON_DEPTH:
        raise BadInput("JSON嵌套层次过深。", code="invalid_json")
    try:
        value = json.loads(decoded, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, RecursionError, ValueError):
        raise BadInput("请求内容不是有效的JSON。", code="invalid_json") from None
    if not isinstance(value, dict):
        raise BadInput("请求内容应为JSON对象。", code="invalid_json")
    _check_strings(value, "")
    return value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")
