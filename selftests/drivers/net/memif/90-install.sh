#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installing memif like any out-of-tree driver, in the guest's throw-away
# root: make install (module in updates/ with depmod, uapi header,
# memifctl and its man page, the ip plugin), modprobe, the module loaded
# by `ip link add ... type memif` through its alias, one version from git
# in modinfo and memifctl --version, make uninstall leaving nothing; then
# DKMS: add, build and install for the running kernel, autoinstall for
# another installed kernel as a kernel upgrade does, remove.

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd make modprobe modinfo depmod ip gcc git dkms
require_memif_ko

KVER=$(uname -r)
VERSION=$("$REPO_ROOT/scripts/version.sh")
RELEASE=${VERSION%%+*}
PREFIX=/usr/local
UPDATES=/lib/modules/$KVER/updates
DKMS_MOD=$UPDATES/dkms/memif.ko
INSTALLED=("$PREFIX/include/linux/if_memif.h" "$PREFIX/sbin/memifctl"
	"$PREFIX/share/man/man8/memifctl.8"
	/usr/lib/x86_64-linux-gnu/ip/link_memif.so)

# Another kernel with headers, if installed: what a kernel upgrade brings.
other_kernel() {
	local d v
	for d in /lib/modules/*/build; do
		v=${d#/lib/modules/}
		v=${v%/build}
		[ "$v" != "$KVER" ] && [ -f "/boot/vmlinuz-$v" ] && { echo "$v"; return 0; }
	done
	return 1
}

# autoinstall_for KVER: what the kernel's postinst hook runs; the module
# must then be DKMS's, built for KVER.
autoinstall_for() {
	local k=$1 f
	quiet dkms autoinstall -k "$k" || return 1
	f=$(modinfo -k "$k" -n memif) || return 1
	log "$f: $(modinfo -k "$k" -F vermagic memif)"
	case "$f" in
	"/lib/modules/$k/updates/dkms/memif.ko"*) ;;
	*) return 1 ;;
	esac
	[ "$(modinfo -k "$k" -F vermagic memif | cut -d' ' -f1)" = "$k" ]
}

quiet() {
	local out
	out=$("$@" 2>&1) || { printf '%s\n' "$out" | tail -20 | log_file -; return 1; }
	printf '%s\n' "$out" | tail -3 | log_file -
}

all_installed() {
	local f
	for f in "${INSTALLED[@]}"; do
		[ -f "$f" ] || { log "missing $f"; return 1; }
	done
	# memif.ko, or .ko.xz where the kernel compresses its modules
	case "$(modinfo -n memif)" in
	"$UPDATES"/drivers/net/memif/memif.ko*) ;;
	*) log "modinfo -n memif: $(modinfo -n memif 2>&1)"; return 1 ;;
	esac
}

none_installed() {
	local f
	for f in "${INSTALLED[@]}"; do
		[ ! -e "$f" ] || { log "left behind: $f"; return 1; }
	done
	[ -z "$(find "$UPDATES" -name 'memif.ko*' 2>/dev/null)" ] &&
		! modinfo -n memif >/dev/null 2>&1
}

autoload_by_kind() {
	ip link add m0 type memif role server socket @i90 &&
		[ -d /sys/module/memif ] &&
		ip -d link show dev m0 | grep -q "memif role server socket @i90"
}

header_compiles() {
	printf '%s\n' '#include <linux/if_memif.h>' \
		'int main(void) { return IFLA_MEMIF_RINGS + MEMIF_RING_S2C; }' |
		gcc -Wall -Werror -I"$PREFIX/include" -x c - -o "$TEST_TMPDIR/hdr"
}

unload() {
	ip link del dev m0 2>/dev/null
	[ ! -d /sys/module/memif ] || rmmod memif
}

# A copy of the tracked files, as a release tarball would have them.
src_copy() {
	mkdir -p "$TEST_TMPDIR/src" &&
		git -C "$REPO_ROOT" ls-files -z |
		(cd "$REPO_ROOT" && tar --null -T - -c) |
		tar -x -C "$TEST_TMPDIR/src"
}

ktap_plan 16

unload
check "make install" quiet make -C "$REPO_ROOT" install
check "installed: module in updates/ (depmod ran), header, memifctl, man page, ip plugin" \
	all_installed
check "modinfo memif: version $VERSION" \
	test "$(modinfo -F version memif)" = "$VERSION"
check "memifctl --version says the same" \
	bash -c "$PREFIX/sbin/memifctl --version | grep -qF -- '$VERSION'"
check "modprobe memif" modprobe memif
rmmod memif
check "ip link add type memif loads the module; the installed plugin shows it" \
	autoload_by_kind
unload
check "the installed uapi header compiles on its own" header_compiles
check "make uninstall" quiet make -C "$REPO_ROOT" uninstall
check "nothing is left, modprobe finds no memif" none_installed

src_copy || bail "cannot copy the tracked files"
check "dkms add" quiet dkms add "$TEST_TMPDIR/src"
check "dkms build for $KVER" quiet dkms build "memif/$RELEASE" -k "$KVER"
check "dkms install: modprobe loads DKMS's module" bash -c "
	dkms install memif/$RELEASE -k $KVER >/dev/null &&
	case \"\$(modinfo -n memif)\" in $DKMS_MOD*) ;; *) exit 1 ;; esac &&
	modprobe memif &&
	[ \"\$(cat /sys/module/memif/version)\" = $RELEASE ]"
unload
if other=$(other_kernel); then
	check "dkms autoinstall -k $other, as a kernel upgrade runs it" \
		autoinstall_for "$other"
else
	ktap_skip "dkms autoinstall for another kernel: only $KVER is installed"
fi
check "dkms status: installed" bash -c "dkms status memif | grep -q 'installed'"
check "dkms remove --all" quiet dkms remove "memif/$RELEASE" --all
check "DKMS left nothing" bash -c "
	[ -z \"\$(find $UPDATES/dkms -name 'memif.ko*' 2>/dev/null)\" ] &&
	[ -z \"\$(dkms status memif)\" ] &&
	! modinfo -n memif >/dev/null 2>&1"

ktap_finished
