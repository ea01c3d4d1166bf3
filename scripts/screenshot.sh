#!/usr/bin/env bash
# Screenshot of a terminal program: runs COMMAND in a private tmux server at a fixed size with
# TERM=xterm-256color, sends KEYS one by one, captures the pane with colours and renders it.
#
#   scripts/screenshot.sh NAME 'COMMAND' [KEY ...]
#
# Writes Screenshots/NAME.ansi (tmux capture-pane -e -p) and Screenshots/NAME.png (ansi2png.py).
# Each KEY is one `tmux send-keys` argument (tmux key names: Down, PageDown, C-l, Escape, Enter,
# or plain text such as 2 or g); `sleep:SECONDS` waits instead. Environment:
#   SCREENSHOT_SIZE=120x40   terminal size        SCREENSHOT_WAIT=1.5  seconds before the first key
#   SCREENSHOT_KEY_DELAY=0.3 seconds between keys SCREENSHOT_DIR=Screenshots
#   PYTHON=/usr/bin/python3  a python3 with Pillow (Debian: apt-get install python3-pil fonts-dejavu-core)
# Example:
#   scripts/screenshot.sh widgets "$(swift build --show-bin-path)/tui-sample" 2 Down Down
set -euo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
name=$1
command=$2
shift 2

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=${SCREENSHOT_SIZE:-120x40}
cols=${size%x*}
rows=${size#*x}
wait_first=${SCREENSHOT_WAIT:-1.5}
key_delay=${SCREENSHOT_KEY_DELAY:-0.3}
out_dir=${SCREENSHOT_DIR:-$root/Screenshots}
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3

command -v tmux >/dev/null || { echo "screenshot.sh: tmux is needed (apt-get install tmux)" >&2; exit 1; }
"$python" -c 'import PIL' 2>/dev/null || {
    echo "screenshot.sh: $python lacks Pillow (apt-get install python3-pil fonts-dejavu-core)" >&2
    exit 1
}
mkdir -p "$out_dir"

# A private server (its own socket), so nothing else running in tmux is touched.
socket="qcowscope-shot-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; }
trap cleanup EXIT

tmux -L "$socket" -f /dev/null new-session -d -s shot -x "$cols" -y "$rows" \
    "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $command; sleep 600"
tmux -L "$socket" set-option -t shot status off >/dev/null
tmux -L "$socket" resize-window -t shot -x "$cols" -y "$rows" 2>/dev/null || true
sleep "$wait_first"
for key in "$@"; do
    case $key in
        sleep:*) sleep "${key#sleep:}" ;;
        *) tmux -L "$socket" send-keys -t shot "$key"; sleep "$key_delay" ;;
    esac
done
sleep "$key_delay"
tmux -L "$socket" capture-pane -t shot -e -p > "$out_dir/$name.ansi"
"$python" "$root/scripts/ansi2png.py" "$out_dir/$name.ansi" "$out_dir/$name.png" --cols "$cols" --rows "$rows"
echo "wrote $out_dir/$name.png ($size)"
