#!/usr/bin/env bash
# Lays out an installed qcowscope under ROOT (a prefix: ROOT/bin, ROOT/share/...): the binary, the
# man page, bash/zsh/fish completions (from the binary's own --generate-completion-script) and
# the demo image `--demo` opens. `make install`, `make deb` and `make tarball` all use it, so the
# three never disagree about what is installed where.
#
#   scripts/install-tree.sh BINARY MANPAGE ROOT [--debian]
#
# --debian: Debian's layout and habits: zsh completions in share/zsh/vendor-completions (not
# site-functions, which is the local administrator's), the binary stripped, the man page gzip -9n.
set -euo pipefail
binary=${1:?usage: install-tree.sh BINARY MANPAGE ROOT [--debian]}
manpage=${2:?usage: install-tree.sh BINARY MANPAGE ROOT [--debian]}
root=${3:?usage: install-tree.sh BINARY MANPAGE ROOT [--debian]}
debian=$([[ ${4:-} == --debian ]] && echo 1 || echo 0)
source_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

zsh_dir=share/zsh/$([[ $debian == 1 ]] && echo vendor-completions || echo site-functions)
install -d -m 755 "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/$zsh_dir" "$root/share/fish/vendor_completions.d" "$root/share/qcowscope"

install -m 755 "$binary" "$root/bin/qcowscope"
if [[ $debian == 1 ]]; then
    strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/bin/qcowscope"
    gzip -9n <"$manpage" >"$root/share/man/man1/qcowscope.1.gz"
    chmod 644 "$root/share/man/man1/qcowscope.1.gz"
else
    install -m 644 "$manpage" "$root/share/man/man1/qcowscope.1"
fi
# Completion scripts are sourced, not run: no "#!" line (ArgumentParser's bash script has one).
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' >"$root/share/bash-completion/completions/qcowscope"
"$binary" --generate-completion-script zsh >"$root/$zsh_dir/_qcowscope"
"$binary" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/qcowscope.fish"
chmod 644 "$root/share/bash-completion/completions/qcowscope" "$root/$zsh_dir/_qcowscope" \
    "$root/share/fish/vendor_completions.d/qcowscope.fish"
install -m 644 "$source_root/Demo/demo.qcow2" "$root/share/qcowscope/demo.qcow2"
