"""The peer's whole-process pipeline for ``tuoyu allocate``: the `matching` package's HospitalResident.

    python benchmarks/peers/matching_allocate.py PROGRAMS.csv APPLICANTS.csv PRIORITIES.csv SEED DATE OUT.csv

Reads the same three CSV files with the csv module, gives `matching` what it needs and cannot
derive (each program's preference list in tuoyu's order: priority, lottery key, id; only the
choices eligible by age on DATE), solves the resident-optimal matching and writes
``applicant,program`` in the applicants' order. The lottery keys are hashed here with the same
formula, so both sides do that work.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import sys
import threading


def _rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _age_in_months(birth: dt.date, on: dt.date) -> int:
    return (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)


def main(programs_path, applicants_path, priorities_path, seed, date, out) -> int:
    from matching.games import HospitalResident

    on = dt.date.fromisoformat(date)
    programs = {row["id"]: row for row in _rows(programs_path)}
    applicants = _rows(applicants_path)
    rank = {(r["program"], r["applicant"]): int(r["priority"]) for r in _rows(priorities_path)}

    def eligible(applicant: dict[str, str], program: str) -> bool:
        low, high = programs[program].get("min_age_months"), programs[program].get("max_age_months")
        if not low and not high:
            return True
        age = _age_in_months(dt.date.fromisoformat(applicant["birth_date"]), on)
        return (not low or int(low) <= age) and (not high or age < int(high))

    key = {
        a["id"]: hashlib.sha256(f"{seed}:{a.get('lottery_group') or a['id']}".encode()).hexdigest()
        for a in applicants
    }
    resident_prefs = {}
    for a in applicants:
        listed = [c for c in a["choices"].split("|") if c and eligible(a, c)]
        if listed:
            resident_prefs[a["id"]] = listed
    ranked_by: dict[str, list[str]] = {}
    for a, listed in resident_prefs.items():
        for p in listed:
            ranked_by.setdefault(p, []).append(a)
    hospital_prefs = {
        p: sorted(who, key=lambda a, p=p: (rank.get((p, a), float("inf")), key[a], a))
        for p, who in ranked_by.items()
    }
    capacities = {p: int(programs[p]["capacity"]) for p in hospital_prefs}

    solved = {}

    def solve() -> None:
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        solved.update(game.solve(optimal="resident"))

    # `matching` deep-copies its linked players recursively: give it the stack that needs.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=solve)
    worker.start()
    worker.join()
    placed = {r.name: h.name for h, residents in solved.items() for r in residents}
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("applicant", "program"))
        writer.writerows((a["id"], placed.get(a["id"], "")) for a in applicants)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
