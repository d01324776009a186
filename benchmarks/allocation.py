"""Allocation benchmark: our deferred acceptance against `matching`'s HospitalResident, same rounds.

    .venv/bin/python benchmarks/allocation.py [--budget SECONDS] [--repeat N] [--sizes 1000x50,10000x2000]

For each generated round (applicants × classes, up to 5 ranked choices, priority groups, twins, age
bands) it times ``tuoyu.engines.allocation.allocate`` (median of ``--repeat`` runs: lottery hashes,
ordering, validation, solve, cutoffs and waitlists) and `matching` (``create_from_dictionaries`` +
``solve``, once, in a child process killed after ``--budget`` seconds), checks that both give the
same matching, and prints the ratio. `matching` gets the programs' preference lists ready-made (our
order: priority group, lottery key, id) and only eligible choices, so its time excludes work ours
includes. Then it times the whole ``tuoyu allocate`` command on 100k × 2000 from CSV to CSV, as a
separate process pinned to one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tuoyu.engines.allocation import Applicant, Priority, Program, allocate, csvio

ADMISSION = dt.date(2024, 9, 1)
DEFAULT_SIZES = "1000x50,1000x2000,10000x50,10000x2000,100000x50,100000x2000"


def generate(n: int, m: int, seed: int = 1) -> tuple[list[Program], list[Applicant], list[Priority]]:
    """A round with popular and unpopular classes, seats for ~70% of applicants, 20% priority rows."""
    rng = np.random.default_rng(seed)
    weight = rng.lognormal(0.0, 1.0, m)
    weight /= weight.sum()
    capacity = np.maximum(1, rng.multinomial(int(0.7 * n), 0.5 * weight + 0.5 / m))
    banded = rng.random(m) < 0.3  # kindergarten toddler classes: 24-36 months (003 §四(三))
    programs = [
        Program(f"P{j:04d}", int(capacity[j]), 24 if banded[j] else None, 36 if banded[j] else None)
        for j in range(m)
    ]
    lengths = rng.integers(1, 6, n)
    drawn = rng.choice(m, size=(n, 12), p=weight)
    ages = rng.integers(6, 36, n)
    twins = rng.random(n) < 0.01
    applicants = []
    priorities = []
    for i in range(n):
        choices = tuple(f"P{j:04d}" for j in dict.fromkeys(drawn[i].tolist()))[: lengths[i]]
        months = int(ages[i])
        year, month = divmod(ADMISSION.year * 12 + ADMISSION.month - 1 - months, 12)
        group = f"A{i - 1:06d}" if twins[i] and i > 0 and applicants[-1].lottery_group is None else None
        if group is not None:
            previous = applicants.pop()
            applicants.append(Applicant(previous.id, previous.choices, previous.birth_date, group))
            choices = previous.choices
        applicants.append(Applicant(f"A{i:06d}", choices, dt.date(year, month + 1, 1), group))
        for program in choices:
            if rng.random() < 0.2:
                priorities.append(Priority(program, f"A{i:06d}", int(rng.integers(0, 3))))
    return programs, applicants, priorities


def matching_input(programs, applicants, priorities, seed: str):
    """The same round as `matching` dictionaries; hospital lists in our order, eligible choices only."""
    by_id = {p.id: p for p in programs}
    rank = {(r.program, r.applicant): r.priority for r in priorities}

    def eligible(a: Applicant, program: str) -> bool:
        p = by_id[program]
        if p.min_age_months is None:
            return True
        age = (ADMISSION.year - a.birth_date.year) * 12 + ADMISSION.month - a.birth_date.month
        age -= ADMISSION.day < a.birth_date.day
        return p.min_age_months <= age < p.max_age_months

    key = {a.id: hashlib.sha256(f"{seed}:{a.lottery_group or a.id}".encode()).hexdigest() for a in applicants}
    resident_prefs = {}
    for a in applicants:
        listed = [c for c in a.choices if eligible(a, c)]
        if listed:
            resident_prefs[a.id] = listed
    ranked_by: dict[str, list[str]] = {}
    for a, listed in resident_prefs.items():
        for p in listed:
            ranked_by.setdefault(p, []).append(a)
    hospital_prefs = {
        p: sorted(who, key=lambda a, p=p: (rank.get((p, a), float("inf")), key[a], a))
        for p, who in ranked_by.items()
    }
    capacities = {p: by_id[p].capacity for p in hospital_prefs}
    return resident_prefs, hospital_prefs, capacities


def _solve_with_matching(args, pipe) -> None:
    import threading
    import warnings

    from matching.games import HospitalResident

    resident_prefs, hospital_prefs, capacities = args
    warnings.simplefilter("ignore")
    outcome = []

    def solve() -> None:
        start = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        solved = game.solve(optimal="resident")
        elapsed = time.perf_counter() - start
        outcome.append((elapsed, {r.name: h.name for h, residents in solved.items() for r in residents}))

    # `matching` deep-copies its linked player objects recursively: give it room to recurse.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=solve)
    worker.start()
    worker.join()
    pipe.send(outcome[0] if outcome else None)


def time_matching(args, budget: float):
    """(seconds, assignment) from `matching`; "timeout" past the budget, "failed" if it crashed."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_solve_with_matching, args=(args, send))
    child.start()
    send.close()
    if not receive.poll(budget):
        child.kill()
        child.join()
        return "timeout"
    try:
        answer = receive.recv()
    except EOFError:
        answer = None
    child.join()
    return answer if answer is not None else "failed"


