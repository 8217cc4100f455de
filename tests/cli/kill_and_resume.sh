#!/usr/bin/env bash
# A training run SIGKILLed mid-run leaves a consistent history; `mgrpo resume
# RUN_ID` continues it from its last checkpoint and the run ends finished with
# every step recorded once. Usage: kill_and_resume.sh MGRPO EXPERIMENT TMPDIR
set -euo pipefail
source "$(dirname "$0")/wait_for_line.sh"
mgrpo=$1 experiment=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
db=$tmp/history.sqlite
cat > "$tmp/exp.json" <<JSON
{"extends": "$experiment", "name": "killed", "steps": 8, "checkpoint_every": 1, "eval_every": 0}
JSON
"$mgrpo" run "$tmp/exp.json" --out "$tmp/run" --db "$db" > "$tmp/run.log" 2>&1 &
pid=$!
# Kill once at least 3 steps are done.
wait_for_line "^step 3/8" "$tmp/run.log" $pid "it could be killed"
kill -9 $pid; wait $pid 2>/dev/null || true
echo "killed after: $(grep -c '^step' "$tmp/run.log") steps"
status=$("$mgrpo" runs --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["status"])')
[[ $status == interrupted ]] || { echo "expected interrupted, got $status"; exit 1; }
sqlite3 "$db" "PRAGMA integrity_check" | grep -qx ok
"$mgrpo" resume 1 --db "$db" > "$tmp/resume.log" 2>&1 || { cat "$tmp/resume.log"; exit 1; }
cat "$tmp/resume.log"
"$mgrpo" runs --db "$db" --json | python3 -c '
import json, sys
run = json.load(sys.stdin)[0]
assert run["status"] == "finished", run
assert run["last_step"] == 8, run
print("resumed run finished at step", run["last_step"])'
# Every step 1..8 has its reward metric exactly once.
rows=$(sqlite3 "$db" "SELECT COUNT(*), COUNT(DISTINCT m.step), MIN(m.step), MAX(m.step) FROM metrics m
  JOIN metric_names n ON n.id = m.name_id WHERE n.name = 'main/reward_mean' AND m.run_id = 1")
echo "main/reward_mean rows, distinct steps, first, last: $rows"
[[ $rows == "8|8|1|8" ]]
