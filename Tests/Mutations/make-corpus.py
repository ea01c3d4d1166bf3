#!/usr/bin/env python3
"""Builds the hostile-image corpus: Tests/Mutations/corpus/*.qcow2 and corpus/MANIFEST.tsv.

Deterministic and qemu-free: every image is cut from the committed base images in
Tests/Mutations/base/ (made once by make-bases.sh) or synthesised here, with one targeted piece of
damage each, in the spirit of QEMU's tests/image-fuzzer (fields at boundary values) but written
from scratch. Re-running it rewrites the corpus byte for byte; `--check` only verifies that the
committed corpus is what this script produces.

Usage: make-corpus.py [--check]
"""
import hashlib
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mutlib.image import Image  # noqa: E402
from mutlib import chains, header, meta, tables  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "base")
OUT = os.path.join(HERE, "corpus")


def load(name):
    with open(os.path.join(BASE, name), "rb") as f:
        return Image(name.removesuffix(".qcow2"), f.read())


def generate():
    """Yields (relative path, bytes, base, what) for every corpus file."""
    rich, v2, extl2, zstd, backed = (load(n) for n in
                                     ("rich.qcow2", "v2.qcow2", "extl2.qcow2", "zstd.qcow2", "backed.qcow2"))
    plan = [
        (rich, header.header_mutations(rich)),
        (v2, header.header_mutations(v2, only=("version", "l1_size"))),
        (rich, header.extension_mutations(rich)),
        (backed, header.extension_mutations(backed, full=False)),
        (rich, tables.l1_mutations(rich)), (rich, tables.l2_mutations(rich)), (rich, tables.refcount_mutations(rich)),
        (extl2, tables.compressed_mutations(extl2)), (extl2, tables.extl2_mutations(extl2)),
        (zstd, tables.compressed_mutations(zstd)),
        (rich, meta.snapshot_mutations(rich)),
        (rich, meta.bitmap_mutations(rich)), (rich, meta.hostile_name_mutations(rich)),
        (backed, chains.backing_field_mutations(backed)),
        (rich, chains.truncations(rich)),
        (v2, chains.truncations(v2, every=False)), (extl2, chains.truncations(extl2, every=False)),
        (zstd, chains.truncations(zstd, every=False)),
        (rich, chains.havoc(rich, 6)), (v2, chains.havoc(v2, 3)), (extl2, chains.havoc(extl2, 3)),
        (zstd, chains.havoc(zstd, 3)),
    ]
    # The unmodified bases first, so every command also sees the healthy versions (and a mutation
    # that happens to change nothing is the one dropped as a duplicate).
    for name in sorted(os.listdir(BASE)):
        with open(os.path.join(BASE, name), "rb") as f:
            yield f"base-{name}", f.read(), name, "unmodified base image"
    for img, mutations in plan:
        for label, data, what in mutations:
            yield f"{img.name}--{label}.qcow2", bytes(data), img.name, what
    for path, data, what in chains.chain_images():
        yield path, bytes(data), "synthetic", what


def main():
    check = "--check" in sys.argv[1:]
    files, seen, contents = [], set(), set()
    for path, data, base, what in generate():
        if path in seen:
            sys.exit(f"make-corpus.py: duplicate corpus name {path}")
        seen.add(path)
        digest = hashlib.sha256(data).digest()
        if digest in contents:
            continue  # a mutation that changed nothing new (e.g. a field already at that value)
        contents.add(digest)
        files.append((path, data, base, what))
    manifest = "file\tbase\tbytes\tsha256-prefix\twhat was damaged\n" + "".join(
        f"{p}\t{b}\t{len(d)}\t{hashlib.sha256(d).hexdigest()[:12]}\t{w}\n" for p, d, b, w in files)
    if check:
        bad = [p for p, d, _, _ in files if not os.path.exists(os.path.join(OUT, p))
               or open(os.path.join(OUT, p), "rb").read() != d]
        with open(os.path.join(OUT, "MANIFEST.tsv")) as f:
            if f.read() != manifest:
                bad.append("MANIFEST.tsv")
        if bad:
            sys.exit(f"make-corpus.py: {len(bad)} corpus files differ, e.g. {bad[:5]}")
        print(f"make-corpus.py: corpus of {len(files)} files is up to date")
        return
    shutil.rmtree(OUT, ignore_errors=True)
    for path, data, _, _ in files:
        full = os.path.join(OUT, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    with open(os.path.join(OUT, "MANIFEST.tsv"), "w") as f:
        f.write(manifest)
    total = sum(len(d) for _, d, _, _ in files)
    print(f"make-corpus.py: {len(files)} files, {total / 1e6:.1f} MB in {OUT}")


if __name__ == "__main__":
    main()
