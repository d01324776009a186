"""A growth chart as SVG coordinates: the reference's median and ±2 SD lines over the first three
years, and the child's measurements on them. Plain arithmetic; the template draws it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tuoyu.engines.growth import Scheme, sd_line

WIDTH, HEIGHT = 360, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 18, 10, 28
MONTH_DAYS = 30.4375
LAST_MONTH = 36


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    lines: list[tuple[str, str]]  # (label, SVG points)
    points: list[tuple[float, float, str]]  # x, y, tooltip
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: int = HEIGHT - BOTTOM


def chart(
    scheme: Scheme,
    indicator: str,
    sex: str,
    title: str,
    unit: str,
    observations: list[tuple[int, float, str]],
) -> Chart:
    """``observations``: (age in days, value, tooltip) of the child."""
    days = np.array([round(month * MONTH_DAYS) for month in range(LAST_MONTH + 1)])
    lms = scheme.lms[(indicator, sex)][days]
    curves = {sd: sd_line(lms, sd) for sd in (-2, 0, 2)}
    values = [v for _, v, _ in observations]
    low = min([float(curves[-2].min()), *values])
    high = max([float(curves[2].max()), *values])
    step = 2 if high - low <= 24 else 5
    low, high = step * np.floor(low / step), step * np.ceil(high / step)

    def x(age_days: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * age_days / (LAST_MONTH * MONTH_DAYS)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low)

    labels = {-2: "中位数减2个标准差", 0: "中位数", 2: "中位数加2个标准差"}
    lines = [
        (labels[sd], " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(days, curve, strict=True)))
        for sd, curve in curves.items()
    ]
    points = [(round(x(d), 1), round(y(v), 1), tip) for d, v, tip in observations if 0 <= d <= days[-1]]
    x_ticks = [(round(x(month * MONTH_DAYS), 1), f"{month}月") for month in range(0, LAST_MONTH + 1, 6)]
    y_ticks = [(round(y(v), 1), f"{v:g}") for v in np.arange(low, high + step / 2, step)]
    return Chart(title, unit, lines, points, x_ticks, y_ticks)
