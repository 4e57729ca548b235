#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel release to build for and to boot in the test VM.
#
#   kver.sh          the default lane: $KVER if set; else the running kernel if its image, modules and headers are
# installed; else the newest installed Debian 6.1 kernel (the default
# lane); else the newest kernel at all, counting only kernels whose image
# (/boot/vmlinuz-*) and modules (/lib/modules/*/modules.dep) are both
# installed.  A second kernel installed for another lane (6.12) never
# becomes the default by being newer.
#   kver.sh SERIES   the newest installed kernel of SERIES (e.g. 6.12), with
#                    its headers; exit 1 if there is none.
newest() {
	for img in $(find /boot -maxdepth 1 -name "vmlinuz-$1*" | sort -rV); do
		v=${img#/boot/vmlinuz-}
		if [ -f "/lib/modules/$v/modules.dep" ] &&
			{ [ -z "$2" ] || [ -d "/lib/modules/$v/build" ]; }; then
			echo "$v"
			return 0
		fi
	done
	return 1
}
if [ -n "${1:-}" ]; then
	newest "$1." build
	exit
fi
if [ -n "${KVER:-}" ]; then
	echo "$KVER"
	exit 0
fi
run=$(uname -r)
if [ -f "/boot/vmlinuz-$run" ] && [ -f "/lib/modules/$run/modules.dep" ] &&
	[ -d "/lib/modules/$run/build" ]; then
	echo "$run"
	exit 0
fi
newest 6.1. || newest "" || {
	echo "no kernel installed: apt-get install linux-image-amd64" >&2
	exit 1
}
