"""The peer's best whole-process pipeline for ``tuoyu access`` (coordinates in, id,access,covered out).

    python benchmarks/peers/pysal_access.py DEMAND.csv SUPPLY.csv THRESHOLD METHOD OUT.csv

CSV in with pandas' pyarrow engine, pairs within the threshold from scipy's KD-tree (PySAL
``access`` builds a full cross join itself, far slower at this size), ``access.Access`` for the
method, CSV out with pandas. Weights as in ``benchmarks/access.py``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

# Run as a script, this folder is first on the path; the library is wanted, not a local file.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

STEPS = {400.0: 1.0, 800.0: 0.68, 1200.0: 0.22}
WAN = {200.0: 0.962, 400.0: 0.704, 600.0: 0.377, 1200.0: 0.042}
SIGMA = 600.0


def main(demand_path: str, supply_path: str, threshold: str, method: str, out: str) -> int:
    import access
    import numpy as np
    import pandas as pd
    from access import weights
    from scipy.spatial import cKDTree

    limit = float(threshold)
    demand = pd.read_csv(demand_path, engine="pyarrow", dtype={"id": str})
    supply = pd.read_csv(supply_path, engine="pyarrow", dtype={"id": str})
    demand_xy = demand[["x", "y"]].to_numpy()
    supply_xy = supply[["x", "y"]].to_numpy()
    pairs = cKDTree(supply_xy).sparse_distance_matrix(cKDTree(demand_xy), limit, output_type="ndarray")
    costs = pd.DataFrame({"origin": pairs["j"], "dest": pairs["i"], "cost": pairs["v"]})
    del pairs
    covered = np.zeros(len(demand), dtype=bool)
    covered[costs["origin"].to_numpy()] = True
    model = access.Access(
        demand_df=pd.DataFrame({"pop": demand["population"].to_numpy()}).rename_axis("geoid"),
        demand_index=True, demand_value="pop",
        supply_df=pd.DataFrame({"cap": supply["capacity"].to_numpy()}).rename_axis("geoid"),
        supply_index=True, supply_value="cap",
        cost_df=costs, cost_origin="origin", cost_dest="dest", cost_name="cost",
    )  # fmt: skip
    weight = {
        "2sfca": None,
        "e2sfca": weights.step_fn(STEPS),
        "g2sfca": weights.gaussian(SIGMA),
        "3sfca": weights.step_fn(WAN),
    }[method]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "3sfca":
            frame = model.three_stage_fca(max_cost=limit, weight_fn=weight)
        else:
            frame = model.two_stage_fca(max_cost=limit, weight_fn=weight)
    values = frame.iloc[:, 0].reindex(range(len(demand))).to_numpy()
    access_values = np.where(covered, values, np.nan)
    result = pd.DataFrame({"id": demand["id"], "access": access_values, "covered": covered.astype(int)})
    result.to_csv(out, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
