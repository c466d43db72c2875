#!/usr/bin/python3
"""Reference values for Maas.Monitoring.Tests.StatisticsTests, computed with SciPy (Debian's python3-scipy).

Run: /usr/bin/python3 tests/Maas.Monitoring.Tests/reference/scipy_reference.py
The tests embed the printed numbers; rerun this script to check them.
"""
import numpy as np
from scipy import special, stats

print("# gammaincc(a, x)")
for a, x in [(0.5, 0.1), (0.5, 2.0), (1.0, 1.0), (2.5, 3.0), (5.0, 20.0), (10.0, 3.0), (50.0, 60.0), (100.0, 150.0), (3.0, 0.001)]:
    print(f"({a}, {x}, {special.gammaincc(a, x)!r})")

print("# gammaln(x)")
for x in [0.3, 1.0, 2.5, 10.0, 171.5]:
    print(f"({x}, {special.gammaln(x)!r})")

print("# chi2.sf(x, df)")
for x, df in [(3.841458820694124, 1), (10.0, 5), (30.0, 9), (100.0, 50), (0.5, 3), (200.0, 99)]:
    print(f"({x}, {df}, {stats.chi2.sf(x, df)!r})")

print("# norm.sf(z)")
for z in [-1.0, 0.0, 1.959963984540054, 5.0]:
    print(f"({z}, {stats.norm.sf(z)!r})")

print("# binom.sf(k - 1, n, p) = P(X >= k)")
for k, n, p in [(0, 50, 0.01), (1, 30, 0.01), (3, 100, 0.01), (10, 200, 0.01), (8, 400, 0.01)]:
    print(f"({k}, {n}, {p}, {stats.binom.sf(k - 1, n, p)!r})")

print("# chi2_contingency(2 x k, correction=False)")
for a, b in [([30, 20, 50], [20, 25, 55]), ([10, 0, 5, 7], [3, 0, 9, 12]), ([100, 100], [60, 140])]:
    table = np.array([a, b])
    nonzero = table.sum(axis=0) > 0
    res = stats.chi2_contingency(table[:, nonzero], correction=False)
    print(f"({a}, {b}, {res.statistic!r}, {res.pvalue!r}, {res.dof})")

print("# mannwhitneyu(pos, neg, alternative='greater', use_continuity=False, method='asymptotic'): AUC = U / (n1 n2), p")
scores = [0.1, 0.4, 0.35, 0.8, 0.8, 0.2, 0.9, 0.5, 0.5, 0.05, 0.7, 0.3]
positive = [False, False, True, True, False, False, True, True, False, False, True, True]
pos = [s for s, f in zip(scores, positive) if f]
neg = [s for s, f in zip(scores, positive) if not f]
res = stats.mannwhitneyu(pos, neg, alternative="greater", use_continuity=False, method="asymptotic")
print(f"({res.statistic / (len(pos) * len(neg))!r}, {res.pvalue!r})")

print("# temperature-scaled top-1: softmax(log(p) / T).max()")
for p, t in [([0.7, 0.2, 0.1], 2.0), ([0.7, 0.2, 0.1], 0.5), ([0.97, 0.01, 0.01, 0.01], 1.5)]:
    print(f"({p}, {t}, {special.softmax(np.log(p) / t).max()!r})")

print("# ks_2samp statistic")
a = [0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.4]
b = [0.6, 0.8, 1.1, 0.45, 0.95, 1.3]
print(repr(stats.ks_2samp(a, b).statistic))
