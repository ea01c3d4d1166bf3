#!/usr/bin/env bash
# `make deb`: a Debian package of a built qcowscope with dpkg-deb alone (no debhelper, no source
# package): the binary, man page, completions and demo image (scripts/install-tree.sh --debian),
# README, copyright and changelog under /usr/share/doc/qcowscope, and a control file whose
# Depends is exactly the packages of the libraries the binary loads (scripts/deb-depends.sh).
# Then lintian, when installed: every tag it reports must be one the README explains.
#
#   scripts/make-deb.sh BINARY OUTDIR [SCRATCH]
#
# Prints the path of the .deb on standard output. The version is `BINARY --version`.
# DEB_ALLOW_UNPACKAGED=1 and DEB_LINTIAN_ALLOW="tag ..." are for the tests, which package the debug
# build (its Swift runtime comes from the toolchain, not from a package).
set -euo pipefail
source_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=$(realpath "${1:?usage: make-deb.sh BINARY OUTDIR [SCRATCH]}")
outdir=${2:?usage: make-deb.sh BINARY OUTDIR [SCRATCH]}
scratch=${3:-}

version=$("$binary" --version)
arch=$(dpkg --print-architecture)
maintainer="${DEBFULLNAME:-$(git -C "$source_root" config user.name || echo qcowscope)} <${DEBEMAIL:-$(git -C "$source_root" config user.email || echo qcowscope@localhost)}>"
date_epoch=${SOURCE_DATE_EPOCH:-$(git -C "$source_root" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH=$date_epoch
year=$(date -u -d "@$date_epoch" +%Y)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg="$work/qcowscope"
"$source_root/scripts/make-manpage.sh" "$binary" "$work/qcowscope.1" $scratch
"$source_root/scripts/install-tree.sh" "$binary" "$work/qcowscope.1" "$pkg/usr" --debian

doc="$pkg/usr/share/doc/qcowscope"
install -d -m 755 "$doc"
install -m 644 "$source_root/README.md" "$doc/README.md"
{
    echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: qcowscope"
    echo
    echo "Files: *"
    echo "Copyright: $year the qcowscope authors"
    echo "License: Apache-2.0"
    echo
    echo "Files: usr/bin/qcowscope"
    echo "Copyright: $year the qcowscope authors"
    echo "           2014-$year Apple Inc. and the Swift project authors"
    echo "License: Apache-2.0"
    echo "Comment: the binary contains the Swift runtime and swift-argument-parser, both Apache-2.0"
    echo " (the runtime with the Runtime Library Exception)."
    echo
    echo "License: Apache-2.0"
    echo " On Debian systems, the full text of the Apache License, Version 2.0 is in"
    echo " /usr/share/common-licenses/Apache-2.0."
} >"$doc/copyright"
{
    echo "qcowscope ($version) unstable; urgency=medium"
    echo
    echo "  * Built from $(git -C "$source_root" describe --always --dirty 2>/dev/null || echo 'a source tree'); what changed is in the git history."
    echo
    echo " -- $maintainer  $(LC_ALL=C date -u -R -d "@$date_epoch")"
} | gzip -9n >"$doc/changelog.gz"
chmod 644 "$doc/copyright" "$doc/changelog.gz"

depends=$("$source_root/scripts/deb-depends.sh" "$pkg/usr/bin/qcowscope")
install -d -m 755 "$pkg/DEBIAN"
{
    echo "Package: qcowscope"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
    [[ -n $depends ]] && echo "Depends: $depends"
    echo "Section: utils"
    echo "Priority: optional"
    echo "Description: terminal explorer and reports for QEMU qcow2 disk images"
    echo " qcowscope shows what is inside a qcow2 image: header and feature bits, L1/L2"
    echo " tables, refcounts, snapshots, dirty bitmaps, compressed and zero clusters,"
    echo " backing chains, and how the guest disk is laid out in the host file."
    echo " Report commands (info, check, map, layout, frag, snapshots, bitmaps, space,"
    echo " diff, survey) print text or JSON compatible with qemu-img; the explorer is"
    echo " interactive. Images are opened read-only and never written or locked."
} >"$pkg/DEBIAN/control"
(cd "$pkg" && find usr -type f -printf '%P\n' | sort | sed 's|^|usr/|' | xargs md5sum) >"$pkg/DEBIAN/md5sums"
chmod 644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"
find "$pkg" -type d -exec chmod 755 {} +

mkdir -p "$outdir"
deb="$(realpath "$outdir")/qcowscope_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >&2

if command -v lintian >/dev/null; then
    "$source_root/scripts/check-lintian.sh" "$deb" >&2
else
    echo "make-deb: lintian is not installed; not checked" >&2
fi
echo "$deb"
