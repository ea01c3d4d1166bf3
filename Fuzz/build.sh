#!/usr/bin/env bash
# Builds the libFuzzer target Fuzz/FuzzQcow2.swift into $FUZZ_BUILD/fuzz-qcow2 (default .build-fuzz/).
#
# SwiftPM cannot build it (a `--sanitize=fuzzer` package build would also give the qcowscope
# executable libFuzzer's main), so the library modules (Qcow2, Analysis, Reports, TerminalUI, Explorer) are compiled here with swiftc, each
# as a static library with the same instrumentation (coverage for libFuzzer, AddressSanitizer),
# then linked with the entry file. Optimised (-O) because throughput is coverage; overflow and
# bounds traps stay on (only -Ounchecked removes them).
#
# Usage: Fuzz/build.sh            (incremental: a module is rebuilt when one of its sources changed)
#        FUZZ_OPT=-Onone Fuzz/build.sh   (faster to build, slower to fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_BUILD:-$root/.build-fuzz}
opt=${FUZZ_OPT:--O}
mkdir -p "$out"
cd "$root"

common=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address "$opt" -g
        -I Sources/CZlib -I Sources/CZstd -I "$out" -module-cache-path "$out/module-cache")

# module NAME: compiles Sources/NAME/**.swift into $out/libNAME.a + NAME.swiftmodule when one of
# its sources is newer than the library, or when a module it depends on was rebuilt.
rebuilt=no
# A change of optimisation level rebuilds everything.
if [[ $(cat "$out/opt" 2>/dev/null) != "$opt" ]]; then rebuilt=yes; echo "$opt" >"$out/opt"; fi
module() {
    local name=$1 sources lib="$out/lib$1.a"
    mapfile -t sources < <(find "Sources/$name" -name '*.swift' | sort)
    if [[ $rebuilt == no && -f $lib && -z $(find "Sources/$name" -name '*.swift' -newer "$lib" | head -1) ]]; then
        echo "fuzz build: $name is up to date"
        return
    fi
    rebuilt=yes
    echo "fuzz build: $name (${#sources[@]} files, $opt)"
    swiftc "${common[@]}" -module-name "$name" -module-link-name "$name" -whole-module-optimization \
        -emit-module -emit-module-path "$out/$name.swiftmodule" \
        -emit-library -static -o "$lib" "${sources[@]}"
}

start=$(date +%s)
module Qcow2
module Analysis
module Reports
module TerminalUI
module Explorer
echo "fuzz build: linking fuzz-qcow2"
swiftc "${common[@]}" Fuzz/FuzzQcow2.swift -L "$out" -lExplorer -lTerminalUI -lReports -lAnalysis -lQcow2 -lz -lzstd \
    -o "$out/fuzz-qcow2"
echo "fuzz build: $out/fuzz-qcow2 in $(( $(date +%s) - start )) s"
