#!/usr/bin/env bash
# Takes a screenshot of the real window under a virtual X server (no display needed):
#   scripts/screenshot.sh [SCENARIO] [OUT.png] [SECONDS]
# runs `asyncscope --run SCENARIO` (default io_fanout) and grabs the screen after SECONDS
# (default 6) into OUT.png (default screenshot.png). With ASYNCSCOPE_ARGS set, runs
# `asyncscope $ASYNCSCOPE_ARGS` instead (e.g. "open a.ascope b.ascope" for a comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-io_fanout}
out=${2:-screenshot.png}
wait_s=${3:-6}

scripts/setup.sh --screenshot
cargo build --release --quiet

display=:${ASYNCSCOPE_DISPLAY:-99}
Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
  [[ -n $app ]] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
sleep 1
if [[ -n ${ASYNCSCOPE_ARGS:-} ]]; then
  # shellcheck disable=SC2086 # the arguments are meant to split
  DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1 target/release/asyncscope $ASYNCSCOPE_ARGS &
else
  DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1 target/release/asyncscope --run "$scenario" &
fi
app=$!
sleep "$wait_s"
DISPLAY=$display import -window root "$out"
echo "wrote $out"
