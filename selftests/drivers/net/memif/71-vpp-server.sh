#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel as memif client of VPP (26.10, from ../shared/peers; skipped
# without it), VPP the server ("master"), as a user routing host traffic to
# VPP would set it up:
#
# - ethernet mode: the kernel pings VPP and VPP the kernel, 0% loss, the
#   payload checked by ping;
# - IP mode, the same;
# - two queues each way: two rings each way negotiated, pings;
# - MTU 9000 over 2048-byte buffers: frames chained over five descriptors
#   both ways, pings of 8000 bytes both ways;
# - VPP killed (SIGKILL) and started again: no longer UP, then on again by
#   itself, pings.
# - kick coalescing (ethtool -C tx-usecs 10000) with VPP asleep in
#   interrupt rx-mode: bursts of pings that end inside a coalescing
#   window are all answered (the window's end kicks VPP), the later
#   pings of a burst after waiting for it, and a long run of pings 1 ms
#   apart loses none.
#
#   m0 (kernel client) 192.168.71.2 --[/run/vpp/memif.sock]-- memif0/0 (VPP) .1

source "$(dirname "$0")/peers_lib.sh"

require_root
require_cmd ip jq ping
require_memif_ko
require_memifctl
require_vpp

SOCK=$VPP_RUN/memif.sock

# vpp_master [ARG...]: VPP's memif0/0, a server on $SOCK id 0, up, with
# 192.168.71.1/24 (ethernet) or /24 on an IP mode interface; ARGs go to
# "create interface memif".
vpp_master() {
	vppctl create interface memif id 0 master "$@" >/dev/null &&
		vppctl set interface state memif0/0 up &&
		vppctl set interface ip address memif0/0 192.168.71.1/24
}

# client [ARG...]: m0, a client of VPP; ARGs go to memifctl add.
client() {
	memifctl add m0 role client socket "$SOCK" id 0 "$@" &&
		link_up - m0 192.168.71.2/24 &&
		wait_oper_up - m0 1 10
}

# both_ping SIZE: the kernel pings VPP, VPP the kernel.
both_ping() {
	ping_ok - 192.168.71.1 20 "$1" && vpp_ping 192.168.71.2 10 "$1"
}

# rings_used: VPP and the kernel agree on 2 rings each way.
two_rings() {
	local j
	j=$("$MEMIFCTL" -j show m0)
	jq -e '.[0] | .s2c_rings == 2 and .c2s_rings == 2' <<<"$j" >/dev/null &&
		vppctl show memif memif0/0 | grep -q 'num-s2m-rings 2 num-m2s-rings 2'
}

# bursts N: N bursts of 3 pings 2 ms apart, all answered within 2 s (-w:
# with -W ping waits only twice the round trip once one answer came),
# and coalesced: in at least half of them a ping waited for its window's
# end, its round trip 4 ms or more (the window is 10 ms).
bursts() {
	local i out max waited=0
	for ((i = 0; i < $1; i++)); do
		# With -w, ping sends on until 3 answers came: it may send 4
		# or 5 and exit before the last answers; status 0 says 3 came.
		if ! out=$(ping -c 3 -i 0.002 -w 2 -q 192.168.71.1); then
			log "burst $i: $(grep received <<<"$out")"
			return 1
		fi
		# rtt min/avg/max/mdev = a/b/c/d ms
		max=$(sed -n 's|^rtt [^=]*= [^/]*/[^/]*/\([0-9]*\)\..*|\1|p' <<<"$out")
		[ "${max:-0}" -lt 4 ] || waited=$((waited + 1))
	done
	note "$waited of $1 bursts had a ping wait for its window's end"
	[ "$waited" -ge $(($1 / 2)) ]
}

ktap_plan 14

memif_load
vpp_start || bail "VPP did not start"

vpp_master
check "ethernet: connected to VPP" client
check "ethernet: pings both ways, 0% loss, payload checked" both_ping 56
# Not inside check: vpp_start's bookkeeping must outlive it.
vpp_kill || bail "cannot kill VPP"
check "VPP killed: no longer UP within 5 s" wait_oper_up - m0 0 5
vpp_start || bail "VPP did not start again"
vpp_master
check "VPP started again: the link is back by itself within 15 s" \
	wait_oper_up - m0 1 15
check "after the restart: pings both ways" both_ping 56
ip link del dev m0
vppctl delete interface memif memif0/0

vpp_master mode ip
check "IP mode: connected to VPP" client mode ip
check "IP mode: pings both ways" both_ping 56
ip link del dev m0
vppctl delete interface memif memif0/0

vpp_master rx-queues 2 tx-queues 2
check "two queues each way: two rings each way negotiated" \
	eval "client queues 2 && two_rings"
check "two queues: pings both ways" both_ping 56
ip link del dev m0
vppctl delete interface memif memif0/0

vpp_master
vppctl set interface mtu 9000 memif0/0
check "MTU 9000 over 2048-byte buffers: connected" eval "client && ip link set dev m0 mtu 9000"
check "MTU 9000: 8000-byte pings both ways, chained" both_ping 8000
ip link del dev m0
vppctl delete interface memif memif0/0

vpp_master
check "coalescing: connected, VPP in interrupt rx-mode, tx-usecs 10000" \
	eval "client && vppctl set interface rx-mode memif0/0 interrupt &&
	      vppctl show interface rx-placement |
	      grep -q 'memif0/0 queue 0 (interrupt)' &&
	      ethtool -C m0 tx-usecs 10000 tx-frames 64"
check "coalesced: 50 bursts of 3 pings, all answered, the later ones at the window's end" \
	bursts 50
check "coalesced: 2000 pings 1 ms apart, no loss" \
	eval "ping -c 2000 -i 0.001 -w 60 -q 192.168.71.1 | grep -q ' 0% packet loss'"

ktap_finished
