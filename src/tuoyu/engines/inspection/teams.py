"""Teams for the drawn institutions: load bounds, then members chosen one at a time with look-ahead.

The rule is stated in full in ``tuoyu.engines.inspection.draw``; this module computes it with one
flow network. For the drawn institutions ``i`` and inspectors ``p``:

    source → F_i          capacity K − |J|        the team's free places
    source → J_(i,d)      capacity 1              one place per joint department d
    F_i → X_(i,p)         capacity 1              p may inspect i (no conflict)
    J_(i,d) → X_(i,p)     capacity 1              … and p belongs to d
    X_(i,p) → P_p         capacity 1              p is on i's team at most once
    P_p → LOW             capacity floor          the load every inspector must reach
    P_p → HIGH            capacity ceiling − floor
    LOW → sink            capacity |P| · floor
    HIGH → sink           capacity N · K − |P| · floor

A flow of value N · K saturates every source edge and ``LOW → sink``, so it is exactly a valid
assignment with every load within [floor, ceiling]: ``X_(i,p) → P_p`` carries 1 when p is on i's team.
Choosing p for i pins that edge; a choice has a valid completion exactly when the edge already
carries flow, or when its ends lie in one strongly connected component of the residual graph
(a cycle through the edge moves one unit onto it); pinned edges leave the residual graph, so no
later cycle moves them.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuoyu.engines.allocation.lottery import lottery_keys
from tuoyu.engines.inspection._flow import Network

_SOURCE, _SINK, _LOW, _HIGH = 0, 1, 2, 3


class _Layout:
    """The network's shape for one draw; ``build`` makes it with given load bounds."""

    def __init__(
        self,
        candidates: Sequence[Sequence[int]],
        departments: Sequence[int],
        joint: Sequence[int],
        team_size: int,
        inspectors: int,
    ):
        self.candidates = candidates
        self.departments = departments
        self.joint = joint
        self.team_size = team_size
        self.inspectors = inspectors
        self.slots = len(candidates) * team_size

    def build(self, floor: int, ceiling: int) -> tuple[Network, list[dict[int, int]]]:
        first_inspector = 4
        node = first_inspector + self.inspectors
        joint_slot = {d: k for k, d in enumerate(self.joint)}
        per_target = 1 + len(self.joint)
        total = node + sum(per_target + len(c) for c in self.candidates)
        net = Network(total)
        for p in range(self.inspectors):
            net.add(first_inspector + p, _LOW, floor)
            net.add(first_inspector + p, _HIGH, ceiling - floor)
        net.add(_LOW, _SINK, self.inspectors * floor)
        net.add(_HIGH, _SINK, self.slots - self.inspectors * floor)
        member_edges: list[dict[int, int]] = []
        for candidates in self.candidates:
            free = node
            net.add(_SOURCE, free, self.team_size - len(self.joint))
            for k in range(len(self.joint)):
                net.add(_SOURCE, free + 1 + k, 1)
            node += per_target
            edges = {}
            for p in candidates:
                net.add(free, node, 1)
                slot = joint_slot.get(self.departments[p])
                if slot is not None:
                    net.add(free + 1 + slot, node, 1)
                edges[p] = net.add(node, first_inspector + p, 1)
                node += 1
            member_edges.append(edges)
        return net, member_edges

    def solve(self, floor: int, ceiling: int) -> tuple[Network, list[dict[int, int]]] | None:
        """A network carrying a valid assignment with loads in [floor, ceiling], or None if there is none."""
        if self.inspectors * floor > self.slots or self.inspectors * ceiling < self.slots:
            return None
        net, edges = self.build(floor, ceiling)
        if net.max_flow(_SOURCE, _SINK) != self.slots:
            return None
        return net, edges


def _smallest(low: int, high: int, holds) -> int:
    """The smallest x in [low, high] for which the monotone ``holds`` is true; ``holds(high)`` is."""
    # The bounds passed in are what counting alone allows, and usually the answer: try it first.
    if holds(low):
        return low
    low += 1
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return low


def assign_teams(
    targets: Sequence[str],
    candidates: Sequence[Sequence[int]],
    inspector_ids: Sequence[str],
    departments: Sequence[int],
    joint: Sequence[int],
    team_size: int,
    seed: str,
) -> tuple[list[list[int]], list[int], int, int]:
    """Teams (inspector positions, in the order chosen), every inspector's load, and the load bounds.

    ``candidates[i]`` are the inspectors free to inspect ``targets[i]``; ``departments`` and
    ``joint`` are department numbers. The caller has checked that every target can be given a team.
    """
    inspectors = len(inspector_ids)
    layout = _Layout(candidates, departments, joint, team_size, inspectors)
    slots = layout.slots
    # Nobody can be on a team twice, so a ceiling of N always leaves a valid assignment. No ceiling
    # below the average load, nor below N / |d| for a joint department d (it sends one to every team).
    least = max(
        [-(-slots // inspectors)]
        + [-(-len(targets) // sum(1 for dp in departments if dp == d)) for d in joint]
    )
    ceiling = _smallest(least, len(targets), lambda c: layout.solve(0, c) is not None)
    top = slots // inspectors
    floor = top - _smallest(0, top, lambda d: layout.solve(top - d, ceiling) is not None)
    solved = layout.solve(floor, ceiling)
    if solved is None:
        raise AssertionError("the load bounds were just found feasible")
    net, member_edges = solved

    loads = [0] * inspectors
    # What each joint department's inspectors can still take before reaching the ceiling.
    room = {d: sum(ceiling for p in range(inspectors) if departments[p] == d) for d in joint}
    teams: list[list[int]] = []
    for i, institution in enumerate(targets):
        later = len(targets) - i - 1
        pair_keys = dict(
            zip(
                candidates[i],
                lottery_keys(seed, (f"{institution}/{inspector_ids[p]}" for p in candidates[i])),
                strict=True,
            )
        )
        chosen: list[int] = []
        uncovered = set(joint)
        for place in range(team_size):
            # Candidates that plainly have no valid completion are passed over without a search:
            # one already at the ceiling; one outside the joint departments still to be covered
            # when every place left is needed for them; one of a joint department this team already
            # has, when that department's room is all needed by the teams still to come.
            must_cover = len(uncovered) == team_size - place
            spent = {d for d in joint if d not in uncovered and room[d] <= later}
            order = sorted(
                (
                    p
                    for p in candidates[i]
                    if p not in chosen
                    and loads[p] < ceiling
                    and (not must_cover or departments[p] in uncovered)
                    and departments[p] not in spent
                ),
                key=lambda p: (loads[p], pair_keys[p], inspector_ids[p]),
            )
            component = None
            for p in order:
                edge = member_edges[i][p]
                if net.flow(edge):
                    break
                if component is None:
                    # Usually the first candidate fits, and a search that stops when it finds the
                    # cycle costs less than all the components; after one miss, components pay.
                    if net.push_cycle(edge):
                        break
                    component = net.components()
                elif component[net.target[edge]] == component[net.tail(edge)]:
                    net.push_cycle(edge)
                    break
            else:
                raise AssertionError("every earlier choice left a valid completion")
            net.pin(edge)
            chosen.append(p)
            uncovered.discard(departments[p])
            loads[p] += 1
            if departments[p] in room:
                room[departments[p]] -= 1
        teams.append(chosen)
    return teams, loads, floor, ceiling
