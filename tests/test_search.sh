#!/usr/bin/env bash
# test_search.sh — faultline search: bug switches found with a
# counterexample that `faultline run` replays to the same violation, the
# correct built-ins exhausting small bounds, sleep sets that reduce, and
# bad input refused. Bounds are small so the test stays quick in CI;
# bench/search_bench.sh measures at length.
src=${FL_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fl=${FAULTLINE:-./faultline}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

with_bug() {   # algorithm file, bug -> a copy of the search scenario with the switch on
    if grep -q '"params": {' "$src/scenarios/search/$1.json"; then
        sed "s/\"params\": {/\"params\": {\"bugs\": [\"$2\"], /" \
            "$src/scenarios/search/$1.json" > "$tmp/$1-$2.json"
    else
        sed "s/\"seed\": 1,/\"seed\": 1, \"params\": {\"bugs\": [\"$2\"]},/" \
            "$src/scenarios/search/$1.json" > "$tmp/$1-$2.json"
    fi
    echo "$tmp/$1-$2.json"
}

finds() {   # algorithm bug check search-options...
    local alg=$1 bug=$2 check=$3; shift 3
    local scen; scen=$(with_bug "$alg" "$bug")
    "$fl" search "$scen" --quiet --time 120 --out "$tmp/cex.json" "$@" > "$tmp/out" 2>&1
    local st=$?
    if [ $st -eq 1 ] && grep -q "^VIOLATION $check" "$tmp/out"; then
        ok "search finds $alg $bug ($check): $(grep -c '^ *[0-9]* ' "$tmp/out") steps"
    else
        bad "search finds $alg $bug (exit $st)"; head -5 "$tmp/out"; return
    fi
    "$fl" run "$tmp/cex.json" > "$tmp/replay" 2>&1
    st=$?
    if [ $st -eq 1 ] && grep -q "expected violation $check: caught" "$tmp/replay"; then
        ok "run replays the $alg $bug counterexample to $check"
    else
        bad "run replays the $alg $bug counterexample (exit $st)"; tail -5 "$tmp/replay"
    fi
}

finds raft vote-twice raft.vote_durable --depth 8
finds multipaxos non-unique-ballots paxos.unique_ballots --depth 8
finds multipaxos accept-below-promise paxos.promise --depth 8
finds multipaxos forget-promise paxos.promise --depth 6 --crashes 1 --restarts 1
finds paxos forget-promise paxos.promise_kept --depth 8 --crashes 1 --restarts 1

# Deep switches, from a scenario whose "schedule" is the prefix the search
# starts from (scenarios/search/raft-figure8.json: a leader with an
# unreplicated write; raft-two-leaders.json: then a second leader in a newer
# term), with only election timers as choices (--timer-kinds).
finds raft no-up-to-date-check raft.up_to_date_vote --depth 6
finds raft-figure8 commit-old-term raft.commit_current_term --depth 6 --timer-kinds election
finds raft-figure8 apply-before-commit raft.apply_committed --depth 6 --timer-kinds election
finds raft-two-leaders no-truncate raft.append_merge --depth 5 --timer-kinds election
# Paxos: from the end of phase 1 (paxos-phase2.json), and a 5-server
# Multi-Paxos leader (multipaxos-5.json: with three servers the leader's own
# accept and any other make a majority, so double counting cannot show).
finds paxos-phase2 learner-double-count paxos.learn_only_chosen --depth 4 --ops 0 --dups 1
finds multipaxos-5 learner-double-count paxos.learn_only_chosen --depth 4 --dups 1

# The switches of the bug-finding work that fit a small cluster (
# bench/search_bench.sh times all of them). Each correct built-in holds
# from the same scenario (and prefix) to the same depth, below.
finds raft vote-in-memory raft.vote_durable --depth 5 --crashes 1 --restarts 1
finds raft reply-before-sync raft.term_durable --depth 4 --crashes 1 --restarts 1
# single-meta-slot needs a torn crash (--torn: the node's oldest unsynced
# write cut short): plain crashes lose the new record, never the old one.
finds raft-figure8 single-meta-slot raft.term_durable --depth 3 --timer-kinds election --crashes 1 --torn 1 --restarts 1
grep -q '"torn":' "$tmp/cex.json" && ok "the torn crash is written in the counterexample" \
    || { bad "the torn crash is written in the counterexample"; cat "$tmp/cex.json"; }
"$fl" search "$tmp/raft-figure8-single-meta-slot.json" --quiet --depth 3 --timer-kinds election \
    --crashes 1 --restarts 1 > "$tmp/out" 2>&1
[ $? -eq 0 ] && ok "without --torn, single-meta-slot is not found at depth 3" \
    || { bad "without --torn, single-meta-slot is not found at depth 3"; cat "$tmp/out"; }
finds raft-figure8 ignore-reply-term raft.adopt_term --depth 4 --timer-kinds election
finds raft-prevote ignore-prevote raft.prevote --depth 3
finds raft-figure8 match-regress raft.match_monotonic --depth 4 --timer-kinds election,heartbeat --dups 1
# A heartbeat's AppendEntries (prevLogIndex 0, the no-op only) reaching a
# follower that already holds the write: truncate-always drops the write.
finds raft-figure8 truncate-always raft.append_merge --depth 5 --timer-kinds election,heartbeat
finds raft no-persist raft.term_durable --depth 4 --crashes 1 --restarts 1
finds paxos-dueling ignore-accepted paxos.adopt_highest --depth 5 --ops 0 --timer-kinds election
finds multipaxos-stale-accepts infer-any-ballot paxos.agreement --depth 7 --dfs --ops 0 --timer-kinds heartbeat
finds multipaxos promise-any paxos.grant_order --depth 4
finds multipaxos forget-round paxos.ballot_monotonic --depth 5 --crashes 1 --restarts 1
finds paxos-phase2 promise-any paxos.grant_order --depth 3
finds paxos-phase2 accept-no-sync paxos.accepted_kept --depth 4 --ops 0 --crashes 1 --restarts 1
finds paxos-dueling accept-below-promise paxos.promise --depth 4 --ops 0 --timer-kinds election
# adopt-first needs promises reporting values of two different ballots, the
# lower one heard first: paxos-three-ballots.json's prefix (20 steps) leaves
# proposer 1's retry, its two Prepares and the two Promises to the search.
# Depth-first with sleep sets (README's row is breadth-first, 2 s; under
# ASan that is 11 s here, depth-first 4 s); the same counterexample.
finds paxos-three-ballots adopt-first paxos.adopt_highest --depth 5 --dfs --ops 0 --timer-kinds election

# Raft's time-bound rules, judged at the step under manual delivery (the
# search may hold a due timer back, so a bound in elapsed time cannot
# blame a node): a follower that re-arms its election timer on a refused
# vote request, a TimeoutNow ignored, a leader without CheckQuorum whose
# heartbeats, answered by nobody, carry the clock past three timeouts.
finds raft timer-reset-any raft.election_timer --depth 4
finds raft-transfer ignore-transfer raft.transfer --depth 7 --ops 0 --timer-kinds election,tick
finds raft-checkquorum ignore-check-quorum raft.check_quorum --depth 5 --ops 0
# raft-withheld-timer.json's prefix holds three election timers back while
# three clients' retries carry the clock past 600 ms to a follower that
# heard from nobody: raft.election_timer's bound once blamed the correct
# Raft there. Its replay holds, and so does every schedule after it.
"$fl" run "$src/scenarios/search/raft-withheld-timer.json" > "$tmp/out" 2>&1
[ $? -eq 0 ] && grep -q 'all checks held' "$tmp/out" \
    && ok "the withheld-timer prefix replays with every check held" \
    || { bad "the withheld-timer prefix replays with every check held"; tail -5 "$tmp/out"; }
# commit-no-min shows only when leaderCommit passes the entries one message
# carries: raft-batch1.json is the Figure 8 opening with params.max_batch 1.
finds raft-batch1 commit-no-min raft.follower_commit --depth 6 --timer-kinds election
# ... and only there: with the default batch the same opening and bounds
# give the switch no chance to show.
"$fl" search "$(with_bug raft-figure8 commit-no-min)" --quiet --depth 6 --timer-kinds election \
    > "$tmp/out" 2>&1
[ $? -eq 0 ] && ok "with the default max_batch commit-no-min is not found at depth 6" \
    || { bad "with the default max_batch commit-no-min is not found at depth 6"; cat "$tmp/out"; }
# ignore-readindex: raft.readindex sees the read's log entry in the step
# that appends it (raft-readindex.json: reads only, params.read readindex).
finds raft-readindex ignore-readindex raft.readindex --depth 5
# The check that catches it must be able to fail: the same search with
# params.read "log" logs the read legitimately and is not judged.
sed 's/"read": "readindex"/"read": "log"/' "$tmp/raft-readindex-ignore-readindex.json" > "$tmp/ri-log.json"
"$fl" search "$tmp/ri-log.json" --quiet --depth 5 > "$tmp/out" 2>&1
[ $? -eq 0 ] && ok "with read \"log\" a logged read is no violation" \
    || { bad "with read \"log\" a logged read is no violation"; cat "$tmp/out"; }

# snapshot-drop-suffix: from an InstallSnapshot through index 1 in flight to
# a follower that will hold entries 1-2 first (raft-snapshot-suffix.json),
# raft.snapshot_suffix judges the snapshot whose last included entry is the
# follower's first.
finds raft-snapshot-suffix snapshot-drop-suffix raft.snapshot_suffix --depth 5 --timer-kinds election

# ignore-snapshot: raft.snapshot's bound (a server 2K entries past its last
# compaction compacts within an election timeout) under manual delivery,
# from a leader that has just applied its no-op and the client's write
# (raft-snapshot.json, params.snapshot_every 1). The count stands aside
# while a timer of the server is late, so the correct Raft's withheld 1 us
# compaction timer is not blamed (holds, below: without that, three
# heartbeats fired on time blamed it); the switch never compacts and is
# caught once its own timers, fired on time, carry the clock past the bound.
finds raft-snapshot ignore-snapshot raft.snapshot --depth 3
# The prefix's replay holds too: under manual delivery the run ends where
# the scheduler stopped, so raft.snapshot's end-of-run half (every server
# compacted, followers caught up) stands aside there.
"$fl" run "$src/scenarios/search/raft-snapshot.json" > "$tmp/out" 2>&1
[ $? -eq 0 ] && grep -q 'all checks held' "$tmp/out" \
    && ok "the snapshot prefix replays with every check held" \
    || { bad "the snapshot prefix replays with every check held"; tail -5 "$tmp/out"; }

# readindex-no-confirm: a deposed leader that has not heard of term 2
# answers a read after the new leader acknowledged a write
# (raft-stale-read.json, 17 steps); linearizability at the leaves sees it.
finds raft-stale-read readindex-no-confirm linearizable --depth 5 --timer-kinds election --ops 2

# no-dedup: counter-raft-dedup.json ends with the add logged twice by the
# switch (attempt 1 and its retry); breadth-first search, with no server
# timer as a choice, finds the 9 steps that commit both and answer a read
# with the double sum (linearizability at the leaves: --depth 9).
finds counter-raft-dedup no-dedup linearizable --depth 9 --timer-kinds none --ops 0

# Figure 8's counterexample: the 5 steps of the prefix, then 6 found.
with_bug raft-figure8 commit-old-term > /dev/null
"$fl" search "$tmp/raft-figure8-commit-old-term.json" --quiet --depth 6 --timer-kinds election \
    --out "$tmp/fig8.json" > "$tmp/out" 2>&1
grep -q 'counterexample, 11 steps (the 5 of the prefix, then 6 found)' "$tmp/out" \
    && ok "Figure 8: an 11-step counterexample that starts with the prefix" \
    || { bad "Figure 8: an 11-step counterexample that starts with the prefix"; cat "$tmp/out"; }
# --prefix: the same search from another file's schedule (the counterexample
# itself: the violation is at its end, so it is found at depth 0).
sed 's/"seed": 1,/"seed": 1, "params": {"bugs": ["commit-old-term"]},/' \
    "$src/scenarios/search/raft.json" > "$tmp/plain.json"
"$fl" search "$tmp/plain.json" --quiet --depth 2 --prefix "$tmp/fig8.json" > "$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q 'counterexample, 11 steps (the 11 of the prefix, then 0 found)' "$tmp/out" \
    && ok "--prefix starts from another file's schedule" \
    || { bad "--prefix starts from another file's schedule"; cat "$tmp/out"; }
# Without the switch, the same prefixes and bounds hold.
holds() {   # scenario search-options...: no violation, the bounds exhausted
    local scen=$1; shift
    "$fl" search "$src/scenarios/search/$scen.json" --quiet "$@" > "$tmp/out" 2>&1
    [ $? -eq 0 ] && grep -Eq 'no violation: the whole space was explored|stopped by the depth bound' "$tmp/out" \
        && ok "correct $scen holds ($*)" \
        || { bad "correct $scen holds ($*)"; cat "$tmp/out"; }
}
holds raft-figure8 --depth 5 --timer-kinds election
holds raft-two-leaders --depth 5 --timer-kinds election
holds paxos-phase2 --depth 4 --ops 0 --dups 1
holds multipaxos-5 --depth 4 --dups 1
holds raft --depth 5 --crashes 1 --restarts 1
holds raft-figure8 --depth 3 --timer-kinds election --crashes 1 --torn 1 --restarts 1
holds raft-prevote --depth 3
holds raft-figure8 --depth 4 --timer-kinds election,heartbeat --dups 1
holds raft-figure8 --depth 5 --timer-kinds election,heartbeat
holds multipaxos --depth 5 --crashes 1 --restarts 1
holds paxos-phase2 --depth 4 --ops 0 --crashes 1 --restarts 1
holds paxos-phase2 --depth 3
holds paxos-dueling --depth 4 --ops 0 --timer-kinds election
holds paxos-three-ballots --depth 5 --dfs --ops 0 --timer-kinds election
holds raft --depth 4
holds raft-transfer --depth 7 --ops 0 --timer-kinds election,tick
holds raft-checkquorum --depth 5 --ops 0
holds raft-withheld-timer --depth 4
holds raft-batch1 --depth 6 --timer-kinds election
holds raft-readindex --depth 5
holds raft-snapshot-suffix --depth 5 --timer-kinds election
holds raft-snapshot --depth 3
holds raft-stale-read --depth 5 --timer-kinds election --ops 2
holds counter-raft-dedup --depth 9 --timer-kinds none --ops 0
# --timer-kinds filters: without election timers no second leader, so the
# Figure 8 switch cannot show within any depth.
"$fl" search "$tmp/raft-figure8-commit-old-term.json" --quiet --depth 8 --timer-kinds none \
    > "$tmp/out" 2>&1
[ $? -eq 0 ] && ok "--timer-kinds none: no election, no Figure 8" \
    || { bad "--timer-kinds none: no election, no Figure 8"; cat "$tmp/out"; }
# --choices lists the start's choices as schedule steps (here the leader's
# AppendEntries carrying the write, and no timer but elections and the client's).
"$fl" search "$src/scenarios/search/raft-figure8.json" --choices --timer-kinds election > "$tmp/out" 2>&1
grep -q '"step":"deliver","node":0,"id":7,"from":1,"kind":"AppendEntries"' "$tmp/out" \
    && ! grep -q 'heartbeat' "$tmp/out" && ok "--choices lists the start's choices" \
    || { bad "--choices lists the start's choices"; cat "$tmp/out"; }

# A message to a node that is down is not a choice: crash server 0 at the
# end of the Figure 8 prefix and the AppendEntries to it (id 7) is gone
# from the choices, while the one to server 2 (id 8) stays.
sed 's/"kind": "Request"}$/"kind": "Request"}, {"step": "crash", "node": 0}/' \
    "$src/scenarios/search/raft-figure8.json" > "$tmp/fig8-crash.json"
"$fl" search "$tmp/fig8-crash.json" --choices --timer-kinds election > "$tmp/out" 2>&1
grep -q '"step":"deliver","node":2,"id":8,' "$tmp/out" && ! grep -q '"node":0,"id":7,' "$tmp/out" \
    && ok "no delivery to a crashed node among the choices" \
    || { bad "no delivery to a crashed node among the choices"; cat "$tmp/out"; }

# The shortest counterexample of vote-twice: since the rule checks (issue 14)
# raft.vote_durable sees the second granting reply itself, five steps.
with_bug raft vote-twice > /dev/null
"$fl" search "$tmp/raft-vote-twice.json" --quiet --depth 8 > "$tmp/out" 2>&1
grep -q 'counterexample, 5 steps' "$tmp/out" && ok "breadth-first gives the 5-step counterexample" \
    || { bad "breadth-first gives the 5-step counterexample"; cat "$tmp/out"; }

# Correct built-ins: nothing found, the bounds exhausted.
for alg in raft multipaxos; do
    "$fl" search "$src/scenarios/search/$alg.json" --quiet --depth 5 > "$tmp/out" 2>&1
    st=$?
    if [ $st -eq 0 ] && grep -q 'no violation' "$tmp/out" && ! grep -q 'time bound\|states bound' "$tmp/out"; then
        ok "correct $alg exhausts depth 5"
    else
        bad "correct $alg exhausts depth 5 (exit $st)"; cat "$tmp/out"
    fi
done

# Sleep sets: the same verdict from fewer states.
states() { sed -n 's/.*depth [0-9]*, \([0-9]*\) states.*/\1/p' "$1"; }
"$fl" search "$src/scenarios/search/raft.json" --quiet --dfs --depth 6 > "$tmp/por" 2>&1; s1=$?
"$fl" search "$src/scenarios/search/raft.json" --quiet --no-por --depth 6 > "$tmp/nopor" 2>&1; s2=$?
a=$(states "$tmp/por"); b=$(states "$tmp/nopor")
if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then
    ok "sleep sets explore $a states instead of $b"
else
    bad "sleep sets reduce the states ($a vs $b, exits $s1 $s2)"
fi

# A liveness bound no schedule can meet fails; one it can meet holds.
"$fl" search "$src/scenarios/search/raft.json" --quiet --depth 3 --leader-within 2 > "$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q 'VIOLATION liveness.leader' "$tmp/out" && ok "no leader within 2 steps is reported" \
    || { bad "no leader within 2 steps is reported"; cat "$tmp/out"; }
"$fl" search "$src/scenarios/search/raft.json" --quiet --depth 4 --leader-within 4 > "$tmp/out" 2>&1
[ $? -eq 0 ] && ok "a leader within 4 steps is found" || { bad "a leader within 4 steps is found"; cat "$tmp/out"; }

# A space that ends short of the bound without a leader (no timer is a
# choice) fails the bound too: every schedule ended leaderless.
"$fl" search "$src/scenarios/search/raft.json" --quiet --depth 6 --leader-within 6 \
    --timer-kinds none --ops 0 > "$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q 'VIOLATION liveness.leader' "$tmp/out" && ok "a space exhausted leaderless fails the bound" \
    || { bad "a space exhausted leaderless fails the bound"; cat "$tmp/out"; }
# Ordered timers wait only for what could be chosen: a client's timer with
# no operation left must not hold the servers' election timers back.
# (raft/basic.json: its client's first timer is due before any election.)
"$fl" search "$src/scenarios/raft/basic.json" --quiet --depth 6 --leader-within 6 \
    --timers ordered --ops 0 > "$tmp/out" 2>&1
[ $? -eq 0 ] && grep -q 'depth 6, ' "$tmp/out" && grep -q 'whole space was explored' "$tmp/out" && ok "ordered timers elect a leader within 6 steps" \
    || { bad "ordered timers elect a leader within 6 steps"; cat "$tmp/out"; }

# Bad input.
expect2() { "$@" > "$tmp/out" 2> "$tmp/err"; [ $? -eq 2 ] && ok "exit 2: ${*:2}" || bad "exit 2: ${*:2}"; }
expect2 "$fl" search
expect2 "$fl" search "$src/scenarios/search/raft.json" --depth banana
expect2 "$fl" search "$src/scenarios/search/raft.json" --timers sometimes
expect2 "$fl" search "$tmp/none.json"
expect2 "$fl" search "$src/scenarios/search/raft.json" --timer-kinds election,banana
grep -q '"banana" is not a timer kind' "$tmp/err" && ok "a bad timer kind is named" || { bad "a bad timer kind is named"; cat "$tmp/err"; }
expect2 "$fl" search "$src/scenarios/search/raft.json" --prefix "$src/scenarios/search/paxos.json"
grep -q 'schedule: expected a non-empty schedule' "$tmp/err" && ok "a prefix without a schedule is refused" || { bad "a prefix without a schedule is refused"; cat "$tmp/err"; }
sed 's/"id": 3,/"id": 333,/' "$src/scenarios/search/raft-figure8.json" > "$tmp/misfit.json"
expect2 "$fl" search "$tmp/misfit.json"
grep -q 'schedule\[2\]: no such pending event' "$tmp/err" && ok "a prefix that does not fit names its step" || { bad "a prefix that does not fit names its step"; cat "$tmp/err"; }
sed 's/"seed": 1,/"seed": 1, "schedule": [{"step": "teleport", "node": 0}],/' \
    "$src/scenarios/search/raft.json" > "$tmp/badsched.json"
expect2 "$fl" run "$tmp/badsched.json"
grep -q 'schedule\[0\].step' "$tmp/err" && ok "a bad schedule step names its path" || { bad "a bad schedule step names its path"; cat "$tmp/err"; }
sed 's/"seed": 1,/"seed": 1, "schedule": [{"step": "deliver", "node": 0, "id": 999}],/' \
    "$src/scenarios/search/raft.json" > "$tmp/nosuch.json"
expect2 "$fl" run "$tmp/nosuch.json"
grep -q 'no pending message with id 999' "$tmp/err" && ok "a schedule that does not fit says so" || { bad "a schedule that does not fit says so"; cat "$tmp/err"; }
sed 's/"seed": 1,/"seed": 1, "schedule": [{"step": "timer", "node": 0, "id": 5, "torn": true}],/' \
    "$src/scenarios/search/raft.json" > "$tmp/torntimer.json"
expect2 "$fl" run "$tmp/torntimer.json"
grep -q 'schedule\[0\].torn.*only a "crash" step can be torn' "$tmp/err" && ok "only a crash can be torn" || { bad "only a crash can be torn"; cat "$tmp/err"; }
expect2 "$fl" search "$src/scenarios/search/raft.json" --torn -1

echo "fl-tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
