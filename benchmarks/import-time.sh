#!/bin/bash
# Start-up cost of `import("rivulet")`: `node -e "await import(<dist>/src/index.js)"` for two
# builds, interleaved, RUNS runs each (5 by default); wall and CPU (user + sys) milliseconds and
# their medians. Usage: benchmarks/import-time.sh <before-dist> <after-dist>
set -euo pipefail
before="$(realpath "$1")/src/index.js"; after="$(realpath "$2")/src/index.js"; runs=${RUNS:-5}
one() {
  local start cpu
  start=$(date +%s%N)
  cpu=$({ /usr/bin/time -f "%U %S" node -e "await import('$1')"; } 2>&1 | tail -1 | awk '{ printf "%d", ($1 + $2) * 1000 }')
  echo "$(( ($(date +%s%N) - start) / 1000000 )) $cpu"
}
median() { printf "%s\n" "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
bw=(); bc=(); aw=(); ac=()
for _ in $(seq "$runs"); do
  read -r w c < <(one "$before"); bw+=("$w"); bc+=("$c")
  read -r w c < <(one "$after"); aw+=("$w"); ac+=("$c")
done
echo "load: $(uptime | sed 's/.*load average: //')"
echo "before: wall ${bw[*]} (median $(median "${bw[@]}") ms); cpu ${bc[*]} (median $(median "${bc[@]}") ms)"
echo "after:  wall ${aw[*]} (median $(median "${aw[@]}") ms); cpu ${ac[*]} (median $(median "${ac[@]}") ms)"
