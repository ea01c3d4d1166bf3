#!/usr/bin/env bash
# The Debian `Depends:` of a binary: exactly the packages of the shared libraries it loads.
#
#   scripts/deb-depends.sh BINARY
#
# Each NEEDED entry of `readelf -d` is found where the dynamic linker would find it (ldconfig's
# cache, then the binary's RUNPATH), the file's package asked of `dpkg -S` (trying the /usr and the
# merged-/usr spelling), and the package given with the upstream part of its installed version as
# the minimum, epoch kept ("zlib1g (>= 1:1.2.13.dfsg)"). Prints the comma-separated list (empty for a static
# binary). A library no package owns (a toolchain's libswiftCore.so) is an error, unless
# DEB_ALLOW_UNPACKAGED=1 (the tests' debug build): then it is named on stderr and left out.
set -euo pipefail
binary=${1:?usage: deb-depends.sh BINARY}

needed=$(LC_ALL=C readelf -d "$binary" | sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]/\1/p')
runpath=$(LC_ALL=C readelf -d "$binary" | sed -n 's/.*(R\(UN\)\?PATH).*Library r\(un\)\?path: \[\(.*\)\]/\3/p' | tr ':' ' ')
arch_tag=$(case "$(uname -m)" in x86_64) echo "x86-64";; aarch64) echo "AArch64";; *) echo "";; esac)

locate() {  # soname -> path
    local soname=$1 path dir
    path=$(ldconfig -p | awk -v so="$soname" -v tag="$arch_tag" '$1 == so && index($0, tag) { print $NF; exit }')
    if [[ -z $path ]]; then
        for dir in $runpath; do [[ -e $dir/$soname ]] && { path=$dir/$soname; break; }; done
    fi
    printf '%s' "$path"
}

# Every spelling a library's path may have in dpkg's database (merged /usr: /lib and /usr/lib).
spellings() {
    local path=$1 real
    real=$(realpath "$path")
    printf '%s\n' "$path" "$real" "${path#/usr}" "/usr${path#/usr}" "${real#/usr}" "/usr${real#/usr}" | sort -u
}

# One `dpkg -S` for every spelling of every library (it reads the whole database each time).
declare -A path_of=()
candidates=()
for soname in $needed; do
    path=$(locate "$soname")
    path_of[$soname]=$path
    [[ -n $path ]] && mapfile -t -O "${#candidates[@]}" candidates < <(spellings "$path")
done
declare -A package_of=()
if ((${#candidates[@]})); then
    while IFS= read -r line; do
        package=${line%%: *}
        package_of[${line#*: }]=${package%%:*}
    done < <(dpkg -S "${candidates[@]}" 2>/dev/null | grep -v '^diversion' || true)
fi

declare -A seen=()
packages=()
for soname in $needed; do
    path=${path_of[$soname]}
    package=""
    if [[ -n $path ]]; then
        while IFS= read -r spelling; do
            package=${package_of[$spelling]:-}
            [[ -n $package ]] && break
        done < <(spellings "$path")
    fi
    if [[ -z $package ]]; then
        if [[ ${DEB_ALLOW_UNPACKAGED:-0} == 1 ]]; then
            echo "deb-depends: $soname (${path:-not found}) is in no Debian package; left out" >&2
            continue
        fi
        echo "deb-depends: $soname (${path:-not found}) is in no Debian package: link it statically" >&2
        exit 1
    fi
    [[ -n ${seen[$package]:-} ]] && continue
    seen[$package]=1
    version=$(dpkg-query -W -f='${Version}' "$package" | sed 's/-[^-]*$//')
    packages+=("$package (>= $version)")
done
(IFS=,; printf '%s\n' "${packages[*]}" | sed 's/,/, /g')
