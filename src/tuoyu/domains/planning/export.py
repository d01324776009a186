"""The planning tables as an Excel workbook."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from tuoyu.domains.planning.analysis import Planning
from tuoyu.engines import per_1000


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def workbook(p: Planning) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "各街道托位供给"
    sheet.append(
        [
            "街道（镇）",
            "区域类型",
            "常住人口",
            "3岁以下",
            "托位",
            "普惠托位",
            "每千人口托位",
            "规划标准（每千人）",
            "按规划标准缺口",
            f"{p.target_year or ''}年目标（每千人）",
            "按目标缺口",
            f"{p.minutes}分钟圈覆盖的3岁以下占比",
        ]
    )
    for row in p.rows:
        s = row.supply
        sheet.append(
            [
                s.region.name,
                s.region.get_area_type_display(),
                s.population,
                s.under_3,
                s.places,
                s.affordable_places,
                _number(per_1000.rounded(s.places, s.population)),
                row.norm.per_1000 if row.norm else None,
                row.norm.places_needed if row.norm else None,
                row.target.per_1000 if row.target else None,
                row.target.places_needed if row.target else None,
                round(row.covered_share, 4) if row.covered_share is not None else None,
            ]
        )
    targets = book.create_sheet("区级目标")
    targets.append(["指标", "目标年份", "目标值", "现状", "单位", "依据", "说明"])
    for t in p.district_targets:
        targets.append(
            [
                t.label,
                t.year,
                t.target,
                round(t.actual, 2) if t.actual is not None else None,
                t.unit,
                t.citation,
                t.note,
            ]
        )
    if p.candidate_points:
        sites = book.create_sheet("建议新增点位")
        sites.append(
            ["序号", "街道（镇）", "经度", "纬度", "新增托位", "新覆盖3岁以下人数", "计入目标缺口的托位"]
        )
        for n, site in enumerate(p.candidate_points, start=1):
            sites.append(
                [
                    n,
                    site["region"],
                    site["lon"],
                    site["lat"],
                    site["places"],
                    round(site["newly_covered"]),
                    site["toward_target"],
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
