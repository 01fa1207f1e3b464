#!/usr/bin/python3
"""compare.py - summarise faultline traces side by side: time without a
leader and messages per committed operation (README, "Raft and Multi-Paxos
under the same faults").

    ./faultline run scenarios/paxos/compare-raft.json --trace raft.jsonl
    ./faultline run scenarios/paxos/compare-multipaxos.json --trace mp.jsonl
    /usr/bin/python3 scenarios/paxos/compare.py raft.jsonl mp.jsonl

"Leader": a live server whose view says leader in the highest term (Raft)
or ballot (Multi-Paxos: views carry the promised ballot) that any live
server's view holds at that moment, so a leader cut off in a stale term,
or a candidate's election in progress, counts as time without a leader.
"Messages": sends between servers (client requests and replies excluded);
"committed operations": client operations completed ok.
Standard library only.
"""
import json
import sys


def summarise(path):
    views = {}           # node -> (alive, role, term)
    servers = set()
    msgs = ok = 0
    leaderless = 0
    last_t = 0
    had = False
    end = 0
    algorithm = "?"

    def leader_now():
        live = [v for v in views.values() if v[0]]
        if not live:
            return False
        top = max(v[2] for v in live)
        return any(v[1] == "leader" and v[2] == top for v in live)

    with open(path) as f:
        header = json.loads(f.readline())
        algorithm = header.get("algorithm", "?")
        for n in header["nodes"]:
            if n["role"] == "server":
                servers.add(n["id"])
                views[n["id"]] = (True, "follower", -1)
        for line in f:
            ev = json.loads(line)
            t = ev["t"]
            if not had:
                leaderless += t - last_t
            last_t = t
            kind = ev["ev"]
            node = ev.get("node")
            if kind == "send" and node in servers and ev.get("peer") in servers:
                msgs += 1
            elif kind == "complete" and ev.get("a") == 1:
                ok += 1
            elif kind == "view" and node in servers:
                views[node] = (True, ev.get("role"), ev.get("term", -1))
            elif kind == "crash" and node in servers:
                views[node] = (False, "crashed", -1)
            elif kind == "end":
                end = t
            had = leader_now()
    return {
        "algorithm": algorithm,
        "leaderless_ms": leaderless / 1e6,
        "duration_ms": end / 1e6,
        "server_messages": msgs,
        "ok_ops": ok,
        "msgs_per_op": msgs / ok if ok else float("nan"),
    }


def main(paths):
    rows = [summarise(p) for p in paths]
    print("| | " + " | ".join(r["algorithm"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    print("| time without a leader | " + " | ".join(
        "%.0f ms (%.1f %%)" % (r["leaderless_ms"],
                               100 * r["leaderless_ms"] / r["duration_ms"])
        for r in rows) + " |")
    print("| operations ok | " + " | ".join(str(r["ok_ops"]) for r in rows) + " |")
    print("| server-to-server messages | " + " | ".join(
        str(r["server_messages"]) for r in rows) + " |")
    print("| messages per committed op | " + " | ".join(
        "%.1f" % r["msgs_per_op"] for r in rows) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: compare.py TRACE.jsonl...")
    main(sys.argv[1:])
