"""Run your quality gate and bias metrics on the workspace's data (given: you do not need to change
this file): `python report.py`."""

from __future__ import annotations

import pandas as pd
from quality import class_imbalance, dpl, validate

if __name__ == "__main__":
    applications, customers = pd.read_csv("applications.csv"), pd.read_csv("customers.csv")
    kept, quarantined = validate(applications, customers)
    quarantined.to_csv("quarantine.csv", index=False)
    print(f"kept {len(kept)}, quarantined {len(quarantined)}: {quarantined['reason'].value_counts().to_dict()}")
    for value in ("female", "male"):
        ci, gap = class_imbalance(kept, "gender", value), dpl(kept, "gender", value)
        print(f"gender={value}: CI {ci:+.3f}, DPL {gap:+.3f}")
