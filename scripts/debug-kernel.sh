#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or find in the cache) the debug kernel of `make check-debug`: Debian's
# linux-source-6.1, x86_64 defconfig + kvm_guest.config + the fragment
# scripts/debug-kernel.config (KASAN, UBSAN, lockdep, kmemleak, debugobjects,
# and everything the test VM needs built in).
#
# The result is cached outside the repository, in
#   ${MEMIF_DEBUG_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/memif/debug-kernel}/KEY
# where KEY hashes the source tarball, the fragment, this script and the
# compiler, so a change to any of them builds a new kernel.  KEY/ holds:
#   bzImage       the kernel to boot
#   linux/        the configured and built tree (KDIR for external modules)
#   mods/lib/modules/RELEASE   modules_install's output (modules.builtin...)
#   release       the kernel release (uname -r in the guest)
#   build-seconds how long the build took
#
# usage: scripts/debug-kernel.sh [-q]
#   Prints the cache directory on stdout (last line); the build's output
#   goes to KEY/build.log (and to stderr unless -q).  Environment: JOBS
#   (default 2; the build runs under nice -n 10), MEMIF_DEBUG_KERNEL_SRC
#   (default /usr/src/linux-source-6.1.tar.xz).

set -eu
set -o pipefail

SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FRAGMENT=$SELF_DIR/debug-kernel.config
SRC=${MEMIF_DEBUG_KERNEL_SRC:-/usr/src/linux-source-6.1.tar.xz}
JOBS=${JOBS:-2}
CACHE=${MEMIF_DEBUG_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/memif/debug-kernel}
quiet=0
[ "${1:-}" != -q ] || quiet=1

die() {
	echo "debug-kernel: $*" >&2
	exit 1
}

[ -r "$SRC" ] || die "no $SRC (scripts/deps.sh installs linux-source-6.1)"
for t in make gcc bc bison flex tar xz sha256sum; do
	command -v "$t" >/dev/null || die "$t not found (run scripts/deps.sh)"
done

# The key: what the kernel is built from and how.  The tarball is hashed
# by its name, size and mtime (hashing 140 MB each time would cost more
# than it saves); a reinstalled package changes the mtime.
key=$({
	stat -L -c '%n %s %Y' "$SRC"
	cat "$FRAGMENT" "${BASH_SOURCE[0]}"
	gcc --version | head -1
} | sha256sum | cut -c1-16)
dir=$CACHE/$key

if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$dir"
exec 9>"$dir/lock"
flock 9
if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

log=$dir/build.log
if [ "$quiet" = 1 ]; then
	exec 3>>"$log"
else
	exec 3> >(tee -a "$log" >&2)
fi
echo "debug-kernel: building in $dir (log: $log)" >&3
start=$(date +%s)

# A half-built tree from an interrupted run is reused (make resumes).
if [ ! -f "$dir/linux/Makefile" ]; then
	rm -rf "$dir/linux" "$dir/linux.tmp"
	mkdir -p "$dir/linux.tmp"
	tar -xJf "$SRC" -C "$dir/linux.tmp" --strip-components=1
	mv "$dir/linux.tmp" "$dir/linux"
fi

k=(nice -n 10 make -C "$dir/linux" -j"$JOBS")
if [ ! -f "$dir/linux/.config" ] ||
	! cmp -s "$FRAGMENT" "$dir/linux/.memif-fragment"; then
	"${k[@]}" defconfig >&3 2>&1
	"${k[@]}" kvm_guest.config >&3 2>&1
	(cd "$dir/linux" &&
		scripts/kconfig/merge_config.sh -m .config "$FRAGMENT") >&3 2>&1
	"${k[@]}" olddefconfig >&3 2>&1
	cp "$FRAGMENT" "$dir/linux/.memif-fragment"
fi

# Every option the fragment asks for must have survived olddefconfig
# (a dependency missing silently drops it).
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) ;;
	*) continue ;;
	esac
	opt=${line%%=*}
	want=${line#*=}
	have=$(grep -E "^$opt=|^# $opt is not set" "$dir/linux/.config" || true)
	case "$want" in
	n) [ -z "$have" ] || [ "$have" = "# $opt is not set" ] || {
		echo "debug-kernel: $opt: want n, have $have" >&3
		bad=1
	} ;;
	*) [ "$have" = "$opt=$want" ] || {
		echo "debug-kernel: $opt: want $want, have ${have:-nothing}" >&3
		bad=1
	} ;;
	esac
done <"$FRAGMENT"
[ "$bad" = 0 ] || die "the config lost options of $FRAGMENT (see $log)"

"${k[@]}" bzImage modules >&3 2>&1 || die "kernel build failed (see $log)"
rm -rf "$dir/mods"
"${k[@]}" INSTALL_MOD_PATH="$dir/mods" modules_install >&3 2>&1 ||
	die "modules_install failed (see $log)"
release=$("${k[@]}" -s kernelrelease)
cp "$dir/linux/arch/x86/boot/bzImage" "$dir/bzImage"
echo "$release" >"$dir/release"
echo $(($(date +%s) - start)) >"$dir/build-seconds"
touch "$dir/done"
echo "debug-kernel: $release built in $(cat "$dir/build-seconds") s" >&3
echo "$dir"
