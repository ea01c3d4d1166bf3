#!/usr/bin/env bash
# Builds the libFuzzer target Fuzz/FuzzQcow2.swift into $FUZZ_BUILD/fuzz-qcow2 (default .build-fuzz/).
#
# SwiftPM cannot build it (a `--sanitize=fuzzer` package build would also give the qcowscope
# executable libFuzzer's main), so the library modules are compiled here with swiftc, each as a
# static library with the same instrumentation (coverage for libFuzzer, AddressSanitizer), then
# linked with the entry file. Overflow and bounds traps stay on at every level (only -Ounchecked
# removes them).
#
# Two knobs, because `make fuzz` wants everything and `make test` wants a short build. Measured on
# the 2-core machine with other builds running (so ±20 %):
#   FUZZ_SCOPE=full (default)  Formatting, Qcow2, Guest, Analysis, Reports, TerminalUI, Explorer: every view too
#   FUZZ_SCOPE=core            Formatting, Qcow2, Guest, Analysis, Reports only (no views; `make test`)
#   FUZZ_OPT=-O (default)      core builds in 70-95 s and replays the 299 seeds in 3-5 s (~100 exec/s)
#   FUZZ_OPT=-Onone            core builds in ~30 s but replays them in 20-30 s (~15 exec/s): six times
#                              slower to run, so -O wins for any time box longer than about 15 s
#   (full -Onone: 45 s to build, 93 s to replay the seeds; -Osize costs -O's CPU time)
#
# Incremental: each module's library carries a stamp (a hash of its sources, the flags and the
# stamps of the modules it imports), so it is rebuilt only when that changed — also when a file was
# deleted or checked out older. An unchanged build costs a second.
#
# Exits 77 (and says why) when the toolchain cannot build with -sanitize=fuzzer: callers skip.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_BUILD:-$root/.build-fuzz}
opt=${FUZZ_OPT:--O}
scope=${FUZZ_SCOPE:-full}
mkdir -p "$out"
cd "$root"

case $scope in
    full) modules=(Formatting Qcow2 Guest Analysis Reports TerminalUI Explorer); defines=() ;;
    core) modules=(Formatting Qcow2 Guest Analysis Reports); defines=(-D FUZZ_CORE) ;;
    *) echo "fuzz build: FUZZ_SCOPE must be full or core, not '$scope'" >&2; exit 2 ;;
esac
# An optimised whole-module build is one frontend job; -num-threads lets LLVM's code generation use
# every core (about a quarter off the -O build on two cores).
threads=()
[[ $opt == -Onone ]] || threads=(-num-threads "$(nproc 2>/dev/null || echo 2)")
common=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address "$opt" "${threads[@]}" -g
        -I Sources/CZlib -I Sources/CZstd -I Sources/CSystem -I "$out" -module-cache-path "$out/module-cache")
flags="${common[*]} ${defines[*]-}"

# Does this toolchain have libFuzzer? (Swift on Linux ships it; some builds and macOS's Xcode do not.)
probe_stamp="$out/sanitizer-probe"
if [[ $(cat "$probe_stamp" 2>/dev/null) != "ok $(command -v swiftc)" ]]; then
    printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>, _ n: Int) -> Int32 { 0 }\n' \
        >"$out/probe.swift"
    if ! swiftc -parse-as-library -sanitize=fuzzer,address "$out/probe.swift" -o "$out/probe" >"$out/probe.log" 2>&1; then
        echo "fuzz build: this toolchain cannot build with -sanitize=fuzzer,address ($(head -c 300 "$out/probe.log"))" >&2
        exit 77
    fi
    echo "ok $(command -v swiftc)" >"$probe_stamp"
fi

# What each module imports (Package.swift), and the stamp of a module: its sources' contents, the
# flags, and the stamps of what it imports.
declare -A imports=([Formatting]="" [Qcow2]="Formatting" [Guest]="Qcow2" [Analysis]="Qcow2 Guest"
                    [Reports]="Formatting Qcow2 Analysis" [TerminalUI]="Formatting"
                    [Explorer]="Formatting Qcow2 Guest Analysis Reports TerminalUI")
declare -A stamps=()
stamp_of() {
    local dep deps=""
    for dep in ${imports[$1]}; do deps+="${stamps[$dep]}"; done
    { printf '%s\n' "$flags" "$deps"; find "Sources/$1" -name '*.swift' | sort | xargs cat; } | sha256sum | cut -c1-64
}

start=$(date +%s)
for name in "${modules[@]}"; do
    lib="$out/lib$name.a"
    stamp=$(stamp_of "$name")
    stamps[$name]=$stamp
    if [[ -f $lib && $(cat "$lib.stamp" 2>/dev/null) == "$stamp" ]]; then
        echo "fuzz build: $name is up to date"
        continue
    fi
    mapfile -t sources < <(find "Sources/$name" -name '*.swift' | sort)
    echo "fuzz build: $name (${#sources[@]} files, $opt)"
    rm -f "$lib.stamp"
    t=$(date +%s)
    swiftc "${common[@]}" -module-name "$name" -module-link-name "$name" -whole-module-optimization \
        -emit-module -emit-module-path "$out/$name.swiftmodule" \
        -emit-library -static -o "$lib" "${sources[@]}"
    echo "$stamp" >"$lib.stamp"
    echo "fuzz build: $name took $(( $(date +%s) - t )) s"
done

binary="$out/fuzz-qcow2"
link_stamp=$( { printf '%s\n' "$flags" "${stamps[@]}"; cat Fuzz/FuzzQcow2.swift; } | sha256sum | cut -c1-64)
if [[ -x $binary && $(cat "$binary.stamp" 2>/dev/null) == "$link_stamp" ]]; then
    echo "fuzz build: $binary is up to date ($scope, $opt)"
    exit 0
fi
echo "fuzz build: linking fuzz-qcow2 ($scope)"
libs=()
for (( i = ${#modules[@]} - 1; i >= 0; i-- )); do libs+=("-l${modules[i]}"); done
rm -f "$binary.stamp"
swiftc "${common[@]}" "${defines[@]}" Fuzz/FuzzQcow2.swift -L "$out" "${libs[@]}" -lz -lzstd -o "$binary"
echo "$link_stamp" >"$binary.stamp"
echo "fuzz build: $binary ($scope, $opt) in $(( $(date +%s) - start )) s"
