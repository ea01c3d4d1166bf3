#!/usr/bin/env bash
# `make tarball`: qcowscope for distributions other than Debian, as one archive laid out like a
# prefix (bin/, share/man/man1/, share/bash-completion/, share/zsh/site-functions/, share/fish/,
# share/qcowscope/demo.qcow2) plus README.md and LICENSE at the top:
#
#   tar -xzf qcowscope-0.1.0-linux-x86_64.tar.gz --strip-components=1 -C /usr/local
#
#   scripts/make-tarball.sh BINARY OUTDIR [SCRATCH]      (prints the archive's path)
set -euo pipefail
source_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=$(realpath "${1:?usage: make-tarball.sh BINARY OUTDIR [SCRATCH]}")
outdir=${2:?usage: make-tarball.sh BINARY OUTDIR [SCRATCH]}
scratch=${3:-}

version=$("$binary" --version)
name="qcowscope-$version-linux-$(uname -m)"
date_epoch=${SOURCE_DATE_EPOCH:-$(git -C "$source_root" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH=$date_epoch

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$source_root/scripts/make-manpage.sh" "$binary" "$work/qcowscope.1" $scratch
"$source_root/scripts/install-tree.sh" "$binary" "$work/qcowscope.1" "$work/$name"
install -m 644 "$source_root/README.md" "$source_root/LICENSE" "$work/$name/"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$work/$name/bin/qcowscope"

mkdir -p "$outdir"
archive="$(realpath "$outdir")/$name.tar.gz"
# Sorted names, fixed owner and times: the same bytes for the same inputs.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$date_epoch" -C "$work" -cf - "$name" \
    | gzip -9n >"$archive"
echo "$archive"
