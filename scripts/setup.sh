#!/usr/bin/env bash
# Installs the system packages asyncscope needs on a fresh Debian/Ubuntu machine
# (idempotent; installs only what is missing). Rust itself comes from rustup.
#   python3                         the asyncio runner and trace-py (3.11+), and
#                                   tools/check_trace.py, the export-contract checker
#   libxkbcommon-x11-0 libxcursor1  loaded at run time by the window (winit, X11)
#   libxrandr2 libxi6
#   libegl1 libgl1-mesa-dri         OpenGL through EGL for wgpu; Mesa's software renderer
#                                   draws when there is no GPU
set -euo pipefail

packages=(python3 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 libegl1 libgl1-mesa-dri)
if [[ ${1:-} == --screenshot ]]; then
  # For scripts/screenshot.sh: a virtual X server and a screen grabber.
  packages+=(xvfb x11-utils imagemagick)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup: please install: ${missing[*]} (no apt-get here)" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
