"""A small residual network: maximum flow (Dinic), cycles through an edge, and pinning edges.

Only the draw's team assignment uses it. Capacities are small integers; every edge is stored with its
reverse (edge ``e`` and ``e ^ 1``), the reverse starting at capacity 0, so the flow on ``e`` is the
residual capacity of ``e ^ 1``.
"""

from __future__ import annotations


class Network:
    __slots__ = ("adjacent", "capacity", "target")

    def __init__(self, nodes: int):
        self.adjacent: list[list[int]] = [[] for _ in range(nodes)]
        self.target: list[int] = []
        self.capacity: list[int] = []

    def add(self, tail: int, head: int, capacity: int) -> int:
        edge = len(self.target)
        self.target += (head, tail)
        self.capacity += (capacity, 0)
        self.adjacent[tail].append(edge)
        self.adjacent[head].append(edge + 1)
        return edge

    def flow(self, edge: int) -> int:
        return self.capacity[edge ^ 1]

    def tail(self, edge: int) -> int:
        return self.target[edge ^ 1]

    def max_flow(self, source: int, sink: int) -> int:
        """Push as much as possible from source to sink; returns the amount pushed by this call."""
        adjacent, target, capacity = self.adjacent, self.target, self.capacity
        nodes = len(adjacent)
        total = 0
        while True:
            level = [-1] * nodes
            level[source] = 0
            queue = [source]
            for u in queue:
                for e in adjacent[u]:
                    v = target[e]
                    if capacity[e] > 0 and level[v] < 0:
                        level[v] = level[u] + 1
                        queue.append(v)
            if level[sink] < 0:
                return total
            cursor = [0] * nodes
            path: list[int] = []
            u = source
            # Depth-first along the level graph, iteratively: residual paths can be long.
            while True:
                if u == sink:
                    pushed = min(capacity[e] for e in path)
                    for e in path:
                        capacity[e] -= pushed
                        capacity[e ^ 1] += pushed
                    total += pushed
                    path.clear()
                    u = source
                    continue
                edges = adjacent[u]
                k = cursor[u]
                while k < len(edges):
                    e = edges[k]
                    if capacity[e] > 0 and level[target[e]] == level[u] + 1:
                        break
                    k += 1
                cursor[u] = k
                if k < len(edges):
                    path.append(edges[k])
                    u = target[edges[k]]
                    continue
                # A dead end: nothing more passes through u in this phase.
                level[u] = -1
                if not path:
                    break
                e = path.pop()
                u = target[e ^ 1]
                cursor[u] += 1

    def components(self) -> list[int]:
        """The strongly connected component of every node in the residual graph."""
        adjacent, target, capacity = self.adjacent, self.target, self.capacity
        nodes = len(adjacent)
        index = [-1] * nodes
        low = [0] * nodes
        component = [-1] * nodes
        on_stack = bytearray(nodes)
        stack: list[int] = []
        counter = 0
        found = 0
        for root in range(nodes):
            if index[root] >= 0:
                continue
            # Tarjan's algorithm with an explicit call stack of (node, next edge position).
            calls = [(root, 0)]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack[root] = 1
            while calls:
                u, k = calls[-1]
                edges = adjacent[u]
                while k < len(edges):
                    e = edges[k]
                    k += 1
                    if capacity[e] <= 0:
                        continue
                    v = target[e]
                    if index[v] < 0:
                        calls[-1] = (u, k)
                        index[v] = low[v] = counter
                        counter += 1
                        stack.append(v)
                        on_stack[v] = 1
                        calls.append((v, 0))
                        break
                    if on_stack[v] and index[v] < low[u]:
                        low[u] = index[v]
                else:
                    calls.pop()
                    if low[u] == index[u]:
                        while True:
                            w = stack.pop()
                            on_stack[w] = 0
                            component[w] = found
                            if w == u:
                                break
                        found += 1
                    if calls:
                        parent = calls[-1][0]
                        if low[u] < low[parent]:
                            low[parent] = low[u]
        return component

    def _path(self, start: int, goal: int) -> list[int] | None:
        """The edges of a shortest residual path from start to goal, or None.

        Searched from both ends at once, always widening the smaller frontier: a cycle through a
        candidate's edge is usually a swap with one of the team's tentative members, found a few
        steps from either end, while one search from one end would cover most of the network first.
        """
        adjacent, target, capacity = self.adjacent, self.target, self.capacity
        forward = {start: -1}
        backward = {goal: -1}
        front, back = [start], [goal]
        meeting = -1
        while front and back and meeting < 0:
            if len(front) <= len(back):
                widened = []
                for u in front:
                    for e in adjacent[u]:
                        v = target[e]
                        if capacity[e] > 0 and v not in forward:
                            forward[v] = e
                            if v in backward:
                                meeting = v
                                break
                            widened.append(v)
                    if meeting >= 0:
                        break
                front = widened
            else:
                widened = []
                for v in back:
                    for e in adjacent[v]:
                        # e ^ 1 is the residual edge from target[e] into v.
                        u = target[e]
                        if capacity[e ^ 1] > 0 and u not in backward:
                            backward[u] = e ^ 1
                            if u in forward:
                                meeting = u
                                break
                            widened.append(u)
                    if meeting >= 0:
                        break
                back = widened
        if meeting < 0:
            return None
        path = []
        v = meeting
        while v != start:
            e = forward[v]
            path.append(e)
            v = target[e ^ 1]
        path.reverse()
        v = meeting
        while v != goal:
            e = backward[v]
            path.append(e)
            v = target[e]
        return path

    def push_cycle(self, edge: int) -> bool:
        """Send one unit round a residual cycle through ``edge``; False (nothing changed) if there is none."""
        path = self._path(self.target[edge], self.tail(edge))
        if path is None:
            return False
        capacity = self.capacity
        for e in (edge, *path):
            capacity[e] -= 1
            capacity[e ^ 1] += 1
        return True

    def pin(self, edge: int) -> None:
        """Keep the unit on ``edge`` (which carries one) whatever later cycles do.

        The edge leaves the residual graph in both directions, so no cycle can pass through it; its
        unit stays where it is.
        """
        self.capacity[edge] = self.capacity[edge ^ 1] = 0
