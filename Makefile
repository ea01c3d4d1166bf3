# qcowscope — build, test and try it out. GNU make.
#
#   make demo       build a release binary and open Demo/demo.qcow2
#   make test       install what is missing, then run the whole test suite
#   make install    PREFIX=/usr/local (and DESTDIR=) — binary, man page, bash/zsh/fish completions
#   make deb        a Debian package of the release binary in dist/ (dpkg-deb; lintian-checked)
#   make tarball    the release binary, man page and completions in dist/*.tar.gz
#
# SCRATCH picks SwiftPM's build directory (several builds at once each need their own):
#   make test SCRATCH=.build-mine

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

SWIFT ?= swift
SCRATCH ?= .build
SWIFTFLAGS := --scratch-path $(SCRATCH)
PREFIX ?= /usr/local
DESTDIR ?=
DEMO_IMAGE := Demo/demo.qcow2

# Packages on Debian/Ubuntu: the C libraries the build links (found through pkg-config), then the tools
# the oracle tests and the fixture scripts run (qemu-img/qemu-io/qemu-nbd, nbdinfo, tmux, python3; ImageMagick
# reads the PNG pictures back; nginx, nbdkit and openssl serve the fixtures to the remote tests,
# qemu-block-extra is QEMU's curl driver).
BUILD_PACKAGES := pkg-config libncurses-dev zlib1g-dev libzstd-dev libcurl4-openssl-dev libnbd-dev
# `make screenshots` only: an X server, the terminal, the capture tool and the terminal's font.
SCREENSHOT_PACKAGES := xvfb xterm tmux imagemagick x11-utils fonts-dejavu-core
EXTRA_PACKAGES ?=
# dpkg-dev ... binutils: FitInTests build the Debian package, lint it, render the man page and complete in bash;
# strace: ReachTests run every command under it to prove nothing an image names outside itself is opened.
TEST_PACKAGES := qemu-utils libnbd-bin tmux python3 e2fsprogs xfsprogs fdisk gdisk ntfs-3g dosfstools mtools sleuthkit lvm2 imagemagick \
    dpkg-dev lintian man-db bash-completion binutils strace nginx qemu-block-extra nbdkit openssl
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# The release binary's path, asked of SwiftPM so it is right on every platform.
BIN = $(shell $(SWIFT) build -c release $(SWIFTFLAGS) --show-bin-path)/qcowscope

.PHONY: build release deps test demo install uninstall fixtures clean man manual-tool deb tarball

## build: debug build of everything
build:
	$(SWIFT) build $(SWIFTFLAGS)

# The release links the Swift runtime statically (--static-swift-stdlib): the binary runs on a machine
# without a Swift toolchain. It is no longer one static executable (-static-executable) since remote
# images came (issue 13): Debian ships libcurl.a and libnbd.a, but a static libcurl needs static builds
# of everything it is linked with (`pkg-config --static --libs libcurl`: nghttp2, librtmp, libssh2,
# libpsl, GSSAPI/Kerberos, LDAP...), and on this Debian 12 machine only OpenSSL, libidn2, brotli, zstd
# and zlib of those have a .a; and name resolution (getaddrinfo) in a static glibc binary loads the
# build machine's NSS modules anyway. So glibc, ncurses, zlib, zstd, libcurl and libnbd are shared
# libraries, which costs the dynamic linking at start-up that the static executable saved (about 3 ms
# and 4 MiB per run, Benchmarks/run.sh).

## release: optimised build (what demo, install and the benchmarks use)
release:
	$(SWIFT) build -c release $(SWIFTFLAGS) --product qcowscope --static-swift-stdlib

