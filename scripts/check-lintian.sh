#!/usr/bin/env bash
# Runs lintian (errors, warnings and info) on a .deb and fails unless every tag it reports is one
# the README explains: the list under "### Lintian" in README.md, one "- `tag`: why" per line.
# DEB_LINTIAN_ALLOW="tag ..." adds tags for a test build (the debug binary's toolchain RUNPATH).
#
#   scripts/check-lintian.sh PACKAGE.deb
set -euo pipefail
source_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deb=${1:?usage: check-lintian.sh PACKAGE.deb}

explained=$(sed -n '/^### Lintian/,/^##/p' "$source_root/README.md" | sed -n 's/^- `\([a-z0-9+.-]*\)`.*/\1/p')
allowed=" $(echo $explained ${DEB_LINTIAN_ALLOW:-}) "
report=$(lintian --display-info --no-tag-display-limit "$deb" 2>&1 || true)
tags=$(printf '%s\n' "$report" | sed -n 's/^[EWIPX]: [^ ]*: \([a-z0-9+.-]*\).*/\1/p' | sort -u)

unexplained=""
for tag in $tags; do
    [[ $allowed == *" $tag "* ]] || unexplained="$unexplained $tag"
done
printf '%s\n' "$report" | sed -n '/^[EWIPX]: /p' | sed 's/^/lintian: /'
if [[ -n $unexplained ]]; then
    echo "check-lintian: tags not explained in README.md (### Lintian):$unexplained" >&2
    exit 1
fi
echo "check-lintian: $(basename "$deb"): $( [[ -z $tags ]] && echo clean || echo "only explained tags: $(echo $tags)")"
