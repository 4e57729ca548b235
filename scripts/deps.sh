#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what is needed to build memif and to run its selftests in a QEMU
# guest, on Debian 12 (bookworm).  Packages already installed are skipped;
# when nothing is missing, nothing is downloaded.  Run as root (or with
# sudo available).
#
# usage: scripts/deps.sh [--check] [--debug-kernel] [--bench]
#   --check          only list the missing packages; exit 1 if there are any
#   --debug-kernel   also what scripts/debug-kernel.sh needs to build the
#                    debug lane's kernel (make check-debug)
#   --bench          also what make bench needs: DPDK's tap and virtio
#                    drivers, matplotlib for the plot

set -eu

pkgs=(
	# build
	build-essential
	linux-headers-amd64
	libmnl-dev
	libjson-c-dev
	pkg-config
	sparse
	perl
	# make fuzz: clang, libFuzzer and the sanitizers, llvm-cov
	clang
	libclang-rt-14-dev
	llvm
	# the test VM: kernel, emulator, initramfs; 6.12 for the second lane
	linux-image-amd64
	linux-image-6.12-amd64
	linux-headers-6.12-amd64
	qemu-system-x86
	busybox-static
	cpio
	kmod
	xz-utils
	zstd
	# in the guest
	bash
	coreutils
	util-linux
	procps
	iproute2
	iputils-ping
	ethtool
	iperf3
	# 71-73: VPP from ../shared/peers needs it
	libunwind8
	# 79-xdp: XDP programs, built with clang in the guest
	libbpf-dev
	dpdk
	dpdk-dev
	librte-net-memif23
	# the tests and the scripts themselves
	dkms
	git
	jq
	python3
	linux-source-6.1
	sed
	grep
	findutils
	shellcheck
)

# Building a kernel from linux-source-6.1 (make check-debug only).
debug_pkgs=(
	bc
	bison
	flex
	libelf-dev
	libssl-dev
)

# make bench: testpmd's net_tap and virtio_user, the plot.
bench_pkgs=(
	librte-net-tap23
	librte-net-virtio23
	python3-matplotlib
)

check=0
for arg in "$@"; do
	case "$arg" in
	--check) check=1 ;;
	--debug-kernel) pkgs+=("${debug_pkgs[@]}") ;;
	--bench) pkgs+=("${bench_pkgs[@]}") ;;
	*) echo "usage: $0 [--check] [--debug-kernel] [--bench]" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages are installed"
	exit 0
fi
echo "deps: missing: ${missing[*]}"
[ "$check" = 0 ] || exit 1

sudo=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || {
		echo "deps: run as root (or install sudo)" >&2
		exit 1
	}
	sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends "${missing[@]}"
echo "deps: installed: ${missing[*]}"
