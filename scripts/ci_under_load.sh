#!/usr/bin/env bash
# `.ci/run` on fresh clones of this checkout, one after another, each with `stress-ng --cpu 2`
# beside it (issue 14's check); stops at the first failure. Needs stress-ng (apt-get install
# stress-ng). Each run: /tmp/cis<N>/main (with ../shared linked), its log in /tmp/cis<N>/ci.log,
# a line in /tmp/ci_under_load.summary.
#   RUNS="1 2 3" nohup scripts/ci_under_load.sh > /tmp/ci_under_load.out 2>&1 &
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$src/../shared" && pwd)
command -v stress-ng > /dev/null || { echo "ci_under_load: stress-ng is not installed" >&2; exit 2; }
for i in ${RUNS:-1 2 3}; do
  root=/tmp/cis$i
  rm -rf "$root"; mkdir -p "$root"
  git clone -q "$src" "$root/main"
  ln -s "$shared" "$root/shared"
  stress-ng --cpu 2 --timeout 7200 > /dev/null 2>&1 &
  hog=$!
  start=$(date +%s)
  (cd "$root/main" && CI=true bash .ci/run > "$root/ci.log" 2>&1)
  rc=$?
  kill "$hog" 2> /dev/null; wait "$hog" 2> /dev/null
  echo "run $i rev=$(git -C "$root/main" rev-parse --short HEAD) rc=$rc" \
       "wall=$(( $(date +%s) - start ))s end=$(date -u +%H:%M)" >> /tmp/ci_under_load.summary
  [ "$rc" -eq 0 ] || exit 1
done
