"""Growth z-score benchmark: a province's measurements, ours against rcpchgrowth.

    .venv/bin/python benchmarks/growth_zscores.py [--children 300000] [--sample 3000] [--repeat 5]

A province's quarter: 300,000 children under three, each measured once (age 0–1095 days, weight
and length drawn around the WHO median). Timed: ``assess`` (three z-scores and the four flags of
every measurement, from the columns) with the WHO 2006 tables, median of ``--repeat`` runs. The
peer is rcpchgrowth, the maintained package whose WHO tables the engine reads: its
``sds_for_measurement`` scores one measurement per call, so it runs on ``--sample`` measurements
and its rate is scaled to the whole province (the ratio is of measurements per second). The two
sides' weight and length z-scores are compared on the sample (within ±3 SD, where rcpchgrowth
applies no WHO restriction) and must agree to 0.02.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tuoyu.engines.growth import Cutoffs, assess, sd_line, who_2006


def province(children: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    scheme = who_2006()
    sex = rng.choice(np.array(["male", "female"]), children)
    age = rng.integers(0, 1096, children)
    weight, length = np.empty(children), np.empty(children)
    for name in ("male", "female"):
        rows = sex == name
        weight[rows] = sd_line(
            scheme.lms[("weight_for_age", name)][age[rows]], rng.normal(0, 1.1, rows.sum())
        )
        length[rows] = sd_line(
            scheme.lms[("length_for_age", name)][age[rows]], rng.normal(0, 1.1, rows.sum())
        )
    return sex, age, weight.round(2), length.round(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--sample", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scheme = who_2006()
    sex, age, weight, length = province(args.children)
    cutoffs = Cutoffs(below_sd=2, overweight_sd=2)

    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = assess(scheme, cutoffs, sex=sex, age_days=age, weight_kg=weight, length_cm=length)
        times.append(time.perf_counter() - start)
    ours = statistics.median(times)
    flagged = int(np.logical_or.reduce(list(result.flags.values())).sum())
    print(
        f"ours: {args.children:,} measurements in {ours:.3f} s ({args.children / ours:,.0f}/s), {flagged:,} flagged"
    )

    try:
        from rcpchgrowth import sds_for_measurement
    except ImportError:
        print("rcpchgrowth not installed: no comparison")
        return 0
    n = min(args.sample, args.children)
    start = time.perf_counter()
    theirs_w = [
        sds_for_measurement("who", age[i] / 365.25, "weight", float(weight[i]), str(sex[i])) for i in range(n)
    ]
    theirs_l = [
        sds_for_measurement("who", age[i] / 365.25, "height", float(length[i]), str(sex[i])) for i in range(n)
    ]
    peer = (time.perf_counter() - start) / (2 * n)  # seconds per z-score
    peer_whole = peer * 3 * args.children  # three z-scores a measurement, as ours
    print(
        f"rcpchgrowth: {2 * n:,} z-scores in {peer * 2 * n:.3f} s; the province at that rate: {peer_whole:.1f} s"
    )
    print(f"ratio (rcpchgrowth / ours): {peer_whole / ours:,.0f}x")
    within = np.abs(result.z["weight_for_age"][:n]) <= 3
    diff_w = np.abs(result.z["weight_for_age"][:n] - np.array(theirs_w))[within]
    diff_l = np.abs(result.z["length_for_age"][:n] - np.array(theirs_l))
    print(f"largest difference: weight {diff_w.max():.4f}, length {diff_l.max():.4f} SD")
    return 0 if diff_w.max() < 0.02 and diff_l.max() < 0.02 else 1


if __name__ == "__main__":
    sys.exit(main())
