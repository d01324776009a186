"""Inspection draw benchmark: whole draws, and our maximum flow against SciPy's on the same network.

    .venv/bin/python benchmarks/inspection_draw.py [--repeat N] [--sizes 300x30x30x3,500x100x50x3]

Sizes are institutions × inspectors × targets × team size. Each generated pool has four departments
(health and fire joint), and one conflict per institution and inspector on average. For each size
it times ``tuoyu.engines.inspection.draw`` (median of ``--repeat`` runs: keys, strata, the load
bounds' flows, the teams), then one feasibility flow of the final network with our Dinic and with
``scipy.sparse.csgraph.maximum_flow`` (Dinic in C), checks that both find the same value, and prints
the ratio. No library draws inspection teams; the flow is the part a library could do for us.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from tuoyu.engines.inspection import Conflict, Inspector, Institution, draw
from tuoyu.engines.inspection.teams import _SINK, _SOURCE, _Layout

DEPARTMENTS = ("health", "fire", "market_regulation", "public_security")
DEFAULT_SIZES = "300x30x30x3,500x100x50x3,2000x200x200x4"


def generate(institutions: int, inspectors: int, seed: int = 1):
    rng = random.Random(seed)
    pool = [Institution(f"JG{k:05d}", rng.choice(("high", "normal", "normal"))) for k in range(institutions)]
    staff = [Inspector(f"P{k:04d}", DEPARTMENTS[k % len(DEPARTMENTS)]) for k in range(inspectors)]
    pairs = {(rng.randrange(inspectors), rng.randrange(institutions)) for _ in range(institutions)}
    conflicts = [Conflict(staff[p].id, pool[i].id) for p, i in sorted(pairs)]
    return pool, staff, conflicts


def timed(call, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(n: int, p: int, targets: int, team: int, repeat: int) -> str:
    pool, staff, conflicts = generate(n, p)
    seed = hashlib.sha256(b"benchmark").hexdigest()
    joint = ("health", "fire")
    seconds, result = timed(
        lambda: draw(
            pool, staff, targets=targets, team_size=team, seed=seed, joint=joint, conflicts=conflicts
        ),
        repeat,
    )
    drawn = {t.institution for t in result.teams}
    banned = {(c.inspector, c.institution) for c in conflicts}
    index = {code: k for k, code in enumerate(DEPARTMENTS)}
    layout = _Layout(
        [[k for k, s in enumerate(staff) if (s.id, i.id) not in banned] for i in pool if i.id in drawn],
        [index[s.department] for s in staff],
        [index[d] for d in joint],
        team,
        len(staff),
    )

    def ours():
        net, _ = layout.build(result.load_floor, result.load_ceiling)
        return net.max_flow(_SOURCE, _SINK)

    net, _ = layout.build(result.load_floor, result.load_ceiling)
    heads = np.array(net.target[0::2], dtype=np.int32)
    tails = np.array(net.target[1::2], dtype=np.int32)
    capacities = np.array(net.capacity[0::2], dtype=np.int32)
    nodes = len(net.adjacent)

    def scipy_flow():
        graph = csr_matrix((capacities, (tails, heads)), shape=(nodes, nodes))
        return maximum_flow(graph, _SOURCE, _SINK, method="dinic").flow_value

    our_seconds, our_value = timed(ours, repeat)
    peer_seconds, peer_value = timed(scipy_flow, repeat)
    assert our_value == peer_value == targets * team, (our_value, peer_value)
    return (
        f"{n} × {p} × {targets} × {team} | {seconds:.3f} s | {our_seconds * 1000:.1f} ms | "
        f"{peer_seconds * 1000:.1f} ms | {our_seconds / peer_seconds:.1f}× slower"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    args = parser.parse_args()
    print("institutions × inspectors × targets × team | draw | our flow | SciPy flow | ratio")
    for size in args.sizes.split(","):
        print(measure(*map(int, size.split("x")), repeat=args.repeat))


if __name__ == "__main__":
    main()
