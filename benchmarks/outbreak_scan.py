"""Outbreak scan benchmark: a province's month of morning checks, ours against pandas.

    .venv/bin/python benchmarks/outbreak_scan.py [--children 300000] [--class-size 20] [--days 30]
                                                 [--sick-share 0.02] [--repeat 5] [--no-pandas]

The province: 300,000 children in 15,000 classes of 20, four classes an institution (3,750
institutions), every child checked every day for 30 days: 9 million rows. The goal (issue 11) is
the whole scan in ≤ 1 s in the engine.

How ill the rows are: a symptom on 2% of rows by default (``--sick-share``). Children under three
catch some eight infections a year, but most ill children stay at home; what a morning check finds
is the mild cases, and published 晨检 abnormal rates run from under 1% to a few per cent, mostly
coughs. Of the symptomatic rows: cough 50%, fever 25%, diarrhoea 8%, rash 5%, vomiting 5%,
conjunctivitis 3%, mouth ulcers 3%, jaundice 1%; one in twenty carries a diagnosis (hand-foot-mouth
and influenza-like illness most often). On top, one class in fifty has a cluster — 4 to 7 of its
children with fever or diarrhoea over three days — and one institution in a hundred an outbreak of
hand-foot-mouth or norovirus, so that the scan has alerts to write.

Timed: ``scan(checks, national)`` from the columns the platform keeps (codes, day numbers, bit masks)
to sorted alerts, median of ``--repeat`` runs; building the columns is not timed. The peer is pandas
(installed with the test extras): the same counting from a DataFrame of the same 9 million rows —
filter the rows with a case, per rule select and deduplicate, then distinct children per window.
pandas' ``rolling`` cannot count *distinct* children (a child ill on two days of a window would count
twice), so the idiomatic way is used: repeat each record for the window ends it counts in, drop
duplicates, ``groupby().size()``; then the runs and their cases with ``groupby``/``merge``. Both
sides' alerts are compared and must be the same. Without pandas the comparison is skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tuoyu.engines.outbreak import Checks, rules_on, scan
from tuoyu.engines.outbreak.model import DIAGNOSIS_CODES, NO_CLASS, SYMPTOM_BITS, SYMPTOM_DTYPE
from tuoyu.engines.policy import load_profile

START = dt.date(2025, 3, 3)
SYMPTOM_SHARES = {
    "cough": 0.50,
    "fever": 0.25,
    "diarrhoea": 0.08,
    "rash": 0.05,
    "vomiting": 0.05,
    "conjunctivitis": 0.03,
    "mouth_ulcers": 0.03,
    "jaundice": 0.01,
}
DIAGNOSIS_SHARES = {
    "hfmd": 0.3,
    "influenza_like": 0.3,
    "norovirus": 0.1,
    "varicella": 0.1,
    "mumps": 0.05,
    "scarlet_fever": 0.05,
    "haemorrhagic_conjunctivitis": 0.04,
    "rubella": 0.02,
    "dysentery": 0.02,
    "measles": 0.02,
}


def generate(children: int, class_size: int, days: int, sick_share: float, seed: int = 1) -> Checks:
    rng = np.random.default_rng(seed)
    classes = -(-children // class_size)
    institutions = -(-classes // 4)
    n = children * days
    child = np.tile(np.arange(children, dtype=np.int32), days)
    day = np.repeat(np.arange(days, dtype=np.int32) + START.toordinal(), children)
    care_class = child // class_size
    institution = care_class // 4
    # One check in a hundred does not know the child's class.
    care_class = np.where(rng.random(n) < 0.01, NO_CLASS, care_class).astype(np.int32)

    symptoms = np.zeros(n, dtype=SYMPTOM_DTYPE)
    sick = np.flatnonzero(rng.random(n) < sick_share)
    bits = np.array([SYMPTOM_BITS[s] for s in SYMPTOM_SHARES], dtype=SYMPTOM_DTYPE)
    symptoms[sick] = rng.choice(bits, size=sick.size, p=list(SYMPTOM_SHARES.values()))
    diagnosis = np.full(n, -1, dtype=np.int8)
    diagnosed = sick[rng.random(sick.size) < 0.05]
    codes = np.array([DIAGNOSIS_CODES[d] for d in DIAGNOSIS_SHARES], dtype=np.int8)
    diagnosis[diagnosed] = rng.choice(codes, size=diagnosed.size, p=list(DIAGNOSIS_SHARES.values()))

    def row(kid: np.ndarray, on: np.ndarray) -> np.ndarray:
        return on * children + kid

    # Clusters in one class in fifty, outbreaks in one institution in a hundred.
    for c in rng.choice(classes, size=classes // 50, replace=False):
        kids = c * class_size + rng.choice(class_size, size=rng.integers(4, 8), replace=False)
        kids = kids[kids < children]  # the last class may be short
        first = rng.integers(0, days - 3)
        at = row(kids, first + rng.integers(0, 3, size=kids.size))
        symptoms[at] |= SYMPTOM_BITS["fever" if rng.random() < 0.6 else "diarrhoea"]
    for i in rng.choice(institutions, size=max(1, institutions // 100), replace=False):
        pool = np.arange(i * 4 * class_size, min((i + 1) * 4 * class_size, children))
        size = min(pool.size, rng.integers(4, 12))
        kids = rng.choice(pool, size=size, replace=False)
        first = rng.integers(0, days - 7)
        at = row(kids, first + rng.integers(0, 7, size=size))
        diagnosis[at] = DIAGNOSIS_CODES["hfmd" if rng.random() < 0.5 else "norovirus"]

    return Checks(
        institutions=[f"JG{k:05d}" for k in range(institutions)],
        classes=[f"{k % 4 + 1}班" for k in range(classes)],
        class_institution=np.arange(classes, dtype=np.int32) // 4,
        children=[f"C{k:06d}" for k in range(children)],
        institution=institution,
        care_class=care_class,
        child=child,
        day=day,
        symptoms=symptoms,
        diagnosis=diagnosis,
    )


def ours(checks: Checks, profile) -> set[tuple]:
    return {
        (a.rule.id, a.institution, a.care_class, a.first_date, a.last_date, a.triggered, a.cases)
        for a in scan(checks, profile)
    }


def pandas_scan(frame, rules, checks: Checks) -> set[tuple]:
    """The same alerts the idiomatic pandas way; ``rules`` are in force on every day of the frame."""
    import pandas as pd

    sick = frame[(frame["symptoms"] != 0) | (frame["diagnosis"] >= 0)]
    out = set()
    for rule in rules:
        if rule.symptom is not None:
            chosen = sick[(sick["symptoms"] & SYMPTOM_BITS[rule.symptom]) != 0]
        else:
            chosen = sick[sick["diagnosis"] == DIAGNOSIS_CODES[rule.diagnosis]]
        if rule.scope == "class":
            chosen = chosen[chosen["care_class"] != NO_CLASS]
        where = "care_class" if rule.scope == "class" else "institution"
        records = pd.DataFrame(
            {
                "group": chosen[where].to_numpy(),
                "child": chosen["child"].to_numpy(),
                "day": chosen["day"].to_numpy(),
            }
        ).drop_duplicates()
        if records.empty:
            continue
        width = rule.days
        ends = records.loc[records.index.repeat(width)].reset_index(drop=True)
        ends["end"] = ends["day"] + np.tile(np.arange(width), len(records))
        counted = ends.drop_duplicates(["group", "child", "end"]).groupby(["group", "end"]).size()
        judged = records[["group", "day"]].drop_duplicates()
        judged["count"] = counted.reindex(pd.MultiIndex.from_frame(judged[["group", "day"]])).to_numpy()
        met = judged[judged["count"] >= rule.cases].sort_values(["group", "day"])
        if met.empty:
            continue
        fresh = (met["group"] != met["group"].shift()) | (met["day"] - met["day"].shift() >= width)
        met = met.assign(run=fresh.cumsum())
        runs = met.groupby("run").agg(
            group=("group", "first"), triggered=("day", "first"), last=("day", "last")
        )
        runs["start"] = runs["triggered"] - width + 1
        joined = records.merge(runs.reset_index(), on="group")
        joined = joined[(joined["day"] >= joined["start"]) & (joined["day"] <= joined["last"])]
        cases = joined.groupby("run").agg(cases=("child", "nunique"), first=("day", "min"))
        runs = runs.join(cases)
        for group, triggered, last, first, n in runs[
            ["group", "triggered", "last", "first", "cases"]
        ].itertuples(index=False):
            if rule.scope == "class":
                institution, name = (
                    checks.institutions[checks.class_institution[group]],
                    checks.classes[group],
                )
            else:
                institution, name = checks.institutions[group], ""
            out.add(
                (
                    rule.id,
                    institution,
                    name,
                    dt.date.fromordinal(int(first)),
                    dt.date.fromordinal(int(last)),
                    dt.date.fromordinal(int(triggered)),
                    int(n),
                )
            )
    return out


def timed(call, repeat: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--class-size", type=int, default=20)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--sick-share", type=float, default=0.02)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pandas", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    checks = generate(args.children, args.class_size, args.days, args.sick_share)
    rows = len(checks)
    cases = int(np.count_nonzero((checks.symptoms != 0) | (checks.diagnosis >= 0)))
    print(
        f"{rows:,} check rows: {args.children:,} children, {len(checks.classes):,} classes, "
        f"{len(checks.institutions):,} institutions, {args.days} days; {cases:,} rows with a symptom or "
        f"diagnosis ({cases / rows:.1%}); generated in {time.perf_counter() - start:.1f} s"
    )
    profile = load_profile("national")
    median, times, result = timed(lambda: ours(checks, profile), args.repeat)
    print(
        f"ours   scan: median {median:.3f} s ({', '.join(f'{t:.3f}' for t in times)}), "
        f"{rows / median / 1e6:.1f} million rows/s, {len(result):,} alerts  "
        f"[goal ≤ 1 s: {'met' if median <= 1 else 'NOT met'}]"
    )
    if args.no_pandas:
        return
    try:
        import pandas as pd
    except ImportError:
        print("pandas is not installed: no comparison (pip install pandas, or the test extras)")
        return
    frame = pd.DataFrame(
        {
            "institution": checks.institution,
            "care_class": checks.care_class,
            "child": checks.child,
            "day": checks.day,
            "symptoms": checks.symptoms,
            "diagnosis": checks.diagnosis,
        }
    )
    rules = rules_on(profile, START)
    peer_median, peer_times, peer = timed(lambda: pandas_scan(frame, rules, checks), max(1, args.repeat // 2))
    same = "identical" if peer == result else f"DIFFERENT ({len(peer ^ result)} alerts differ)"
    print(
        f"pandas {pd.__version__} scan: median {peer_median:.3f} s ({', '.join(f'{t:.3f}' for t in peer_times)}), "
        f"{rows / peer_median / 1e6:.1f} million rows/s; alerts {same}"
    )
    print(f"ratio: pandas / ours = {peer_median / median:.1f}×")


if __name__ == "__main__":
    main()
