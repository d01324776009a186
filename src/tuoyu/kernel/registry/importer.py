"""Importing the institution ledger: preview every row's problems, write only a clean file, all at once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.regions.models import Region
from tuoyu.kernel.registry.ledger import COLUMNS, Row, parse_rows
from tuoyu.kernel.registry.models import Institution, Status
from tuoyu.kernel.registry.rules import BUSINESS_SCOPE_TERMS, registration_problems
from tuoyu.kernel.registry.services import institution_register
from tuoyu.kernel.tables import UnreadableFile, read_table


@dataclass
class Preview:
    rows: list[Row]
    problems: list[str]  # about the file as a whole

    @property
    def error_count(self) -> int:
        return len(self.problems) + sum(len(r.errors) for r in self.rows)

    @property
    def clean(self) -> bool:
        return self.error_count == 0 and bool(self.rows)


def preview(*, name: str, content: bytes, subdistricts: list[Region]) -> Preview:
    """Check a ledger file against the format, itself and the platform; writes nothing.

    ``subdistricts`` are the ones the importer may register institutions in (their jurisdiction).
    """
    try:
        table = read_table(name, content)
    except UnreadableFile as error:
        return Preview([], [str(error)])
    rows, problems = parse_rows(table)
    if not rows and not problems:
        problems.append("文件中没有数据行")
    by_key = {r.code: r for r in subdistricts} | {r.name: r for r in subdistricts}
    for row in rows:
        place = row.raw.get("subdistrict", "")
        if place:
            region = by_key.get(place)
            if region is None:
                row.errors.append(f"街道（镇）“{place}”不存在或不在您的辖区内")
            else:
                row.values["subdistrict"] = region
    codes = Counter(r.values.get("credit_code") for r in rows if r.values.get("credit_code"))
    names = Counter(_name_key(r) for r in rows if _name_key(r))
    numbers = Counter(r.values.get("filing_number") for r in rows if r.values.get("filing_number"))
    taken_codes = set(
        Institution.objects.filter(credit_code__in=list(codes)).values_list("credit_code", flat=True)
    )
    taken_names = set(
        Institution.objects.filter(subdistrict__in=subdistricts, name__in=[n for _, n in names]).values_list(
            "subdistrict_id", "name"
        )
    )
    taken_numbers = set(
        Institution.objects.filter(filing_number__in=list(numbers)).values_list("filing_number", flat=True)
    )
    for row in rows:
        _check_row(row, codes, names, numbers, taken_codes, taken_names, taken_numbers)
    return Preview(rows, problems)


def _name_key(row: Row) -> tuple[int, str] | None:
    region, name = row.values.get("subdistrict"), row.values.get("name")
    return (region.pk, name) if isinstance(region, Region) and name else None


def _check_row(
    row: Row,
    codes: Counter,
    names: Counter,
    numbers: Counter,
    taken_codes: set,
    taken_names: set,
    taken_numbers: set,
) -> None:
    values, errors = row.values, row.errors
    code = values.get("credit_code")
    if code and codes[code] > 1:
        errors.append("统一社会信用代码在文件中重复")
    if code in taken_codes:
        errors.append("统一社会信用代码已在平台登记")
    key = _name_key(row)
    if key and names[key] > 1:
        errors.append("同一街道（镇）的机构名称在文件中重复")
    if key in taken_names:
        errors.append("同一街道（镇）已有同名机构")
    number = values.get("filing_number")
    if number and (numbers[number] > 1 or number in taken_numbers):
        errors.append("备案编号重复")
    low, high = values.get("min_age_months"), values.get("max_age_months")
    if low is not None and high is not None and low > high:
        errors.append("最小收托月龄大于最大收托月龄")
    if {"legal_form", "nature", "credit_code"} <= values.keys():
        errors.extend(
            registration_problems(
                legal_form=values["legal_form"],
                nature=values["nature"],
                credit_code=values["credit_code"],
                business_scope="",
            )
        )
    scope = values.get("business_scope", "")
    if scope and not any(term in scope for term in BUSINESS_SCOPE_TERMS):
        row.warnings.append("经营（业务）范围未注明“托育服务”，备案时将不符合要求")
    if values.get("status") in (Status.FILED, Status.SUSPENDED) and not (
        values.get("filing_number") and values.get("filed_on")
    ):
        errors.append("已备案的机构须填写备案编号和备案日期")
    if not errors:
        _check_model(row)


def _check_model(row: Row) -> None:
    """Whatever else the model refuses (lengths, ranges), reported on the row instead of at writing."""
    try:
        _institution(row).full_clean(validate_unique=False)
    except ValidationError as error:
        labels = {c.key: c.label for c in COLUMNS}
        for field, messages in error.message_dict.items():
            prefix = f"{labels.get(field, field)}：" if field != "__all__" else ""
            row.errors.extend(prefix + message for message in messages)


def _institution(row: Row) -> Institution:
    return Institution(**{k: v for k, v in row.values.items() if k != "enrolled"})


class ImportRefused(Exception):
    """apply() was given a preview with errors: nothing is written."""


def apply(*, actor: Actor, result: Preview) -> list[Institution]:
    """Register every institution of a clean preview in one transaction, audited, and push the
    registration information to the health and public-security departments (P22)."""
    if not result.clean:
        raise ImportRefused(f"文件有 {result.error_count} 处错误，未导入任何数据")
    with transaction.atomic():
        return [
            institution_register(
                actor=actor, data={k: v for k, v in row.values.items() if k != "enrolled"}, note="台账导入"
            )
            for row in result.rows
        ]
