#!/bin/sh
# Launch time of the built bundle: launch -> main window on screen, warm, N runs (default 10).
# Each run starts LeadDesk with LEADDESK_QUIT_AFTER_SHOW=1 on a throw-away data folder holding the
# sample leads; the app prints "window shown N ms after launch" (from /proc) and quits.
#   build/measure_launch.sh [RUNS]
set -eu
RUNS=${1:-10}
EXE=${EXE:-build/dist/LeadDesk/LeadDesk}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LEADDESK_DATA_DIR="$TMP/data" XDG_CONFIG_HOME="$TMP/config" QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$EXE" import "${SAMPLE:-resources/sample_leads.csv}" >/dev/null 2>&1 || true
LEADDESK_QUIT_AFTER_SHOW=1 "$EXE" >/dev/null 2>&1  # warm-up: page cache, settings file
i=0
while [ "$i" -lt "$RUNS" ]; do
    LEADDESK_QUIT_AFTER_SHOW=1 "$EXE" 2>/dev/null | sed -n 's/^window shown \([0-9]*\) ms.*/\1/p'
    i=$((i + 1))
done | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "no measurement (is the bundle built?)"; exit 1 }
    printf "launch -> window shown, %d warm runs: min %d ms, median %d ms, max %d ms\n", NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
