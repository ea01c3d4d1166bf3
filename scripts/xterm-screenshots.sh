#!/usr/bin/env bash
# Screenshots from a real terminal emulator: each shot of a list (default Screenshots/shots.txt)
# runs its command in xterm on a private Xvfb display, the keys are typed through tmux inside that
# xterm (send-keys), and ImageMagick's `import -window` captures the xterm window as PNG. What the
# picture shows is what xterm drew — fonts, colours, line drawing — not a re-rendering.
#
#   scripts/xterm-screenshots.sh [-l LIST] [-o DIR] [-b QCOWSCOPE] [-t TUI_SAMPLE] [NAME...]
#
# NAMEs pick shots of the list (all by default). Environment: SCREENSHOT_WAIT (2) seconds before
# the first key, SCREENSHOT_KEY_DELAY (0.4) between keys, SCREENSHOT_FONT ('DejaVu Sans Mono'),
# SCREENSHOT_FONT_SIZE (11). Needs (Debian): xvfb xterm tmux imagemagick x11-utils fonts-dejavu-core.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
list=$root/Screenshots/shots.txt
out=$root/Screenshots
bin=""
tui=""
while getopts "l:o:b:t:h" option; do
    case $option in
        l) list=$OPTARG ;;
        o) out=$OPTARG ;;
        b) bin=$OPTARG ;;
        t) tui=$OPTARG ;;
        *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
wait_first=${SCREENSHOT_WAIT:-2}
key_delay=${SCREENSHOT_KEY_DELAY:-0.4}
font=${SCREENSHOT_FONT:-DejaVu Sans Mono}
font_size=${SCREENSHOT_FONT_SIZE:-11}

for tool in Xvfb xterm tmux import xwininfo; do
    command -v "$tool" >/dev/null || {
        echo "xterm-screenshots.sh: $tool is missing (apt-get install xvfb xterm tmux imagemagick x11-utils)" >&2
        exit 1
    }
done
[ -n "$bin" ] || bin=$(cd "$root" && swift build --show-bin-path)/qcowscope
[ -n "$tui" ] || tui=$(dirname "$bin")/tui-sample
mkdir -p "$out"

# A private X server on the first free display (Xvfb writes its number to fd 3), and a private
# tmux server (own socket): nothing of the user's is touched.
work=$(mktemp -d)
socket="qcowscope-xshot-$$"
xvfb_pid=""
xterm_pid=""
cleanup() {
    [ -z "$xterm_pid" ] || kill "$xterm_pid" 2>/dev/null || true
    tmux -L "$socket" kill-server 2>/dev/null || true
    [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp -noreset 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "xterm-screenshots.sh: Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(cat "$work/display")"
# One idle session keeps the tmux server up between shots (it exits when its last session ends,
# and a shot started in that moment would find it gone).
tmux -L "$socket" -f /dev/null new-session -d -s keeper "sleep 86400"

# shot NAME COLSxROWS COMMAND KEYS
shot() {
    local name=$1 size=$2 command=$3 keys=$4 cols rows word id
    cols=${size%x*}
    rows=${size#*x}
    # The binaries by name; everything else is relative to the repository.
    local words=()
    for word in $command; do
        case $word in
            qcowscope) words+=("$bin") ;;
            tui-sample) words+=("$tui") ;;
            */*) [ -e "$root/$word" ] || { echo "skipped $name: $word is missing" >&2; return 0; }
                 words+=("$word") ;;  # relative: the views show the name as typed
            *) words+=("$word") ;;
        esac
    done
    [ -x "${words[0]}" ] || { echo "skipped $name: ${words[0]} is not built" >&2; return 0; }
    tmux -L "$socket" -f /dev/null new-session -d -s "$name" -x "$cols" -y "$rows" \
        "cd '$root' && env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ${words[*]}; sleep 600"
    tmux -L "$socket" set-option -t "$name" status off >/dev/null
    xterm -T "xshot-$name" -geometry "${cols}x${rows}+0+0" -b 0 +sb -fa "$font" -fs "$font_size" \
        -bg '#18191e' -fg '#dcdfe4' -tn xterm-256color -xrm 'XTerm*cursorBlink: false' -xrm 'XTerm*forceBoxChars: true' \
        -e env LANG=C.UTF-8 LC_ALL=C.UTF-8 tmux -L "$socket" attach -t "$name" 2>>"$work/xterm.log" &
    xterm_pid=$!
    id=""
    for _ in $(seq 50); do
        id=$(xwininfo -name "xshot-$name" 2>/dev/null | awk '/Window id:/ { print $4 }') && [ -n "$id" ] && break
        sleep 0.1
    done
    [ -n "$id" ] || { echo "xterm-screenshots.sh: no xterm window for $name" >&2; cat "$work/xterm.log" >&2; exit 1; }
    sleep "$wait_first"
    for word in $keys; do
        case $word in
            sleep:*) sleep "${word#sleep:}" ;;
            *) tmux -L "$socket" send-keys -t "$name" "$word"; sleep "$key_delay" ;;
        esac
    done
    sleep "$key_delay"
    import -window "$id" "$out/$name.png"
    kill "$xterm_pid" 2>/dev/null || true
    wait "$xterm_pid" 2>/dev/null || true
    xterm_pid=""
    tmux -L "$socket" kill-session -t "$name" 2>/dev/null || true
    echo "$out/$name.png"
}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }
# The list on fd 9, so nothing a shot starts can read it from standard input.
while IFS= read -r line <&9; do
    case $line in ''|'#'*) continue ;; esac
    IFS='|' read -r name size command keys <<<"$line"
    name=$(trim "$name")
    if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
    shot "$name" "$(trim "$size")" "$(trim "$command")" "$(trim "${keys:-}")" </dev/null
done 9<"$list"
