#!/bin/sh
# Runs one state-dedup measurement and samples the child's VmHWM/VmRSS every 20 s:
#   benchmarks/sample-hwm.sh <build-dir> <provider> <keys> <out-prefix>
cd "$1" || exit 1
nice -n 10 node .bench-build/benchmarks/state-dedup.js run "$2" "$3" > "$4.json" 2> "$4.err" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  printf '%s %s\n' "$(date -u +%T)" "$(grep -E 'VmHWM|VmRSS' /proc/$pid/status 2>/dev/null | tr -s ' \n' ' ')" >> "$4.hwm"
  sleep 20
done
wait "$pid"
