"""Benchmark: the full standards check of many synthetic institutions, as one batch vs one by one.

    .venv/bin/python benchmarks/policy_check.py [--n 100000] [--single 10000] [--profile sichuan-luzhou-longmatan]

No existing library checks childcare standards, so the comparison is the one the policy engine
offers: ``check_batch`` (vectorised, every rule's statuses for every institution, plus the status
counts per institution) against ``check`` called once per institution, which is a batch of one.
One by one runs on the first ``--single`` institutions and is scaled to all of them; their batch
findings are then materialised and compared with the one-by-one findings, which must be identical.
The batch time excludes building the columns from the facts (printed separately), as the platform
keeps the columns of its institutions; it includes everything the rules compute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tuoyu.engines.policy import check, load_profile
from tuoyu.engines.policy.facts import (
    CareClass,
    Disclosure,
    Facts,
    Health,
    Premises,
    Safety,
    StaffMember,
    Video,
)
from tuoyu.engines.policy.findings import CODE, summary
from tuoyu.engines.policy.standards import FactsBatch, check_batch

SIZES = {"infant": 10, "young_toddler": 15, "older_toddler": 20, "mixed": 18}
RATIO = {"infant": 3, "young_toddler": 5, "older_toddler": 7, "mixed": 5}
AGES = {"infant": (6, 12), "young_toddler": (12, 24), "older_toddler": (24, 36), "mixed": (18, 36)}


def _maybe(rng: random.Random, value, missing: float = 0.02):
    return None if rng.random() < missing else value


def _bool(rng: random.Random, yes: float = 0.995, missing: float = 0.02) -> bool | None:
    return None if rng.random() < missing else rng.random() < yes


def _day(rng: random.Random, base: dt.date, spread: int) -> dt.date:
    return base + dt.timedelta(days=rng.randrange(-spread, spread))


def _pick(rng: random.Random, good, bad, defect: float = 0.02):
    """Mostly a compliant choice, sometimes a defective one."""
    return rng.choice(bad) if rng.random() < defect else rng.choice(good)


def synthetic(n: int, seed: int, on: dt.date) -> list[Facts]:
    """Institutions around the standards' boundaries: a few per cent of facts missing or defective."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        home = rng.random() < 0.03
        classes = []
        for _ in range(rng.randint(1, 2) if home else rng.randint(2, 6)):
            kind = rng.choice(list(SIZES))
            children = SIZES[kind] + _pick(rng, [0, -1, -2, -3, -5], [1, 2])
            carers = -(-children // RATIO[kind]) + _pick(rng, [0, 0, 1], [-1])
            low, high = AGES[kind]
            classes.append(
                CareClass(
                    type=kind,
                    children=_maybe(rng, children),
                    caregivers=_maybe(rng, max(0, carers)),
                    youngest_months=_maybe(rng, low + _pick(rng, [0, 1, 2], [-1])),
                    oldest_months=_maybe(rng, high - _pick(rng, [0, 1, 2], [-1])),
                )
            )
        enrolled = sum(c.children or 0 for c in classes)
        places = max(1, enrolled + _pick(rng, list(range(0, 40)), [-1, -3]))
        lease_start = _day(rng, dt.date(2022, 1, 1), 700)
        staff = [
            StaffMember(
                role="manager",
                education=_maybe(
                    rng, _pick(rng, ["college", "bachelor", "master"], ["secondary_vocational"])
                ),
                management_years=_maybe(rng, Decimal(_pick(rng, list(range(3, 15)), [1, 2]))),
                training_passed=_bool(rng),
                training_hours=_maybe(rng, _pick(rng, [60, 80, 120], [40]), 0.3),
                certificates=_pick(rng, [("manager_training",)], [()], 0.1),
            )
        ]
        for c in classes:
            for _ in range(c.caregivers or 1):
                staff.append(
                    StaffMember(
                        role="caregiver",
                        education=_maybe(
                            rng,
                            _pick(
                                rng,
                                ["senior_high", "secondary_vocational", "college"],
                                ["junior_high"],
                                0.005,
                            ),
                        ),
                        relevant_background=_bool(rng),
                        certificates=_maybe(
                            rng,
                            _pick(
                                rng,
                                [("childcare_worker",), ("infant_carer",), ("childcare_worker", "teacher")],
                                [(), ("teacher",)],
                                0.005,
                            ),
                        ),
                    )
                )
        if rng.random() < 0.99:
            staff.append(
                StaffMember(
                    role="health_staff",
                    education=_maybe(rng, _pick(rng, ["college", "bachelor"], ["secondary_vocational"])),
                    relevant_background=_bool(rng),
                    professional_title=_maybe(rng, _pick(rng, ["护师", "医师", "护士"], [""])),
                    training_passed=_bool(rng),
                    full_time=_bool(rng, 0.9),
                )
            )
        if rng.random() < 0.99:
            staff.append(
                StaffMember(
                    role="security_guard",
                    certificates=_maybe(rng, _pick(rng, [("security_guard_licence",)], [()])),
                    licensed_company=_bool(rng),
                )
            )
        staff = [
            StaffMember(
                **{
                    **{f: getattr(s, f) for f in StaffMember.__dataclass_fields__},
                    "health_exam_date": _maybe(
                        rng, on - dt.timedelta(days=_pick(rng, list(range(0, 360)), [370, 400], 0.005))
                    ),
                    "criminal_record_checked_on": _maybe(
                        rng, on - dt.timedelta(days=_pick(rng, list(range(0, 360)), [400], 0.005))
                    ),
                    "criminal_record_clear": _bool(rng, 0.9995),
                }
            )
            for s in staff
        ]
        nature = rng.choice(["for_profit", "non_profit"])
        form = rng.choice(
            {
                "for_profit": ["enterprise", "individual_business"],
                "non_profit": ["social_service_org", "public_institution"],
            }[nature]
        )
        # the offices Longmatan assigns (003 附件2 #1, #16, #18); other profiles judge by the nature
        authority = {
            "enterprise": ["administrative_approval"],
            "individual_business": ["market_regulation"],
            "social_service_org": ["administrative_approval"],
            "public_institution": ["staffing_office"],
        }[form]
        retention = _pick(rng, [90, 120, 180], [30, 60])
        out.append(
            Facts(
                name=f"机构{i}",
                nature=nature,
                legal_form=_maybe(rng, form),
                operator=rng.choice(["public", "private", "private_public_aided"]),
                affordable=_bool(rng, 0.5),
                service_centre=not home and rng.random() < 0.01,
                home_childcare_point=home,
                premises=Premises(
                    tenure=_maybe(rng, rng.choice(["owned", "leased", "leased"])),
                    lease_start=_maybe(rng, lease_start),
                    lease_end=_maybe(
                        rng, lease_start + dt.timedelta(days=_pick(rng, [1095, 1096, 1826, 3652], [1094]))
                    ),
                    indoor_area_m2=_maybe(
                        rng, Decimal(places * 50 + _pick(rng, list(range(0, 600)), [-1, -10])) / 10
                    ),
                    outdoor_area_m2=_maybe(rng, Decimal(places * 2 + _pick(rng, list(range(0, 40)), [-1]))),
                    building_area_m2=_maybe(
                        rng, Decimal(places * 12 + _pick(rng, list(range(0, 100)), [-1]))
                    ),
                    floor_of_child_rooms=_maybe(rng, _pick(rng, [1, 2, 3], [4])),
                    child_rooms_below_ground=_bool(rng, 0.005),
                    window_area_ratio=_maybe(rng, Decimal(_pick(rng, list(range(20, 36)), [19, 15])) / 100),
                ),
                places=_maybe(rng, places),
                enrolled=None if rng.random() < 0.5 else enrolled,
                service_types=_maybe(
                    rng, tuple(rng.sample(["full_day", "half_day", "hourly"], rng.randint(1, 2)))
                ),
                outdoor_minutes_per_day=_maybe(rng, _pick(rng, [120, 150], [90])),
                classes=None if rng.random() < 0.005 else tuple(classes),
                staff=None if rng.random() < 0.005 else tuple(staff),
                video=Video(_bool(rng), _bool(rng), _maybe(rng, retention), _bool(rng), _bool(rng)),
                prepaid_fee_months=_maybe(rng, _pick(rng, [1, 3], [6])),
                business_scope=_maybe(
                    rng, _pick(rng, ["托育服务", "3岁以下婴幼儿照护服务（托育服务）"], ["早期教育咨询"])
                ),
                registered_with=_maybe(rng, _pick(rng, authority, ["market_regulation", "civil_affairs"])),
                parents_committee=_bool(rng),
                health=Health(_bool(rng), _bool(rng), _bool(rng)),
                safety=Safety(*(_bool(rng) for _ in range(6))),
                disclosure=Disclosure(*(_bool(rng) for _ in range(5))),
            )
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--profile", default="sichuan-luzhou-longmatan")
    parser.add_argument("--on", default="2024-06-01")
    parser.add_argument("--repeat", type=int, default=5, help="batch runs (the median is reported)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--single", type=int, default=10_000, help="institutions checked one by one (scaled to --n)"
    )
    args = parser.parse_args()
    on = dt.date.fromisoformat(args.on)
    profile = load_profile(args.profile)

    t = time.perf_counter()
    facts = synthetic(args.n, args.seed, on)
    print(f"generated {args.n} institutions in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    batch = FactsBatch.from_facts(facts)
    print(
        f"columns built in {time.perf_counter() - t:.2f} s "
        f"({len(batch.class_facts)} classes, {len(batch.staff_facts)} staff rows)"
    )

    batch_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = check_batch(batch, profile, on)
        batch_times.append(time.perf_counter() - t)
    batch_median = statistics.median(batch_times)
    peak_batch = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    sample = min(args.single, args.n)
    t = time.perf_counter()
    one_by_one = [check(f, profile, on) for f in facts[:sample]]
    single = (time.perf_counter() - t) * args.n / sample

    t = time.perf_counter()
    mismatched = sum(1 for i in range(sample) if result.findings(i) != one_by_one[i])
    materialise = time.perf_counter() - t
    counts_equal = all(
        [int(x) for x in result.counts[i]] == [summary(one_by_one[i])[s] for s in CODE] for i in range(sample)
    )
    findings = int(result.counts.sum())
    failing = len(result.failing())

    print(f"profile {profile.name}, on {on}, {findings} findings, {failing} institutions with a fail")
    print(
        f"batch (NumPy):  median {batch_median:.3f} s over {args.repeat} runs  ({', '.join(f'{x:.3f}' for x in batch_times)})"
    )
    print(
        f"one by one:     {single:.2f} s"
        + (f" (scaled from {sample} institutions)" if sample < args.n else "")
    )
    print(f"ratio:          {single / batch_median:.0f}x faster in batch")
    print(f"materialising {sample} institutions' batch findings and comparing: {materialise:.1f} s")
    print(
        f"identical findings: {mismatched == 0} ({mismatched} of {sample} institutions differ); identical counts: {counts_equal}"
    )
    print(
        f"peak memory: {peak_batch:.0f} MiB after generating the facts and the batch runs, "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB once every one-by-one finding is held"
    )
    return 0 if mismatched == 0 and counts_equal else 1


if __name__ == "__main__":
    raise SystemExit(main())
