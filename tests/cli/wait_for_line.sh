# Sourced by the CLI fault tests. wait_for_line PATTERN LOG PID WHAT: waits until
# LOG has a line matching PATTERN (60 s at most, then the caller goes on); fails,
# printing LOG, if PID ends first ("run ended before WHAT").
wait_for_line() {
  local pattern=$1 log=$2 pid=$3 what=$4
  for _ in $(seq 600); do
    grep -q "$pattern" "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "run ended before $what"; cat "$log"; exit 1; }
    sleep 0.1
  done
}
