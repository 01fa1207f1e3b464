#!/usr/bin/env bash
# test_shardkv.sh — the sharded key-value store (issue 21):
#   - every scenario under scenarios/shardkv/ passes on seeds 1-3, and a
#     seed replays to the same trace hash;
#   - every bug scenario fails with exactly the check it declares, on seeds
#     0-3, and (for the bug switches) passes with the switch off;
#   - mutation: the default suite with each bug switch turned on in every
#     scenario loses points (every switch is caught by the suite);
#   - the built-in scores 100 % on the suite, the skeleton `faultline new
#     shardkv` writes builds and scores 0;
#   - bad params are refused before anything runs (exit 2, naming the key).
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
dir=$src/scenarios/shardkv
[ -d "$dir" ] || { echo "no $dir"; echo "fl-tests: 0 passed, 1 failed"; exit 1; }

hash_of() { sed -n 's/.*trace hash \(0x[0-9a-f]*\).*/\1/p'; }

# --- scenarios pass, deterministically ------------------------------------------
for f in "$dir"/*.json; do
    [ "$(basename "$f")" = suite.json ] && continue
    n=$(basename "$f" .json) good=1
    for s in 1 2 3; do
        "$fl" run "$f" --seed $s --quiet > "$tmp/out" 2>&1 || { good=0; echo "    seed $s:"; sed 's/^/      /' "$tmp/out"; }
    done
    [ $good -eq 1 ] && ok "$n passes on seeds 1-3" || bad "$n passes on seeds 1-3"
done
f=$dir/join-leave.json
h1=$("$fl" run "$f" --seed 7 --quiet | hash_of)
h2=$("$fl" run "$f" --seed 7 --quiet | hash_of)
h3=$("$fl" run "$f" --seed 8 --quiet | hash_of)
[ -n "$h1" ] && [ "$h1" = "$h2" ] && [ "$h1" != "$h3" ] && ok "same seed, same hash; another seed, another" \
    || bad "determinism ($h1 $h2 $h3)"

# --- skewed keys: zipf.json draws Zipf(1.1); the same with uniform keys does not --
skew() {   # SCENARIO -> "share-of-the-hottest-key hottest-key ops"
    "$fl" run "$1" --history "$tmp/h.jsonl" --quiet > /dev/null 2>&1
    python3 - "$tmp/h.jsonl" <<'PY'
import collections, json, sys
c = collections.Counter(json.loads(l)["key"] for l in open(sys.argv[1])
                        if json.loads(l)["type"] == "invoke")
k, n = c.most_common(1)[0]
print("%.3f %d %d" % (n / sum(c.values()), k, sum(c.values())))
PY
}
python3 - "$dir/zipf.json" "$tmp/uniform.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["workload"]["keys"] = {"count": s["workload"]["keys"]["count"]}
json.dump(s, open(sys.argv[2], "w"))
PY
read -r zshare zkey zops <<< "$(skew "$dir/zipf.json")"
read -r ushare ukey uops <<< "$(skew "$tmp/uniform.json")"
# Zipf(1.1) over 200 keys: key 0 has probability 0.213; uniform: 0.005
python3 -c "import sys; z, u = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not (0.15 < z < 0.28 and u < 0.03))" \
    "$zshare" "$ushare" && [ "$zkey" = 0 ] \
    && ok "zipf.json: key 0 takes $zshare of $zops ops; uniform keys: at most $ushare" \
    || bad "zipf.json skew (zipf: key $zkey $zshare of $zops; uniform: key $ukey $ushare)"

# --- bug scenarios are caught by their declared check --------------------------
for f in "$dir"/bugs/*.json; do
    n=$(basename "$f" .json)
    want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["expect"]["violation"])' "$f")
    good=1
    for s in 0 1 2 3; do
        "$fl" run "$f" --seed $s > "$tmp/out" 2>&1; rc=$?
        if [ $rc -ne 1 ] || ! grep -q "expected violation $want: caught" "$tmp/out"; then
            good=0; echo "    seed $s (rc $rc):"; grep -E 'violat|linearizable|verdict' "$tmp/out" | sed 's/^/      /'
        fi
    done
    [ $good -eq 1 ] && ok "bugs/$n: caught by $want on seeds 0-3" || bad "bugs/$n: caught by $want"
    python3 - "$f" "$tmp/off.json" <<'PY' || continue
import json, sys
s = json.load(open(sys.argv[1]))
if not s["params"].get("bugs"):
    sys.exit(1)
del s["params"]["bugs"]
s["expect"] = {"linearizable": True, "invariants": "all"}
json.dump(s, open(sys.argv[2], "w"))
PY
    good=1
    for s in 0 1 2 3; do
        "$fl" run "$tmp/off.json" --seed $s --quiet > "$tmp/out" 2>&1 || { good=0; sed 's/^/      /' "$tmp/out"; }
    done
    [ $good -eq 1 ] && ok "bugs/$n: passes with the switch off" || bad "bugs/$n: passes with the switch off"
done

# --- mutation score: the suite catches every switch ------------------------------
"$fl" grade --suite "$dir/suite.json" --seeds 2 --jobs 2 > "$tmp/ref.out" 2>&1
grep -q '(100.0 %)' "$tmp/ref.out" && ok "built-in scores 100 % on the suite" \
    || { bad "built-in scores 100 %"; grep -E 'FAIL|score' "$tmp/ref.out" | head; }
for b in serve-during-handoff no-session-handoff keep-serving client-hash; do
    mkdir -p "$tmp/m-$b"
    python3 - "$dir" "$tmp/m-$b" "$b" <<'PY'
import json, os, sys
src, dst, bug = sys.argv[1:4]
suite = json.load(open(os.path.join(src, "suite.json")))
for t in suite["tests"]:
    s = json.load(open(os.path.join(src, t["scenario"])))
    s["params"]["bugs"] = [bug]
    json.dump(s, open(os.path.join(dst, t["scenario"]), "w"))
json.dump(suite, open(os.path.join(dst, "suite.json"), "w"))
PY
    "$fl" grade --suite "$tmp/m-$b/suite.json" --seeds 2 --jobs 2 > "$tmp/m-$b.out" 2>&1
    if grep -q '(100.0 %)' "$tmp/m-$b.out" || ! grep -q '^score:' "$tmp/m-$b.out"; then
        bad "the suite catches $b"; tail -3 "$tmp/m-$b.out"
    else
        ok "the suite catches $b ($(sed -n 's/^score: \(.*\)  .*/\1/p' "$tmp/m-$b.out"))"
    fi
