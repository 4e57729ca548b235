#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build directory for release $1 (default: scripts/kver.sh).
kver=${1:-$(KVER=${KVER:-} "$(dirname "$0")/kver.sh")}
if [ -d "/lib/modules/$kver/build" ]; then
	echo "/lib/modules/$kver/build"
	exit 0
fi
echo "no kernel build tree for $kver: apt-get install linux-headers-$kver" >&2
echo /nonexistent
