#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sanity check of the test VM itself: the Debian kernel (or the debug
# lane's, built from Debian's source by scripts/debug-kernel.sh) runs, the root is
# writable, /dev/shm and /run/netns work, and two network namespaces joined
# by a veth pair can ping each other.

source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping

debian_kernel() {
	uname -v | grep -q Debian && [ -e "/boot/vmlinuz-$(uname -r)" ]
}

# make check-debug's kernel: its modules are mounted from the cache.
debug_kernel() {
	[ -f "/lib/modules/$(uname -r)/modules.dep" ]
}

shm_writable() {
	local f
	f=$(mktemp /dev/shm/probe.XXXXXX) && rm -f "$f"
}

ktap_plan 6

case "$(uname -r)" in
*-memif-debug) check "debug kernel $(uname -r)" debug_kernel ;;
*) check "Debian kernel $(uname -r)" debian_kernel ;;
esac

probe=/usr/lib/memif-selftest-probe.$$
check "root file system is writable" touch "$probe"
rm -f "$probe"

check "/dev/shm is writable" shm_writable

ns_create sanity-a sanity-b
check "ip netns add works" test -e /run/netns/sanity-a -a -e /run/netns/sanity-b

veth_pair sanity-a va sanity-b vb
ip -n sanity-a addr add 192.0.2.1/24 dev va
ip -n sanity-b addr add 192.0.2.2/24 dev vb
# Link and address setup (DAD is off for IPv4) is quick; allow for TCG.
check "ping a -> b over veth" ns_exec sanity-a ping -c 2 -i 0.2 -W 5 192.0.2.2
check "ping b -> a over veth" ns_exec sanity-b ping -c 2 -i 0.2 -W 5 192.0.2.1

ktap_finished
