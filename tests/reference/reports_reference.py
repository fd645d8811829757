#!/usr/bin/python3
# Reference figures for tests/integration/reports.test.mjs, computed
# independently with SciPy from counts the test worked out itself. Reads
# JSON on stdin:
#   {"trends": [[y1, y2, ...], ...], "years": [2013, ...],
#    "proportions": [[k, n], ...], "chisq": [[row1...], [row2...]],
#    "means": [[x...], ...]}
# and prints the same keys with the statistics (95 % intervals).
import json
import sys

import numpy as np
from scipy import stats

Z = stats.norm.ppf(0.975)


def wilson(k, n):
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return {"rate": p, "lower": max(0.0, centre - half), "upper": min(1.0, centre + half)}


def trend(x, y):
    r = stats.linregress(x, y)
    return {"slope": r.slope, "p": r.pvalue}


def mean(x):
    x = np.array(x, float)
    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    return {"mean": x.mean(), "lower": lo, "upper": hi}


data = json.load(sys.stdin)
out = {
    "trends": [trend(data["years"], y) for y in data.get("trends", [])],
    "proportions": [wilson(k, n) for k, n in data.get("proportions", [])],
    "means": [mean(x) for x in data.get("means", [])],
}
if data.get("chisq"):
    table = np.array(data["chisq"], float)
    table = table[:, table.sum(axis=0) > 0]
    chi2, p, df, _ = stats.chi2_contingency(table, correction=False)
    out["chisq"] = {"statistic": chi2, "p": p, "df": df}
print(json.dumps(out))
