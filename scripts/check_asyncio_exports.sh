#!/usr/bin/env bash
# Runs shipped scenarios on asyncio and checks each Chrome export with the shared export
# checker. The checker reads lanes named worker-* / blocking-*; asyncio's are event-loop,
# executor-N and cpu-N, so they are renamed for it (the file on disk keeps its names).
# usage: scripts/check_asyncio_exports.sh [RUNS] [SCENARIO…]   (default: 3 runs of every one)
set -euo pipefail
cd "$(dirname "$0")/.."
checker=../shared/tools/check_trace.py
[ -f "$checker" ] || { echo "no $checker here" >&2; exit 2; }
runs=${1:-3}; shift || true
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || mapfile -t scenarios < <(ls scenarios | sed 's/\.toml$//')
cargo build -q
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failed=0
for sc in "${scenarios[@]}"; do
  bad=0
  for i in $(seq "$runs"); do
    target/debug/asyncscope run -q --runtime asyncio "scenarios/$sc.toml" \
      --chrome-trace "$tmp/t.json" --summary "$tmp/s.json" || true
    sed 's/"name":"event-loop"/"name":"worker-0"/; s/"name":"executor-\([0-9]*\)"/"name":"blocking-\1"/g; s/"name":"cpu-\([0-9]*\)"/"name":"blocking-c\1"/g' \
      "$tmp/t.json" > "$tmp/r.json"
    if ! out=$(python3 "$checker" "$tmp/r.json" "$tmp/s.json" 2>&1); then
      bad=$((bad + 1)); echo "$sc, run $i: $out" | head -5
    fi
  done
  echo "$sc: $bad of $runs failed"
  failed=$((failed + bad))
done
exit $((failed > 0))
