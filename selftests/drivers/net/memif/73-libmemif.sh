#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libmemif 4.0 (from ../shared/peers; skipped without it) in both roles,
# built with 64-byte cache lines (x86's ring layout) and with 128 (the
# layout of libmemif and VPP >= 24.02 on arm64):
#
# - the kernel as client of memif_pinger (server, answering): the kernel
#   link set to that cache line pings it, 0% loss, the payload checked;
# - the kernel as server of memif_pinger (client): the kernel link left at
#   its default, 64, finds the client's layout from where its rings are;
#   memif_pinger pings the kernel (every request answered), the kernel
#   pings it (payload checked).
#
#   m0 (kernel) 192.168.73.1 --[@k73]-- memif_pinger 192.168.73.2

source "$(dirname "$0")/peers_lib.sh"

require_root
require_cmd ip jq ping
require_memif_ko
require_memifctl
require_libmemif

SOCK=@k73

# pinger CL ARG...: memif_pinger built for cache line CL, in the
# background as "pinger", own address 192.168.73.2.
pinger() {
	local dir=$LIBMEMIF_BIN
	[ "$1" = 128 ] && dir=$LIBMEMIF_BIN128
	shift
	bg_start pinger 60 "$dir/memif_pinger" -s "$SOCK" -a 192.168.73.2 \
		-d 192.168.73.1 "$@"
}

# layout_is CL: m0 runs with cache line CL.
layout_is() {
	[ "$(memif_json - m0 run_cacheline)" = "$1" ] ||
		{ echo "run_cacheline $(memif_json - m0 run_cacheline)"; return 1; }
}

# pinger_answered RC: memif_pinger (client, -c 20), exited with RC: 0 if
# every request of its own was answered.
pinger_answered() {
	grep -E 'transmitted' "$(bg_log pinger)" |
		while read -r l; do note "memif_pinger: $l"; done
	[ "$1" = 0 ] || { tail -5 "$(bg_log pinger)"; return 1; }
}

ktap_plan 12

memif_load

for cl in 64 128; do
	# The kernel as client, set to the server's layout.
	pinger "$cl" -r master -c 0 -T 40
	memifctl add m0 role client socket "$SOCK" id 0 cacheline "$cl"
	link_up - m0 192.168.73.1/24
	check "cache line $cl: kernel client of libmemif's server: connected" \
		wait_oper_up - m0 1 15
	check "cache line $cl: kernel client: pings, payload checked" \
		ping_ok - 192.168.73.2 20 1400
	check "cache line $cl: kernel client: runs with $cl" layout_is "$cl"
	ip link del dev m0
	bg_stop pinger >/dev/null || :

	# The kernel as server, at its default: it finds the layout.
	memifctl add m0 role server socket "$SOCK" id 0
	link_up - m0 192.168.73.1/24
	pinger "$cl" -r slave -c 20 -I 50 -p 1400 -T 40
	# Its pings take a second, and the operstate's change to UP may
	# take that long (the link watch's rate limit): look at the memif
	# state, which shows the layout only while connected.
	check "cache line $cl: libmemif's client of a kernel server: connected, the kernel finds $cl" \
		wait_for "[ \"\$(memif_json - m0 run_cacheline)\" = $cl ]" 15 0.05
	wait_for "! bg_running pinger" 30 0.2
	rc=0
	bg_stop pinger || rc=$?
	check "cache line $cl: libmemif pings the kernel: every request answered" \
		pinger_answered "$rc"
	pinger "$cl" -r slave -c 0 -T 40
	check "cache line $cl: the kernel pings libmemif, payload checked" \
		eval "wait_oper_up - m0 1 15 && ping_ok - 192.168.73.2 20 1400"
	bg_stop pinger >/dev/null || :
	ip link del dev m0
done

ktap_finished
