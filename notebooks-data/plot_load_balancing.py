#!/usr/bin/python3
"""plot_load_balancing.py -- load-balancing policies under skew and a slow server.

Reads the two CSVs written by

    faultline experiment load-balancing [--trials N] --out notebooks-data

load-balancing.csv (policy, seed, requests, mean_ms, p50_ms, p90_ms,
p99_ms, p999_ms) and load-balancing-servers.csv (policy, seed, server,
slow, requests, share), and writes a PNG with two panels: latency
percentiles per policy (log scale, mean of the trials), and the share of
requests each of the 8 servers got (server 0 is the 4x slower one; its
fair share by capacity is 0.25/7.25 = 3.4 %).

usage: plot_load_balancing.py [DIR [PNG]]
       (default: the CSVs beside this script -> load-balancing.png)

Needs Debian's python3-matplotlib (apt-get install python3-matplotlib).
"""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

POLICIES = ["key-hash", "random", "round-robin", "least-outstanding", "power-of-two"]
PCTS = [("p50_ms", "p50"), ("p90_ms", "p90"), ("p99_ms", "p99"), ("p999_ms", "p99.9")]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    d = sys.argv[1] if len(sys.argv) > 1 else here
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "load-balancing.png")
    lat = defaultdict(list)
    with open(os.path.join(d, "load-balancing.csv")) as f:
        for r in csv.DictReader(f):
            lat[r["policy"]].append(r)
    share = defaultdict(list)
    with open(os.path.join(d, "load-balancing-servers.csv")) as f:
        for r in csv.DictReader(f):
            share[(r["policy"], int(r["server"]))].append(float(r["share"]))
    fig, ax = plt.subplots(1, 2, figsize=(14, 4.8))
    width = 0.8 / len(PCTS)
    for j, (col, name) in enumerate(PCTS):
        ys = [sum(float(r[col]) for r in lat[p]) / len(lat[p]) for p in POLICIES]
        ax[0].bar([i + j * width for i in range(len(POLICIES))], ys, width, label=name)
    ax[0].set_xticks([i + 0.4 - width / 2 for i in range(len(POLICIES))])
    ax[0].set_xticklabels(POLICIES, fontsize=8)
    ax[0].set_yscale("log")
    ax[0].set_ylabel("latency (ms, simulated)")
    ax[0].set_title("latency percentiles (8 servers, one 4x slower, 70 % load, Zipf keys)")
    ax[0].legend(fontsize=8)
    servers = sorted({s for _, s in share})
    width = 0.8 / len(POLICIES)
    for j, p in enumerate(POLICIES):
        ys = [sum(share[(p, s)]) / len(share[(p, s)]) for s in servers]
        ax[1].bar([s + j * width for s in servers], ys, width, label=p)
    ax[1].axhline(1.0 / 7.25, color="k", ls=":", lw=1, label="fair share of a normal server")
    ax[1].axhline(0.25 / 7.25, color="r", ls=":", lw=1, label="fair share of the slow one")
    ax[1].set_xticks([s + 0.4 - width / 2 for s in servers])
    ax[1].set_xticklabels(["0 (slow)"] + [str(s) for s in servers[1:]])
    ax[1].set_xlabel("server")
    ax[1].set_ylabel("share of requests")
    ax[1].set_title("per-server load")
    ax[1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(dst, dpi=100)
    print("wrote", dst)


if __name__ == "__main__":
    main()
