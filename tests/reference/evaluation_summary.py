#!/usr/bin/python3
# Reference figures of a session's evaluation summary, computed
# independently with SciPy (Debian's python3-scipy; run with
# /usr/bin/python3) from the raw answers the test wrote. Reads
#   {"places": N, "forms": [[13 CSV cells as strings], ...]}
# on standard input (the paper form's columns, "" = not answered) and
# prints the figures as JSON, shaped as the summary's.
import json
import sys

import numpy as np
from scipy import stats

LEVEL = 0.95
RATINGS = ["content", "delivery", "venue", "trainer", "overall"]


def wilson(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=LEVEL,
                                             method="wilson")
    return {"k": k, "n": n, "rate": k / n, "lower": ci.low, "upper": ci.high}


def mean(x):
    x = np.array(x, float)
    lo, hi = stats.t.interval(LEVEL, len(x) - 1, loc=x.mean(),
                              scale=stats.sem(x))
    return {"n": len(x), "mean": x.mean(), "sd": x.std(ddof=1),
            "lower": lo, "upper": hi,
            "distribution": [int((x == v).sum()) for v in range(1, 6)]}


def paired(before, after):
    b = np.array(before, float)
    a = np.array(after, float)
    d = a - b
    t = stats.ttest_rel(a, b)
    lo, hi = stats.t.interval(LEVEL, len(d) - 1, loc=d.mean(),
                              scale=stats.sem(d))
    w = stats.wilcoxon(a, b, zero_method="wilcox", correction=True,
                       mode="approx")
    nz = d[d != 0]
    r = stats.rankdata(np.abs(nz))
    wp, wm = r[nz > 0].sum(), r[nz < 0].sum()
    m = len(nz)
    _, cnt = np.unique(np.abs(nz), return_counts=True)
    var = m * (m + 1) * (2 * m + 1) / 24 - ((cnt ** 3 - cnt).sum()) / 48
    mu = m * (m + 1) / 4
    z = (wp - mu - 0.5 * np.sign(wp - mu)) / np.sqrt(var)
    return {"n": len(d), "mean_before": b.mean(), "mean_after": a.mean(),
            "mean_diff": d.mean(), "sd_diff": d.std(ddof=1),
            "ci_lower": lo, "ci_upper": hi, "t": t.statistic,
            "df": len(d) - 1, "p_t": t.pvalue, "dz": d.mean() / d.std(ddof=1),
            "n_nonzero": m, "w_plus": wp, "w_minus": wm, "z": z,
            "p_w": w.pvalue, "rank_biserial": (wp - wm) / (wp + wm),
            "impact": {"mean_before": b.mean(), "mean_after": a.mean(),
                       "score": 100 * (a.mean() - b.mean()) /
                       (10 - b.mean())}}


def main():
    data = json.load(sys.stdin)
    forms = data["forms"]
    out = {"completion": wilson(len(forms), data["places"]), "ratings": {}}
    for i, name in enumerate(RATINGS):
        out["ratings"][name] = mean([int(f[i]) for f in forms if f[i]])
    for col, name, choices in [(10, "improve_safeguarding",
                                ["yes", "no", "unsure"]),
                               (9, "outcomes_met", ["yes", "partly", "no"])]:
        given = [f[col] for f in forms if f[col]]
        out[name] = {c: wilson(given.count(c), len(given)) for c in choices}
    for col, name in [(5, "knowledge"), (7, "confidence")]:
        pairs = [(int(f[col]), int(f[col + 1])) for f in forms
                 if f[col] and f[col + 1]]
        out[name] = paired([p[0] for p in pairs], [p[1] for p in pairs])
    json.dump(out, sys.stdout, default=float)


main()
