"""tuoyu access — floating catchment accessibility (2SFCA family) and coverage of demand cells.

    tuoyu access --demand demand.csv --supply supply.csv [--cost cost.csv]
                 --method 2sfca|e2sfca|g2sfca|3sfca --threshold METRES
                 [--steps "400:1,800:0.68,1200:0.22"] [--sigma M] --out out.csv
                 [--lonlat wgs84|cgcs2000|gcj02] [--backend auto|numpy|compiled]

Writes ``id,access,covered`` and prints a one-line JSON summary. Formats: ``docs/access.md``.
No Django is loaded; numba only for large inputs.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
import threading
from pathlib import Path

import numpy as np

from tuoyu.commands._common import EXIT_OK, ArgumentParser, BadInput, guarded
from tuoyu.engines.access.fca import (
    METHODS,
    expected_pairs,
    floating_catchment,
    load_compiled,
    numba_available,
)
from tuoyu.engines.access.search import CostTable
from tuoyu.engines.access.tables import TableError, read_costs, read_points, write_access
from tuoyu.engines.access.weights import Steps

# Files written, summary printed: the process may end without unloading its modules (cli.py).
EXIT_AT_ONCE = True

# A command runs once, so numba's start-up (~0.7 s per process) must pay for itself in this one
# call: the NumPy path costs ~50 ns per pair, the compiled one ~2 ns, hence ~15M pairs break even.
_ONE_SHOT_COMPILED_MIN_PAIRS = 10_000_000


def _parser(prog: str) -> ArgumentParser:
    parser = ArgumentParser(
        prog=prog,
        description="计算托育服务可及性（两步移动搜索法系列）与覆盖人口 / "
        "floating catchment accessibility (2SFCA, E2SFCA, G2SFCA, 3SFCA) and coverage",
    )
    parser.add_argument(
        "--demand", required=True, metavar="CSV", help="需求点 / demand cells: id,x,y,population"
    )
    parser.add_argument(
        "--supply", required=True, metavar="CSV", help="托育机构 / institutions: id,x,y,capacity"
    )
    parser.add_argument(
        "--cost",
        metavar="CSV",
        help="出行成本 / travel costs: origin,destination,cost（此时不需要 x,y / then no x,y）",
    )
    parser.add_argument("--method", choices=METHODS, default="2sfca", help="方法 / method (default 2sfca)")
    parser.add_argument(
        "--threshold",
        required=True,
        type=float,
        metavar="METRES",
        help="服务半径（或成本上限） / catchment threshold",
    )
    parser.add_argument(
        "--steps",
        metavar="D:W,…",
        help='分段权重 / step weights, e.g. "400:1,800:0.68,1200:0.22" (e2sfca, 3sfca)',
    )
    parser.add_argument(
        "--sigma", type=float, metavar="M", help="高斯权重宽度 / Gaussian width (g2sfca, 3sfca)"
    )
    parser.add_argument("--out", required=True, metavar="CSV", help="结果 / result: id,access,covered")
    parser.add_argument(
        "--lonlat",
        choices=("wgs84", "cgcs2000", "gcj02"),
        help="x,y 为该坐标系的经度、纬度 / x,y are longitude, latitude in this datum",
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "numpy", "compiled"),
        default="auto",
        help="计算后端 / kernel (default auto)",
    )
    return parser


def run(argv: list[str], prog: str) -> int:
    args = _parser(prog).parse_args(argv)
    return guarded(lambda: _access(args))


def _parse_steps(text: str) -> Steps:
    try:
        pairs = [item.split(":") for item in text.split(",") if item.strip()]
        if not pairs or any(len(pair) != 2 for pair in pairs):
            raise ValueError("each step is DISTANCE:WEIGHT")
        return Steps(tuple(float(d) for d, _ in pairs), tuple(float(w) for _, w in pairs))
    except ValueError as error:
        raise BadInput(
            f"--steps 格式有误（{text}），应为 距离:权重,…，距离递增、权重非负",
            f"--steps {text!r} is not DISTANCE:WEIGHT,… with increasing distances and weights >= 0 ({error})",
        ) from None


def _access(args) -> int:
    if not (math.isfinite(args.threshold) and args.threshold > 0):
        raise BadInput("--threshold 必须为正数", "--threshold must be a positive number")
    if args.sigma is not None and not (math.isfinite(args.sigma) and args.sigma > 0):
        raise BadInput("--sigma 必须为正数", "--sigma must be a positive number")
    steps = _parse_steps(args.steps) if args.steps is not None else None
    if args.method == "2sfca" and (steps is not None or args.sigma is not None):
        raise BadInput("2sfca 不使用 --steps 或 --sigma", "2sfca takes neither --steps nor --sigma")
    if args.method == "e2sfca" and args.sigma is not None:
        raise BadInput("e2sfca 使用 --steps，不使用 --sigma", "e2sfca takes --steps, not --sigma")
    if args.method == "g2sfca" and steps is not None:
        raise BadInput("g2sfca 使用 --sigma，不使用 --steps", "g2sfca takes --sigma, not --steps")
    if steps is not None and args.sigma is not None:
        raise BadInput("--steps 与 --sigma 只能选一个", "give --steps or --sigma, not both")
    out = Path(args.out)
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise BadInput(f"输出目录不存在：{out.parent}", f"output directory does not exist: {out.parent}")
    if args.cost is not None and args.lonlat is not None:
        raise BadInput("使用 --cost 时不需要 --lonlat", "--lonlat makes no sense with --cost")

    with_xy = args.cost is None
    # The institutions first, so that numba can load on another core while the (larger) demand file
    # is read; a problem in either is still reported demand first, as the files are named.
    try:
        supply, supply_error = read_points(args.supply, "capacity", coordinates=with_xy), None
    except TableError as error:
        supply, supply_error = None, error
    warmup = _Warmup.start(args, supply) if supply is not None else None
    try:
        return _read_and_compute(args, out, steps, supply, supply_error, warmup)
    finally:
        if warmup is not None:
            warmup.join()  # never leave numba loading while the interpreter shuts down


def _read_and_compute(args, out, steps, supply, supply_error, warmup) -> int:
    try:
        demand = read_points(args.demand, "population", coordinates=args.cost is None)
        if supply_error is not None:
            raise supply_error
        costs: CostTable | None = read_costs(args.cost, demand, supply) if args.cost is not None else None
    except TableError as error:
        raise BadInput(error.zh, error.en) from None

    population = demand.columns["population"]
    capacity = supply.columns["capacity"]
    try:
        result = _compute(args, demand, supply, costs, population, capacity, steps, warmup)
    except ValueError as error:  # the engine's own checks; the reads above catch what they can name
        raise BadInput(f"输入有误：{error}", f"bad input: {error}") from None

    write_access(out, demand.ids, result.access, result.covered)
    share = result.covered_share
    summary = {
        "method": args.method,
        "threshold": args.threshold,
        "demand_cells": len(demand.ids),
        "institutions": len(supply.ids),
        "pairs": result.pairs,
        "population": result.population,
        "covered_population": result.covered_population,
        "covered_share": None if math.isnan(share) else share,
        "uncovered_cells": int((~result.covered).sum()),
        "out": str(out),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return EXIT_OK


def _compute(args, demand, supply, costs, population, capacity, steps, warmup):
    if costs is None:
        demand_xy = np.column_stack([demand.columns["x"], demand.columns["y"]])
        supply_xy = np.column_stack([supply.columns["x"], supply.columns["y"]])
        if args.lonlat is not None:
            demand_xy, supply_xy = _project(demand, supply, demand_xy, supply_xy, args.lonlat)
        backend = args.backend
        if backend == "auto":
            large = expected_pairs(demand_xy, supply_xy, args.threshold) >= _ONE_SHOT_COMPILED_MIN_PAIRS
            backend = "compiled" if large and numba_available() else "numpy"
        if backend == "compiled" and warmup is not None:
            warmup.join()
        return floating_catchment(
            population, capacity, args.threshold, method=args.method, demand_xy=demand_xy,
            supply_xy=supply_xy, steps=steps, sigma=args.sigma, backend=backend,
        )  # fmt: skip
    return floating_catchment(
        population, capacity, args.threshold, method=args.method, costs=costs,
        steps=steps, sigma=args.sigma, backend=args.backend,
    )  # fmt: skip


class _Warmup:
    """numba and the method's kernels, loaded on a thread while the demand file is read."""

    def __init__(self, method: str):
        self._thread = threading.Thread(target=self._load, args=(method,), daemon=True)
        self._thread.start()

    @staticmethod
    def _load(method: str) -> None:
        # Any failure shows again, and is reported, when the main thread makes the real call.
        with contextlib.suppress(Exception), _scipy_hidden():
            load_compiled(method)

    def join(self) -> None:
        self._thread.join()

    @classmethod
    def start(cls, args, supply) -> _Warmup | None:
        if args.cost is not None or args.backend == "numpy":
            return None
        if args.backend == "auto" and _pairs_to_expect(args, supply) < _ONE_SHOT_COMPILED_MIN_PAIRS:
            return None
        return cls(args.method)


