#!/usr/bin/python3
"""plot_raft_election.py -- CDFs of the Raft leader-election experiment in two
panels, like Figure 16 of the Raft paper (Ongaro & Ousterhout 2014, 9.3).

Reads the per-trial CSV written by

    faultline experiment raft-election [--network paper|lan] --out notebooks-data

(columns: range, trial, seed, time_to_leader_ms, capped) and writes a PNG.
Top panel: randomness added to a 150 ms minimum; bottom panel: the minimum
scaled. Both x axes are the time without a leader in ms. A trial that hit
the 10 s cap is censored (we only know it took longer): its step is not
drawn, the curve continues dashed to the cap, and a triangle at 10 s marks
the capped share, so a range whose trials were all capped (150-150) still
shows. The Raft paper's own figures (section 9.3: 150-150 over 10 s, 150-155
median 287 ms, 150-200 worst 513 ms, 12-24 worst 152 ms) are drawn as black
crosses. The title names the network model the CSV was measured on.

usage: plot_raft_election.py [CSV [PNG]]
       (default: raft-election.csv -> raft-election.png beside this script)

Needs Debian's python3-matplotlib (apt-get install python3-matplotlib).
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

TOP = ["150-150", "150-151", "150-155", "150-175", "150-200", "150-300"]
BOTTOM = ["12-24", "25-50", "50-100", "100-200", "150-300"]
CAP_MS = 10000.0
# One colour per range, the same in both panels.
COLOURS = {r: "C%d" % i for i, r in enumerate(TOP + BOTTOM[:-1])}


def read_trials(path):
    """{range: ([time_ms...], capped_count)} in file order."""
    data = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            times, capped = data.setdefault(row["range"], ([], [0]))
            times.append(float(row["time_to_leader_ms"]))
            capped[0] += int(row["capped"])
    return {k: (sorted(v[0]), v[1][0]) for k, v in data.items()}


def cdf_points(times, n):
    """Step points of the empirical CDF of `times` out of `n` trials, in
    percent."""
    xs, ys = [], []
    for i, t in enumerate(times):
        xs += [t, t]
        ys += [100.0 * i / n, 100.0 * (i + 1) / n]
    return xs, ys


# The Raft paper's figures (Ongaro & Ousterhout 2014, section 9.3):
# (range, time in ms, cumulative percent, what it is)
PAPER = [
    ("150-155", 287.0, 50.0, "median"),
    ("150-200", 513.0, 100.0, "worst of 1000"),
    ("12-24", 152.0, 100.0, "worst"),
]
NETWORKS = {
    "paper": "the paper's network (broadcast time ~15 ms)",
    "lan": "a LAN (broadcast time ~3 ms, fast disks)",
}


def label(rng, times, capped):
    text = "%s ms" % rng.replace("-", "\u2013")
    if capped:
        text += "\n(%d of %d capped at 10 s)" % (capped, len(times))
    return text


def panel(ax, data, ranges, log_x, xlim, title):
    for rng in ranges:
        if rng not in data:
            continue
        times, capped = data[rng]
        done = [t for t in times if t < CAP_MS]
        xs, ys = cdf_points(done, len(times))
        colour = COLOURS[rng]
        ax.plot(xs, ys, linewidth=1.4, color=colour, label=label(rng, times, capped))
        if capped:
            # censored trials: dashed on to the cap, a triangle at the cap
            last = 100.0 * len(done) / len(times)
            start = xs[-1] if xs else xlim[0]
            ax.plot([start, CAP_MS], [last, last], linestyle="--", linewidth=1.0,
                    color=colour, clip_on=False)
            ax.plot([CAP_MS], [last], marker=">", markersize=8, color=colour,
                    clip_on=False, linestyle="none")
    for rng, ms, pct, what in PAPER:
        if rng in ranges and xlim[0] <= ms <= xlim[1]:
            ax.plot([ms], [pct], marker="x", markersize=9, markeredgewidth=2,
                    color="black", linestyle="none", clip_on=False)
            ax.annotate("paper %s: %s %g ms" % (rng.replace("-", "\u2013"), what, ms),
                        (ms, pct), textcoords="offset points", xytext=(6, -12),
                        fontsize=7)
    if "150-150" in ranges:
        ax.annotate("paper 150\u2013150: over 10 s (split votes)", (CAP_MS, 0),
                    textcoords="offset points", xytext=(-150, 8), fontsize=7)
    if log_x:
        ax.set_xscale("log")
    ax.set_xlim(*xlim)
    ax.set_ylim(-2, 102)
    ax.set_ylabel("trials with a leader by then (cumulative %)")
    ax.set_xlabel("time without a leader after the leader crashed (ms%s)"
                  % (", log scale" if log_x else ""))
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", linewidth=0.3, alpha=0.6)
    handles, labels = ax.get_legend_handles_labels()
    handles += [Line2D([], [], color="black", linewidth=1.4),
                Line2D([], [], color="black", marker=">", linestyle="--"),
                Line2D([], [], color="black", marker="x", linestyle="none", markeredgewidth=2)]
    labels += ["line: empirical CDF of the trials", "\u25b6 at 10 s: capped (censored) trials",
               "\u00d7: the Raft paper's figure"]
    ax.legend(handles, labels, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8,
              title="election timeout", title_fontsize=8)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src = argv[1] if len(argv) > 1 else os.path.join(here, "raft-election.csv")
    dst = argv[2] if len(argv) > 2 else os.path.splitext(src)[0] + ".png"
    data = read_trials(src)
    trials = max(len(v[0]) for v in data.values())
    network = NETWORKS["lan" if "-lan" in os.path.basename(src) else "paper"]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10.5, 9))
    panel(top, data, TOP, True, (50, CAP_MS),
          "randomness added to a 150 ms minimum election timeout")
    panel(bottom, data, BOTTOM, False, (0, 600),
          "minimum election timeout scaled")
    fig.suptitle("Raft leader election after a leader crash, 5 servers on %s,\n"
                 "%d trials per election-timeout range (compare Figure 16 of the Raft paper)"
                 % (network, trials), fontsize=11)
    fig.tight_layout()
    fig.savefig(dst, dpi=110, metadata={"Software": None})
    print("wrote", dst)


if __name__ == "__main__":
    main(sys.argv)