done

# --- the skeleton scores 0 ------------------------------------------------------------
if "$fl" new shardkv "$tmp/sk" --templates "$src/templates" > /dev/null 2>&1 &&
   env -u FAULTLINE_CFLAGS make -C "$tmp/sk" CFLAGS="-O1 -Werror" > "$tmp/make.out" 2>&1 &&
   [ -f "$tmp/sk/shardkv.so" ]; then
    ok "shardkv skeleton builds"
    "$fl" grade --suite "$dir/suite.json" --impl "$tmp/sk/shardkv.so" --seeds 1 --jobs 2 > "$tmp/sk.out" 2>&1; rc=$?
    [ $rc -eq 0 ] && grep -q '^score: 0.0/' "$tmp/sk.out" && ok "shardkv skeleton scores 0" \
        || { bad "shardkv skeleton scores 0 (rc $rc)"; grep score "$tmp/sk.out"; }
else
    bad "shardkv skeleton builds"; tail -5 "$tmp/make.out"
fi

# --- the experiments: files, and the known results --------------------------------
if "$fl" experiment consistent-hashing --trials 1 --out "$tmp/nb" > /dev/null 2>&1 &&
   "$fl" experiment load-balancing --trials 1 --out "$tmp/nb" > /dev/null 2>&1; then
    ok "experiments consistent-hashing and load-balancing write their CSVs"
    python3 - "$tmp/nb" <<'PY' > "$tmp/exp.out" 2>&1 && ok "experiment results match the known ones" || { bad "experiment results"; cat "$tmp/exp.out"; }
import csv, os, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(d, "consistent-hashing.csv"))))
def get(scheme, n, v):
    return [r for r in rows if r["scheme"] == scheme and int(r["groups"]) == n and int(r["vnodes"]) == v][0]
for n in (10, 20, 50, 100):
    m, r1, r1000 = get("modulo", n, 0), get("ring", n, 1), get("ring", n, 1000)
    ideal = 1.0 / (n + 1)
    # modulo moves almost everything, the ring about 1/(N+1)
    assert float(m["moved_fraction"]) > 0.85, m
    assert abs(float(r1000["moved_fraction"]) - ideal) < 0.25 * ideal, r1000
    # imbalance falls with vnodes, roughly as 1/sqrt(vnodes): 1000x -> ~31x
    q = float(r1["stddev_over_mean"]) / float(r1000["stddev_over_mean"])
    assert 15 < q < 60, (n, q)
    assert float(r1000["max_over_mean"]) < 1.2 < float(r1["max_over_mean"])
lb = {r["policy"]: r for r in csv.DictReader(open(os.path.join(d, "load-balancing.csv")))}
assert set(lb) == {"key-hash", "random", "round-robin", "least-outstanding", "power-of-two"}
# the slow server sinks random and round robin; adaptive policies do not
for p in ("least-outstanding", "power-of-two"):
    for q in ("random", "round-robin", "key-hash"):
        assert float(lb[p]["p99_ms"]) * 10 < float(lb[q]["p99_ms"]), (p, q)
PY
else
    bad "experiments run"
fi
"$fl" experiment consistent-hashing --trials 0 > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "experiment: bad --trials exits 2" || bad "experiment: bad --trials (rc $rc)"

# --- bad params: exit 2, naming the key -------------------------------------------------
badp() {   # NAME JSON-PARAMS REGEX
    python3 - "$f" "$tmp/bad.json" "$2" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["params"].update(json.loads(sys.argv[3]))
json.dump(s, open(sys.argv[2], "w"))
PY
    "$fl" run "$tmp/bad.json" > /dev/null 2> "$tmp/err"; rc=$?
    [ $rc -eq 2 ] && grep -Eq "$3" "$tmp/err" && ok "bad params: $1" || { bad "bad params: $1 (rc $rc)"; cat "$tmp/err"; }
}
badp "unknown key" '{"shardz": 3}' 'shardz: unknown parameter'
badp "too many shards" '{"shards": 65}' 'shards: must be an integer in \[1, 64\]'
badp "leave everyone" '{"schedule": [{"at_ms": 1, "leave": 0}, {"at_ms": 2, "leave": 1}]}' 'schedule\[1\]: would leave no group'
badp "unknown bug" '{"bugs": ["nope"]}' 'unknown bug "nope"'
badp "readindex refused" '{"raft": {"read": "readindex"}}' 'raft: read must be "log"'
badp "decreasing schedule" '{"schedule": [{"at_ms": 5, "join": 2}, {"at_ms": 2, "leave": 1}]}' 'must not decrease'

echo "fl-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
