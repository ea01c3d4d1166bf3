#!/usr/bin/env bash
# qcowscope(1) from the argument parser's own help, so the options never drift from the binary:
# swift-argument-parser's generate-manual tool reads `BINARY --experimental-dump-help` and writes
# mdoc; this script tidies its free text into mdoc (blank lines, indented examples), then replaces
# its stub EXIT STATUS with the hand-written sections in scripts/manpage/sections.mdoc and the
# EXAMPLES made by running each line of scripts/manpage/examples.txt on the fixtures.
#
#   scripts/make-manpage.sh BINARY OUTPUT [SCRATCH]
#
# The generate-manual tool is built once from the resolved swift-argument-parser checkout (offline,
# no plugin sandbox) into SCRATCH/tools (SCRATCH: the build directory the binary is in, or .build). The date is the last commit's,
# or SOURCE_DATE_EPOCH's, so the page is the same bytes for the same sources.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=$(realpath "${1:?usage: make-manpage.sh BINARY OUTPUT [SCRATCH]}")
output=${2:?usage: make-manpage.sh BINARY OUTPUT [SCRATCH]}
# SwiftPM's build directory: the argument, else the one the binary was built in (the first directory
# above it holding the resolved checkouts), else .build.
scratch=${3:-}
if [[ -z $scratch ]]; then
    dir=$(dirname "$binary")
    while [[ $dir != / && ! -d $dir/checkouts ]]; do dir=$(dirname "$dir"); done
    scratch=$([[ -d $dir/checkouts ]] && echo "$dir" || echo "$root/.build")
fi
scratch=$(realpath -m "$scratch")
swift=${SWIFT:-swift}

tool="$scratch/tools/debug/generate-manual"
if [[ ! -x $tool ]]; then
    checkout="$scratch/checkouts/swift-argument-parser"
    [[ -d $checkout ]] || "$swift" package --package-path "$root" --scratch-path "$scratch" resolve >&2
    echo "make-manpage: building swift-argument-parser's generate-manual (once)" >&2
    mkdir -p "$scratch/tools"
    "$swift" build --package-path "$checkout" --scratch-path "$scratch/tools" --product generate-manual \
        >"$scratch/tools/build.log" 2>&1 || { tail -30 "$scratch/tools/build.log" >&2; exit 1; }
fi

if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
    date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
else
    date=$(git -C "$root" log -1 --format=%cd --date=format:%F 2>/dev/null || date -u +%F)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tool" "$binary" --date "$date" --output-directory "$work" >&2

# Text from the help and the examples' output, made safe for roff: backslashes as \e, a leading dot
# or quote guarded by \&, characters beyond ASCII as \[uXXXX] (groff and mandoc both know them).
roff_text() {
    perl -CS -pe 's/\\/\\e/g; s/^([.\x27])/\\&$1/; s/([^\x00-\x7f])/sprintf("\\[u%04X]", ord($1))/ge'
}

# The generated page up to its stub EXIT STATUS. The parser's discussions are free text: a blank
# line becomes a paragraph break, and a run of indented lines (the "Example:" blocks) a literal display.
tidy() {
    perl -CS -ne '
        BEGIN { $lit = 0 }
        last if /^\.Sh "EXIT STATUS"/;
        if (/^\s*$/) { print ".Ed\n" if $lit; $lit = 0; print ".Pp\n"; next }
        if (/^  +\S/ && !/^\./) {
            print ".Bd -literal -offset indent\n" unless $lit; $lit = 1;
            s/^  //; s/\\/\\e/g; s/([^\x00-\x7f])/sprintf("\\[u%04X]", ord($1))/ge; print; next
        }
        if ($lit) { print ".Ed\n"; $lit = 0 }
        if (!/^\./) { s/\\/\\e/g; s/([^\x00-\x7f])/sprintf("\\[u%04X]", ord($1))/ge }
        print;
        END { print ".Ed\n" if $lit }
    ' "$work/qcowscope.1"
}

# EXAMPLES: each sentence, then the command line and the first lines of what it prints on the fixtures.
examples() {
    local sentence="" line
    while IFS= read -r line; do
        [[ -z $line || $line == \#* ]] && continue
        if [[ -z $sentence ]]; then sentence=$line; continue; fi
        printf '.Pp\n%s\n' "$(roff_text <<<"$sentence")"
        printf '.Bd -literal -offset indent\n'
        printf '$ qcowscope %s\n' "${line#!}" | roff_text
        if [[ $line != !* ]]; then
            local -a words
            read -r -a words <<<"$line"
            (cd "$root/Tests/Fixtures/images" && LC_ALL=C NO_COLOR=1 "$binary" "${words[@]}" 2>&1 || true) \
                | head -n 8 | perl -CS -pe 's/^(.{68}).+$/$1/' | roff_text
        fi
        printf '.Ed\n'
        sentence=""
    done <"$root/scripts/manpage/examples.txt"
}

mkdir -p "$(dirname "$output")"
{
    tidy
    while IFS= read -r line; do
        if [[ $line == '.\" @EXAMPLES@' ]]; then examples; else printf '%s\n' "$line"; fi
    done <"$root/scripts/manpage/sections.mdoc"
} >"$output.tmp"
mv "$output.tmp" "$output"
echo "make-manpage: wrote $output" >&2
