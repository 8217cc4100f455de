#!/usr/bin/env bash
# Fault: SIGKILL the sub-agent's worker process of a decoupled run mid-run;
# the run must fail within the heartbeat timeout with a message naming the
# agent, keep its last checkpoint, and `mgrpo resume` (which restarts the
# worker) must finish it with every step recorded once.
# Usage: decoupled_fault_and_resume.sh MGRPO EXPERIMENT TMPDIR
set -euo pipefail
source "$(dirname "$0")/wait_for_line.sh"
mgrpo=$1 experiment=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
db=$tmp/history.sqlite
cat > "$tmp/exp.json" <<JSON
{"extends": "$experiment", "name": "decoupled-fault", "steps": 6, "checkpoint_every": 1, "eval_every": 0}
JSON
MGRPO_STOP_AFTER_STEP=2 "$mgrpo" run "$tmp/exp.json" --decoupled --heartbeat-timeout 5 --out "$tmp/run" --db "$db" > "$tmp/run.log" 2>&1 &
pid=$!
wait_for_line "^step 2/6" "$tmp/run.log" $pid "the worker could be killed"
# The run stops itself after step 2 (MGRPO_STOP_AFTER_STEP); kill the worker while it is stopped.
for _ in $(seq 300); do [[ $(cut -d' ' -f3 "/proc/$pid/stat") == T ]] && break; sleep 0.1; done
worker=$(sed -n 's/^started sub:searcher worker, rank 1, pid \([0-9]*\)$/\1/p' "$tmp/run.log")
[[ -n $worker ]] || { echo "no worker pid in the log"; cat "$tmp/run.log"; exit 1; }
killed_at=$(date +%s.%N)
kill -9 "$worker"
kill -CONT "$pid"
rc=0; wait $pid || rc=$?
took=$(python3 -c "import time; print(round(time.time() - $killed_at, 1))")
cat "$tmp/run.log"
[[ $rc -ne 0 ]] || { echo "the run did not fail"; exit 1; }
grep -q "the worker of agent 'searcher' (rank 1, pid $worker) was killed by signal 9" "$tmp/run.log" \
  || { echo "no clear error naming the worker"; exit 1; }
python3 -c "import sys; sys.exit(0 if $took < 10 else 1)" || { echo "failing took $took s"; exit 1; }
echo "failed $took s after the kill"
"$mgrpo" runs --db "$db" --json | python3 -c '
import json, sys
run = json.load(sys.stdin)[0]
assert run["status"] == "failed", run
print("history status after the kill:", run["status"])'
"$mgrpo" resume "$tmp/run" --db "$db" > "$tmp/resume.log" 2>&1 || { cat "$tmp/resume.log"; exit 1; }
cat "$tmp/resume.log"
grep -q "restarting the worker processes" "$tmp/resume.log"
"$mgrpo" runs --db "$db" --json | python3 -c '
import json, sys
run = json.load(sys.stdin)[0]
assert run["status"] == "finished", run
assert run["last_step"] == 6, run'
# Every step 1..6 has the worker's update metric exactly once.
rows=$(sqlite3 "$db" "SELECT COUNT(*), COUNT(DISTINCT m.step) FROM metrics m
  JOIN metric_names n ON n.id = m.name_id WHERE n.name = 'sub.searcher/lr' AND m.run_id = 1")
echo "sub.searcher/lr rows, distinct steps: $rows"
[[ $rows == "6|6" ]]
echo "resumed decoupled run finished at step 6"
