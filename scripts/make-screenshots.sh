#!/usr/bin/env bash
# Regenerates Screenshots/: every explorer view, taken from the real binary in a real terminal
# (tmux, 140x44, 256 colours) and rendered to PNG by scripts/ansi2png.py. Images: the bundled demo,
# the GPT guest-disk fixture (Tests/Fixtures/guest/gpt.qcow2) and a large fragmented one
# (Benchmarks/images/random-64g-4k.qcow2, made by Benchmarks/make-images.sh when missing — takes a
# minute). Usage: scripts/make-screenshots.sh [BINARY]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${1:-$(swift build -c release --show-bin-path)/qcowscope}"
[ -x "$bin" ] || swift build -c release --product qcowscope
export SCREENSHOT_SIZE="${SCREENSHOT_SIZE:-140x44}"
export SCREENSHOT_WAIT="${SCREENSHOT_WAIT:-2}"
shot() { scripts/screenshot.sh "$@" >/dev/null; echo "Screenshots/$1.png"; }

demo=Demo/demo.qcow2
shot demo-1-header   "$bin $demo"
shot demo-2-host     "$bin $demo" sleep:1 2
shot demo-2-host-mono "$bin --no-color $demo" sleep:1 2
shot demo-2-host-ascii "$bin --no-color --ascii $demo" sleep:1 2
shot demo-2-host-curve "$bin $demo" sleep:1 2 c
shot demo-2-cluster  "$bin $demo" sleep:1 2 Right Right Right Enter
shot demo-3-guest    "$bin $demo" sleep:1 3 f
shot demo-4-refcounts "$bin $demo" sleep:1 4
shot demo-5-snapshots "$bin $demo" sleep:1 5
shot demo-6-bitmaps  "$bin $demo" sleep:1 6
shot demo-6-extents  "$bin $demo" sleep:1 6 Enter
shot demo-7-check    "$bin Demo/demo-leaky.qcow2" sleep:1 7
SCREENSHOT_SIZE=80x24 shot demo-80x24-refcounts "$bin $demo" sleep:1 4
shot demo-help       "$bin $demo" sleep:1 2 '?'

# A guest disk with partitions and filesystems (Tests/Fixtures/make-guest-fixtures.sh): the
# Volumes view, and the map's volume layer that Enter opens on the selected volume.
guest=Tests/Fixtures/guest/gpt.qcow2
shot guest-8-volumes "$bin $guest" sleep:1 8
shot guest-3-volumes "$bin $guest" sleep:1 8 Enter

big=Benchmarks/images/random-64g-4k.qcow2
if [ ! -f "$big" ]; then Benchmarks/make-images.sh; fi
if [ -f "$big" ]; then
    export SCREENSHOT_WAIT=8
    shot big-2-host      "$bin $big" sleep:2 2
    shot big-3-guest     "$bin $big" sleep:2 3 f
    shot big-4-refcounts "$bin $big" sleep:2 4
    shot big-5-snapshots "$bin $big" sleep:2 5
fi
