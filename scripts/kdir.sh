#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel build directory to build against: the given (running)
# kernel's if it exists, else the newest Debian kernel image installed in
# /boot whose headers are installed.
kver=${1:-$(uname -r)}
if [ -d "/lib/modules/$kver/build" ]; then
	echo "/lib/modules/$kver/build"
	exit 0
fi
for img in $(find /boot -maxdepth 1 -name "vmlinuz-*" | sort -rV); do
	v=${img#/boot/vmlinuz-}
	if [ -d "/lib/modules/$v/build" ]; then
		echo "/lib/modules/$v/build"
		exit 0
	fi
done
echo "no kernel build tree found: apt-get install linux-headers-amd64" >&2
echo /nonexistent
