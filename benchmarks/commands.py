"""Whole-process benchmark: `tuoyu access` and `tuoyu allocate` beside their peers, as commands.

    .venv/bin/python benchmarks/commands.py [--pairs N] [--only access|allocate]

Each side is one process timed from outside, start to exit: interpreter start-up, imports, files
in, the computation, files out. The two sides run in turn (ours, peer, ours, peer …) so that a
machine whose speed drifts slows both; the ratio is the median of the pairs' ratios. Wall and CPU
(user + system, all threads) seconds and peak RSS come from ``os.wait4``.

- access: the 1M-cell × 10k-institution city of ``benchmarks/access.py`` as CSV (id,x,y,amount at
  full precision), 2SFCA within 1200 m, ``id,access,covered`` out. Peer:
  ``peers/pysal_access.py`` (pandas' pyarrow CSV reader, scipy KD-tree pairs, PySAL ``access``).
  Goals: ≥ 30× and ≤ 1 GB.
- allocate: the 10,000 × 2,000 round of ``benchmarks/allocation.py`` as CSV (programs, applicants,
  priorities), the result CSV out. Peer: ``peers/matching_allocate.py`` (`matching`'s
  HospitalResident, handed each class's order ready-made). Goal: ≥ 100×.

One warm-up run of ours is not counted (it fills numba's cache on a fresh installation). Both
sides' results are compared: the same coverage and access to 1e-9, the same matching; the exit
status is 1 if they differ. Timings are printed, never judged by the exit status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"
ACCESS_SIZE = (1_000_000, 10_000)
ALLOCATE_SIZE = (10_000, 2_000)
ADMISSION = dt.date(2024, 9, 1)


def _sibling(name: str):
    """A sibling benchmark module, loaded by path (``access.py`` would shadow the peer library)."""
    saved = dict(os.environ)
    spec = importlib.util.spec_from_file_location(f"_benchmark_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.environ.clear()  # benchmarks/access.py pins its own workers to one thread; these are commands
    os.environ.update(saved)
    return module


def _tuoyu() -> list[str]:
    script = Path(sys.executable).with_name("tuoyu")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tuoyu"]


def _run(argv: list[str], cwd: Path) -> dict:
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    error = child.stderr.read().decode("utf-8", "replace").strip()
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {error.splitlines()[-1] if error else status}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def _pairs(ours: list[str], peer: list[str], cwd: Path, pairs: int) -> tuple[list[dict], list[dict]]:
    _run(ours, cwd)  # warm-up: numba's cache, the page cache
    mine, theirs = [], []
    for _ in range(pairs):
        mine.append(_run(ours, cwd))
        theirs.append(_run(peer, cwd))
    return mine, theirs


def _report(
    title: str, mine: list[dict], theirs: list[dict], goal: float, memory_goal_mb: float | None
) -> None:
    def median(runs, key):
        return statistics.median(r[key] for r in runs)

    ratio = statistics.median(t["wall"] / m["wall"] for m, t in zip(mine, theirs, strict=True))
    print(f"\n{title} — whole process, {len(mine)} pairs, medians")
    print(f"  {'':6} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
    for name, runs in (("tuoyu", mine), ("peer", theirs)):
        print(
            f"  {name:6} {median(runs, 'wall'):8.3f} {median(runs, 'cpu'):8.3f} {max(r['peak_mb'] for r in runs):8.0f}"
        )
    spread = f"{min(r['wall'] for r in mine):.3f}–{max(r['wall'] for r in mine):.3f} s"
    verdict = "met" if ratio >= goal else "NOT met"
    print(
        f"  ratio (median of paired peer/ours wall): {ratio:.1f}×  goal ≥ {goal:.0f}×: {verdict}; ours ranged {spread}"
    )
    if memory_goal_mb is not None:
        peak = max(r["peak_mb"] for r in mine)
        print(
            f"  our peak {peak:.0f} MB, goal ≤ {memory_goal_mb:.0f} MB: {'met' if peak <= memory_goal_mb else 'NOT met'}"
        )


# ---------------------------------------------------------------- access


def _write_points(path: Path, prefix: str, xy, amount, column: str) -> None:
    x, y, a = xy[:, 0].tolist(), xy[:, 1].tolist(), amount.tolist()
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(f"id,x,y,{column}\n")
        out.writelines(f"{prefix}{k:07d},{x[k]!r},{y[k]!r},{a[k]!r}\n" for k in range(len(x)))


def _agree_access(ours: Path, peer: Path) -> str:
    import numpy as np
    import pyarrow.csv as pa_csv

    def load(path):
        table = pa_csv.read_csv(path)
        return table.column("access").to_numpy(zero_copy_only=False), table.column("covered").to_numpy()

    (a, c), (b, d) = load(ours), load(peer)
    if not np.array_equal(c, d):
        return "DIFFERENT coverage"
    covered = c.astype(bool)
    worst = float(np.max(np.abs(a[covered] - b[covered]) / np.abs(b[covered]))) if covered.any() else 0.0
    return f"{'same' if worst <= 1e-9 else 'DIFFERENT'} (max relative difference {worst:.1e})"


def _access_inputs(folder: Path) -> None:
    n, m = ACCESS_SIZE
    demand_xy, population, supply_xy, capacity = _sibling("access").city(n, m)
    _write_points(folder / "demand.csv", "D", demand_xy, population, "population")
    _write_points(folder / "supply.csv", "S", supply_xy, capacity, "capacity")


def access(pairs: int, folder: Path) -> None:
    n, m = ACCESS_SIZE
    _in_child("inputs", "access", folder)
    common = ["demand.csv", "supply.csv"]
    ours = [*_tuoyu(), "access", "--demand", common[0], "--supply", common[1], "--method", "2sfca"]
    ours += ["--threshold", "1200", "--out", "ours.csv"]
    peer = [sys.executable, str(PEERS / "pysal_access.py"), *common, "1200", "2sfca", "peer.csv"]
    mine, theirs = _pairs(ours, peer, folder, pairs)
    _report(
        f"tuoyu access, {n:,} cells × {m:,} institutions, 2SFCA 1200 m, CSV in and out",
        mine,
        theirs,
        30,
        1024,
    )
    _in_child("agree", "access", folder)


# ---------------------------------------------------------------- allocate


def _agree_allocate(ours: Path, peer: Path) -> str:
    import csv

    def load(path):
        with path.open(encoding="utf-8", newline="") as handle:
            return {row["applicant"]: row["program"] for row in csv.DictReader(handle)}

    return "same matching" if load(ours) == load(peer) else "DIFFERENT matching"


def _allocate_inputs(folder: Path) -> None:
    from tuoyu.engines.allocation import csvio

    programs, applicants, priorities = _sibling("allocation").generate(*ALLOCATE_SIZE)
    (folder / "programs.csv").write_bytes(csvio.programs_csv(programs))
    (folder / "applicants.csv").write_bytes(csvio.applicants_csv(applicants))
    (folder / "priorities.csv").write_bytes(csvio.priorities_csv(priorities))


def allocate(pairs: int, folder: Path) -> None:
    n, m = ALLOCATE_SIZE
    _in_child("inputs", "allocate", folder)
    files = ["programs.csv", "applicants.csv", "priorities.csv"]
    ours = [*_tuoyu(), "allocate", "--programs", files[0], "--applicants", files[1], "--priorities", files[2]]
    ours += ["--seed", "benchmark", "--admission-date", ADMISSION.isoformat(), "--out", "ours.csv"]
    peer = [sys.executable, str(PEERS / "matching_allocate.py"), *files, "benchmark", ADMISSION.isoformat()]
    peer += ["peer.csv"]
    mine, theirs = _pairs(ours, peer, folder, pairs)
    _report(f"tuoyu allocate, {n:,} applicants × {m:,} classes, CSV in and out", mine, theirs, 100, None)
    _in_child("agree", "allocate", folder)


def _in_child(task: str, command: str, folder: Path) -> None:
    # A child's peak RSS as os.wait4 reports it starts from the size of the process that forked it:
    # this one stays small by making the inputs and comparing the results in children of its own.
    sys.stdout.flush()
    done = subprocess.run([sys.executable, __file__, f"--{task}", command, str(folder)], check=False)
    if done.returncode:
        _FAILED.append(f"{command} {task}")


_FAILED: list[str] = []


def _child(task: str, command: str, folder: Path) -> int:
    if task == "inputs":
        (_access_inputs if command == "access" else _allocate_inputs)(folder)
        return 0
    agree = _agree_access if command == "access" else _agree_allocate
    verdict = agree(folder / "ours.csv", folder / "peer.csv")
    print(f"  results: {verdict}")
    return 0 if verdict.startswith("same") else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3, help="timed runs of each side (default 3)")
    parser.add_argument("--only", choices=("access", "allocate"), help="one command only")
    for task in ("inputs", "agree"):
        parser.add_argument(f"--{task}", nargs=2, metavar=("COMMAND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    for task in ("inputs", "agree"):
        if getattr(args, task):
            return _child(task, getattr(args, task)[0], Path(getattr(args, task)[1]))
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; a run of the access peer takes 25-90 s, of the other ~5 s"
    )
    for name, bench in (("access", access), ("allocate", allocate)):
        if args.only in (None, name):
            with tempfile.TemporaryDirectory() as folder:
                bench(args.pairs, Path(folder))
    if _FAILED:
        print(f"failed: {', '.join(_FAILED)}")
    return 1 if _FAILED else 0


if __name__ == "__main__":
    raise SystemExit(main())