def time_ours(programs, applicants, priorities, seed: str, repeat: int):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = allocate(programs, applicants, priorities, seed=seed, admission_date=ADMISSION)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def command() -> list[str]:
    script = Path(sys.executable).with_name("tuoyu")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tuoyu"]


def time_cli(n: int, m: int, repeat: int) -> None:
    programs, applicants, priorities = generate(n, m, seed=3)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "programs.csv").write_bytes(csvio.programs_csv(programs))
        (base / "applicants.csv").write_bytes(csvio.applicants_csv(applicants))
        (base / "priorities.csv").write_bytes(csvio.priorities_csv(priorities))
        argv = [*command(), "allocate", "--programs", "programs.csv", "--applicants", "applicants.csv"]
        argv += ["--priorities", "priorities.csv", "--seed", "benchmark", "--out", "result.csv"]
        argv += ["--admission-date", ADMISSION.isoformat()]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        one_core = _one_core()
        walls, cpus, peaks = [], [], []
        for _ in range(repeat):
            start = time.perf_counter()
            child = subprocess.Popen(argv, cwd=base, env=env, stdout=subprocess.DEVNULL, preexec_fn=one_core)
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.perf_counter() - start)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0:
                raise SystemExit(f"tuoyu allocate failed with exit code {child.returncode}")
            cpus.append(usage.ru_utime + usage.ru_stime)
            peaks.append(usage.ru_maxrss / 1024)
        peak = max(peaks)
        first = (base / "result.csv").read_bytes()
        subprocess.run(argv, cwd=base, env=env, check=True, stdout=subprocess.DEVNULL)
        same = first == (base / "result.csv").read_bytes()
        sizes = sum((base / f).stat().st_size for f in ("programs.csv", "applicants.csv", "priorities.csv"))
    print(
        f"\ntuoyu allocate, whole process, {n:,} applicants × {m:,} classes, {len(priorities):,} priority rows "
        f"({sizes / 2**20:.1f} MiB of CSV in), one core:"
    )
    print(
        f"  wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}); "
        f"cpu median {statistics.median(cpus):.2f} s; peak {peak:.0f} MiB; goal < 2 s; "
        f"byte-identical rerun: {same}"
    )


def _one_core():
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    return lambda: os.sched_setaffinity(0, {core})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=60.0, help="seconds `matching` may take per size")
    parser.add_argument("--repeat", type=int, default=5, help="runs of ours per size (median)")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated NxM")
    parser.add_argument("--no-cli", action="store_true", help="skip the whole-command timing")
    args = parser.parse_args()

    print(f"{'applicants × classes':>22} {'ours (median)':>14} {'matching':>12} {'ratio':>9}  same matching")
    for size in args.sizes.split(","):
        n, m = (int(x) for x in size.lower().split("x"))
        programs, applicants, priorities = generate(n, m)
        seed = f"bench-{n}-{m}"
        ours, result = time_ours(programs, applicants, priorities, seed, args.repeat)
        theirs = time_matching(matching_input(programs, applicants, priorities, seed), args.budget)
        label = f"{n:,} × {m:,}"
        if theirs == "timeout":
            budget = f"> {args.budget:.0f} s"
            print(
                f"{label:>22} {ours * 1e3:>11.1f} ms {budget:>12} {'—':>9}  skipped: not finished within the budget"
            )
            continue
        if theirs == "failed":
            print(f"{label:>22} {ours * 1e3:>11.1f} ms {'crashed':>12} {'—':>9}  skipped: `matching` failed")
            continue
        elapsed, assignment = theirs
        ours_assignment = {a: p for a, p in result.assignment.items() if p is not None}
        same = ours_assignment == assignment
        print(f"{label:>22} {ours * 1e3:>11.1f} ms {elapsed:>10.2f} s {elapsed / ours:>8.0f}×  {same}")
    if not args.no_cli:
        time_cli(100_000, 2000, args.repeat)


if __name__ == "__main__":
    main()