@contextlib.contextmanager
def _scipy_hidden():
    """While numba starts: it imports scipy.linalg (~0.12 s, a tenth of a large run) only to offer
    np.linalg inside compiled code. The kernels use none of it and nothing else in this command
    needs scipy; numba goes on without it (and a numba that needed it would fall back to NumPy)."""
    if "scipy" in sys.modules:
        yield
        return
    sys.modules["scipy"] = None  # an import of scipy now fails at once, as if it were not installed
    try:
        yield
    finally:
        if "scipy" in sys.modules and sys.modules["scipy"] is None:
            del sys.modules["scipy"]


def _pairs_to_expect(args, supply) -> float:
    """Pairs ``expected_pairs`` will count, guessed from the institutions and the demand file's size."""
    x, y = supply.columns["x"], supply.columns["y"]
    if len(x) == 0:
        return 0.0
    width, height = float(x.max() - x.min()), float(y.max() - y.min())
    if args.lonlat is not None:  # degrees to metres, near enough for a guess
        width *= 111_320 * math.cos(math.radians(float(np.clip(y.mean(), -89, 89))))
        height *= 110_574
    cells = _rows_in(Path(args.demand), Path(args.supply), len(x))
    area = (width + 2 * args.threshold) * (height + 2 * args.threshold)
    return cells * len(x) * min(1.0, math.pi * args.threshold**2 / area)


def _rows_in(demand: Path, supply: Path, supply_rows: int) -> float:
    try:
        if demand.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            return float(pq.ParquetFile(demand).metadata.num_rows)
        per_row = supply.stat().st_size / max(supply_rows, 1) if supply.suffix.lower() != ".parquet" else 40.0
        return demand.stat().st_size / max(per_row, 1.0)
    except Exception:  # unreadable: the reader will say why
        return 0.0


def _project(demand, supply, demand_xy, supply_xy, datum: str):
    from tuoyu.engines.access.coords import LocalProjection

    both = np.vstack([demand_xy, supply_xy])
    for table, xy in ((demand, demand_xy), (supply, supply_xy)):
        bad = ~((np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90))
        if bad.any():
            zh, en = table.at(int(np.flatnonzero(bad)[0]))
            raise BadInput(f"{zh}：x,y 不是有效的经度、纬度", f"{en}: x,y is not a valid longitude, latitude")
    projection = LocalProjection.around(both[:, 0], both[:, 1], datum)
    return (
        projection.to_metres(demand_xy[:, 0], demand_xy[:, 1], datum),
        projection.to_metres(supply_xy[:, 0], supply_xy[:, 1], datum),
    )
