#!/usr/bin/python3
"""plot_consistent_hashing.py -- consistent hashing against modulo hashing.

Reads the CSV written by

    faultline experiment consistent-hashing [--trials N] --out notebooks-data

(columns: scheme, groups, vnodes, trial, keys, max_over_mean,
stddev_over_mean, moved_fraction, ideal_moved_fraction) and writes a PNG
with three panels against virtual nodes per group (log scale), one line
per number of groups through the mean of the trials: the load imbalance
max/mean keys per group; its standard deviation / mean with the
1/sqrt(vnodes) slope for reference; and the fraction of keys that move
when one group joins, against the ideal 1/(N+1). Modulo hashing (hash % N)
of the same keys is drawn as dashed horizontal lines.

usage: plot_consistent_hashing.py [CSV [PNG]]
       (default: consistent-hashing.csv -> consistent-hashing.png here)

Needs Debian's python3-matplotlib (apt-get install python3-matplotlib).
"""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "consistent-hashing.csv")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "consistent-hashing.png")
    ring = defaultdict(list)
    modulo = defaultdict(list)
    with open(src) as f:
        for r in csv.DictReader(f):
            row = (float(r["max_over_mean"]), float(r["stddev_over_mean"]),
                   float(r["moved_fraction"]))
            n = int(r["groups"])
            if r["scheme"] == "ring":
                ring[(n, int(r["vnodes"]))].append(row)
            else:
                modulo[n].append(row)

    def mean(rows, i):
        return sum(x[i] for x in rows) / len(rows)

    groups = sorted({n for n, _ in ring})
    vnodes = sorted({v for _, v in ring})
    fig, ax = plt.subplots(1, 3, figsize=(16, 4.8))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for c, n in zip(colors, groups):
        for i in range(3):
            ax[i].plot(vnodes, [mean(ring[(n, v)], i) for v in vnodes], "o-",
                       color=c, label="ring, %d groups" % n)
            ax[i].axhline(mean(modulo[n], i), color=c, ls="--", lw=1,
                          label="hash %% %d" % n)
        ax[2].plot(vnodes, [1.0 / (n + 1)] * len(vnodes), ":", color=c, lw=1)
    n0 = groups[0]
    ref = mean(ring[(n0, vnodes[0])], 1)
    ax[1].plot(vnodes, [ref / (v ** 0.5) for v in vnodes], "k:",
               label="1/sqrt(vnodes)")
    ax[0].set_title("load imbalance: max / mean keys per group")
    ax[1].set_title("std deviation / mean of keys per group")
    ax[2].set_title("keys moved by one join (dotted: ideal 1/(N+1))")
    for a in ax:
        a.set_xscale("log")
        a.set_xlabel("virtual nodes per group")
        a.grid(True, which="both", alpha=0.3)
    ax[1].set_yscale("log")
    ax[2].set_yscale("log")
    ax[0].legend(fontsize=7, ncol=2)
    ax[1].legend(fontsize=7, ncol=2)
    fig.suptitle("Consistent hashing (100,000 keys, mean of the trials) vs modulo hashing")
    fig.tight_layout()
    fig.savefig(dst, dpi=100)
    print("wrote", dst)


if __name__ == "__main__":
    main()
