#!/usr/bin/python3
# Reference values for tests/unit/test_stats.c, computed independently
# with SciPy (Debian's python3-scipy; run with /usr/bin/python3). The
# R cross-checks are in stats_reference.R. Prints each value with 17
# significant digits, to paste into the tests.
import numpy as np
from scipy import stats

def show(name, v):
    print(f"{name} = {float(v):.17g}")

# Ratings-like paired data, full of ties and zero differences.
before = [3, 5, 4, 6, 5, 5, 7, 4, 3, 6, 5, 4, 5, 6, 2, 5, 4, 6, 7, 5]
after  = [6, 7, 6, 6, 7, 8, 8, 6, 5, 7, 5, 7, 6, 8, 4, 7, 6, 6, 9, 7]
d = np.array(after, float) - np.array(before, float)
t = stats.ttest_rel(after, before)
show("paired.t", t.statistic); show("paired.p_t", t.pvalue)
show("paired.mean_diff", d.mean()); show("paired.sd_diff", d.std(ddof=1))
lo, hi = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
show("paired.ci_lower", lo); show("paired.ci_upper", hi)
show("paired.dz", d.mean() / d.std(ddof=1))
w = stats.wilcoxon(after, before, zero_method="wilcox", correction=True,
                   mode="approx")
show("paired.p_w", w.pvalue)
nz = d[d != 0]
r = stats.rankdata(np.abs(nz))
wp, wm = r[nz > 0].sum(), r[nz < 0].sum()
show("paired.w_plus", wp); show("paired.w_minus", wm)
m = len(nz)
_, cnt = np.unique(np.abs(nz), return_counts=True)
var = m * (m + 1) * (2 * m + 1) / 24 - ((cnt ** 3 - cnt).sum()) / 48
z = (wp - m * (m + 1) / 4 - 0.5 * np.sign(wp - m * (m + 1) / 4)) / np.sqrt(var)
show("paired.z", z)

# A mixed set: some declines, so W- > 0 and z is smaller.
b2 = [5, 6, 4, 7, 5, 6, 5, 8, 4, 6, 5, 5]
a2 = [6, 5, 6, 7, 4, 8, 7, 8, 5, 5, 7, 6]
w2 = stats.wilcoxon(a2, b2, zero_method="wilcox", correction=True, mode="approx")
t2 = stats.ttest_rel(a2, b2)
show("mixed.p_w", w2.pvalue); show("mixed.t", t2.statistic); show("mixed.p_t", t2.pvalue)

# Means and t intervals.
x = [4, 5, 5, 3, 4, 5, 4, 4, 2, 5, 5, 4]
lo, hi = stats.t.interval(0.95, len(x) - 1, loc=np.mean(x), scale=stats.sem(x))
show("mean.mean", np.mean(x)); show("mean.sd", np.std(x, ddof=1))
show("mean.lower", lo); show("mean.upper", hi)
lo, hi = stats.t.interval(0.90, len(x) - 1, loc=np.mean(x), scale=stats.sem(x))
show("mean90.lower", lo); show("mean90.upper", hi)

# Wilson score interval (the closed form; SciPy 1.10's binomtest gives it).
for k, n in [(37, 50), (0, 12), (12, 12), (1, 3)]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    show(f"wilson.{k}.{n}.lower", ci.low); show(f"wilson.{k}.{n}.upper", ci.high)
ci = stats.binomtest(37, 50).proportion_ci(confidence_level=0.99, method="wilson")
show("wilson99.37.50.lower", ci.low); show("wilson99.37.50.upper", ci.high)

# Trend over years.
yx = [2013, 2014, 2015, 2016]
yy = [61.2, 64.8, 70.1, 71.9]
lr = stats.linregress(yx, yy)
show("trend.slope", lr.slope); show("trend.intercept", lr.intercept)
show("trend.r2", lr.rvalue ** 2); show("trend.p", lr.pvalue)

# Chi-square test of independence, 2 x 4, no continuity correction.
table = [[45, 30, 12, 60], [15, 20, 10, 25]]
c = stats.chi2_contingency(table, correction=False)
show("chisq.statistic", c[0]); show("chisq.p", c[1]); show("chisq.df", c[2])
table2 = [[10, 5], [3, 9]]
c = stats.chi2_contingency(table2, correction=False)
show("chisq2.statistic", c[0]); show("chisq2.p", c[1])