## deps: install the missing Debian packages (apt-get update once, only when something is missing)
deps:
	@command -v $(SWIFT) >/dev/null || { echo "deps: Swift 6.3 not found: see https://swift.org/install" >&2; exit 1; }
	@if ! command -v dpkg-query >/dev/null; then \
	    echo "deps: not a Debian system; install by hand: $(BUILD_PACKAGES) $(TEST_PACKAGES) $(EXTRA_PACKAGES)"; \
	    exit 0; \
	fi; \
	missing=""; \
	for p in $(BUILD_PACKAGES) $(TEST_PACKAGES) $(EXTRA_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all packages present"; exit 0; fi; \
	echo "deps: installing$$missing"; \
	$(SUDO) apt-get update -q; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

## test: the whole suite (tests that need qemu-img skip themselves when it is absent), then fuzz-ci
test: deps manual-tool
	$(SWIFT) test $(SWIFTFLAGS)
	@$(MAKE) --no-print-directory fuzz-ci

## demo: open the explorer on the bundled demo image (Demo/demo.qcow2)
demo: deps release
	@exec "$(BIN)" --demo

## install: the binary, man page and shell completions under $(DESTDIR)$(PREFIX)
install: release man
	scripts/install-tree.sh "$(BIN)" "$(MAN)" "$(DESTDIR)$(PREFIX)"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/qcowscope, its man page and completions for bash, zsh and fish"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/qcowscope" \
	    "$(DESTDIR)$(PREFIX)/share/man/man1/qcowscope.1" \
	    "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/qcowscope" \
	    "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_qcowscope" \
	    "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/qcowscope.fish" \
	    "$(DESTDIR)$(PREFIX)/share/qcowscope/demo.qcow2"

# qcowscope(1), generated from the release binary's own help (scripts/make-manpage.sh).
MAN = $(SCRATCH)/man/qcowscope.1

## man: the man page from the parser's help plus the hand-written sections (scripts/manpage/)
man: release
	scripts/make-manpage.sh "$(BIN)" "$(MAN)" "$(SCRATCH)"

## manual-tool: swift-argument-parser's generate-manual, built once (make test needs it for FitInTests)
manual-tool:
	@[ -x "$(SCRATCH)/tools/debug/generate-manual" ] || { \
	    $(SWIFT) package $(SWIFTFLAGS) resolve && \
	    $(SWIFT) build --package-path "$(SCRATCH)/checkouts/swift-argument-parser" \
	        --scratch-path "$(SCRATCH)/tools" --product generate-manual; }

## deb: dist/qcowscope_VERSION_ARCH.deb of the release binary; lintian must only report tags the README explains
deb: release
	scripts/make-deb.sh "$(BIN)" dist "$(SCRATCH)"

## tarball: dist/qcowscope-VERSION-linux-ARCH.tar.gz, for other distributions (unpack into a prefix)
tarball: release
	scripts/make-tarball.sh "$(BIN)" dist "$(SCRATCH)"

## fixtures: rebuild the test images, QEMU's answers about them, and the demo images (needs QEMU)
fixtures: deps
	Tests/Fixtures/make-fixtures.sh
	Demo/make-demo.sh

## clean: remove the build directory
clean:
	rm -rf $(SCRATCH)

# --- targets other parts of the project add below ------------------------------------------------
# fuzz:        run the parsers' fuzz target over the fixtures as a seed corpus
# bench:       time the analysis of Benchmarks/images (made on demand, git-ignored)

## bench: qcowscope check vs qemu-img check on large sparse images (Benchmarks/run.sh; RUNS=n)
.PHONY: bench
bench:
	Benchmarks/run.sh

## bench-diff: qcowscope diff vs our check (metadata) and vs qemu-img compare of raw exports (--content)
.PHONY: bench-diff
bench-diff:
	Benchmarks/diff.sh

## bench-floor: check, map, layout and frag against the floor (reading their metadata, decoding nothing)
## plus start-up, and cold-cache check vs qemu-img check (Benchmarks/floor.sh; RUNS=n)
.PHONY: bench-floor
bench-floor:
	Benchmarks/floor.sh

## bench-scale: the 16 TiB/64 KiB image beside the 1 TiB one: check time (linear), peak memory vs
## qemu-img check, the explorer's first frame (Benchmarks/scale.sh; makes a 2.5 GiB sparse image)
.PHONY: bench-scale
bench-scale:
	Benchmarks/scale.sh

## screenshots: the README's screenshots from the real binaries in xterm under Xvfb (Screenshots/shots.txt)
.PHONY: screenshots
screenshots: deps release
	@$(MAKE) --no-print-directory deps EXTRA_PACKAGES="$(SCREENSHOT_PACKAGES)"
	$(SWIFT) build -c release $(SWIFTFLAGS) --product tui-sample
	scripts/xterm-screenshots.sh -b "$(BIN)" -t "$(dir $(BIN))tui-sample"

## fuzz: build the libFuzzer target over everything (Fuzz/build.sh, -O, ~3-4 min on 2 cores) in
## .build-fuzz, replay Fuzz/regressions and fuzz for FUZZ_SECONDS (default 60) from Fuzz/corpus,
## seeded with the mutation corpus, the fixtures and Fuzz/regressions; fails on a crash
FUZZ_SECONDS ?= 60
.PHONY: fuzz fuzz-ci
fuzz:
	Fuzz/run.sh $(FUZZ_SECONDS)

## fuzz-ci: what `make test` runs after the suite: the lighter target (format, analysis, reports; no
## views) built -O in $(SCRATCH)/fuzz-core (~1.5 min, reused while the sources are unchanged), every
## regression input replayed, then CI_FUZZ_SECONDS (default 30; 0 = replay only) of fuzzing from the
## seeds (a fresh corpus each time). Skips loudly where the toolchain has no libFuzzer.
CI_FUZZ_SECONDS ?= 30
fuzz-ci:
	FUZZ_SCOPE=core FUZZ_BUILD="$(abspath $(SCRATCH))/fuzz-core" FUZZ_CORPUS="$(abspath $(SCRATCH))/fuzz-core/corpus" \
	    FUZZ_FRESH_CORPUS=1 Fuzz/run.sh $(CI_FUZZ_SECONDS)
