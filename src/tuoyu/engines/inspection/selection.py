"""Which institutions are drawn: quotas per stratum (largest remainders), then the smallest keys.

The rule is stated in full in ``tuoyu.engines.inspection.draw``.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuoyu.engines.allocation.lottery import lottery_key, lottery_keys
from tuoyu.engines.inspection.model import Institution, Quota


def stratum_quotas(institutions: Sequence[Institution], targets: int, seed: str) -> list[Quota]:
    """Targets per stratum, proportional to its size by largest remainders (Hamilton's method).

    Stratum ``s`` of ``n_s`` institutions out of ``n`` gets ``floor(targets * n_s / n)``; the targets
    left over go one each to the strata with the largest remainders ``targets * n_s mod n``, equal
    remainders ordered by ``lottery_key(seed, name)`` (the unnamed stratum's name is ""), smaller
    first. Quotas are listed in order of each stratum's first institution. ``targets <= n``.
    """
    sizes: dict[str | None, int] = {}
    for institution in institutions:
        stratum = institution.stratum or None
        sizes[stratum] = sizes.get(stratum, 0) + 1
    pool = len(institutions)
    quotas = {s: targets * n // pool for s, n in sizes.items()}
    left = targets - sum(quotas.values())
    by_remainder = sorted(
        sizes, key=lambda s: (-(targets * sizes[s] % pool), lottery_key(seed, s or ""), s or "")
    )
    for s in by_remainder[:left]:
        quotas[s] += 1
    return [Quota(s, n, quotas[s]) for s, n in sizes.items()]


def select_targets(
    institutions: Sequence[Institution], targets: int, seed: str
) -> tuple[list[int], list[Quota]]:
    """The drawn institutions (positions in ``institutions``) in draw order, and the quotas.

    Within each stratum the institutions with the smallest ``(lottery_key(seed, id), id)`` are drawn,
    as many as its quota; the drawn are then ordered by the same pair, smallest first.
    """
    quotas = stratum_quotas(institutions, targets, seed)
    keys = lottery_keys(seed, (i.id for i in institutions))
    order = sorted(range(len(institutions)), key=lambda k: (keys[k], institutions[k].id))
    room = {q.stratum: q.targets for q in quotas}
    drawn = []
    for k in order:
        stratum = institutions[k].stratum or None
        if room[stratum]:
            room[stratum] -= 1
            drawn.append(k)
    return drawn, quotas
