#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Native XDP on memif rx, in both roles: XDP_PASS, XDP_DROP and XDP_TX
# each with its ethtool -S counter; XDP_REDIRECT from memif to a veth and,
# through ndo_xdp_xmit, from the veth into memif, so that the two make an
# XDP bridge; the MTU limit both ways; an IP mode link refuses native XDP;
# a link that takes offloads from its memif peer reconnects without them
# when a program is attached.  The programs (xdp_memif.c) are built with
# clang in the guest.
#
#   ns a: m0 (server, 10.7.0.1) ==[/run/x.sock]== s0 (client, 10.7.0.2) :ns b
#   ns b: v0 (veth) ==== v1 (10.7.0.3) :ns c       (redirect: s0 <-> v0)

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping ethtool clang gcc
require_memif_ko
require_memifctl

SOCK=/run/x.sock
OBJ=$TEST_TMPDIR/xdp.o

# xdp_build OUT [CLANG_ARG...]: the programs of xdp_memif.c
xdp_build() {
	local out=$1
	shift
	clang -O2 -g -Wall -target bpf -I"/usr/include/$(gcc -dumpmachine)" \
		"$@" -c "$TEST_DIR/xdp_memif.c" -o "$out"
}

# xdp_on NS DEV SECTION [OBJ]: attach a program in driver (native) mode,
# in place of any other.
xdp_on() {
	ip -force -n "$1" link set dev "$2" xdpdrv obj "${4:-$OBJ}" sec "$3"
}

xdp_off() {
	ip -n "$1" link set dev "$2" xdpdrv off
}

# xdp_count NS DEV NAME: an XDP counter of ethtool -S (xdp_tx, ...).
xdp_count() {
	ethtool_stat "$1" "$2" "$3"
}

# pings NS ADDR COUNT: COUNT pings, 0.05 s apart; succeeds if any came back.
pings() {
	ns_exec "$1" ping -c "$3" -i 0.05 -W 1 -q "$2" >/dev/null
}

# echo_requests NS: ICMP echo requests the stack of NS has seen.
echo_requests() {
	ns_exec "$1" nstat -az IcmpInEchos | awk '$1 == "IcmpInEchos" { print $2 }'
}

pair() {
	kernel_pair "$SOCK" 1 10.7.0 "$@"
}

unpair() {
	ip -n a link del dev m0 2>/dev/null
	ip -n b link del dev s0 2>/dev/null
}

# actions NS DEV PEER_NS PEER_ADDR: PASS, DROP, TX on DEV, pinged from
# PEER_NS at DEV's address.
actions() {
	local ns=$1 dev=$2 pns=$3 addr=$4 n0 e0
	check "$dev: xdp_pass attached in driver mode" xdp_on "$ns" "$dev" xdp_pass
	check "$dev: ip link shows xdp (driver mode)" \
		test "$(ip -n "$ns" -j link show dev "$dev" | jq -r '.[0].xdp.mode')" = 1
	n0=$(xdp_count "$ns" "$dev" xdp_pass)
	check "$dev: XDP_PASS: 20 pings answered by the stack" pings "$pns" "$addr" 20
	check "$dev: xdp_pass counted them" \
		test "$(xdp_count "$ns" "$dev" xdp_pass)" -ge $((n0 + 20))

	check "$dev: xdp_drop replaces it" xdp_on "$ns" "$dev" xdp_drop
	n0=$(xdp_count "$ns" "$dev" xdp_drop)
	check_fail "$dev: XDP_DROP: no ping answered" pings "$pns" "$addr" 10
	check "$dev: xdp_drop counted 10 drops" \
		test "$(xdp_count "$ns" "$dev" xdp_drop)" -ge $((n0 + 10))

	check "$dev: xdp_tx replaces it" xdp_on "$ns" "$dev" xdp_tx
	n0=$(xdp_count "$ns" "$dev" xdp_tx)
	e0=$(echo_requests "$ns")
	check "$dev: XDP_TX: 20 pings answered by the program" \
		pings "$pns" "$addr" 20
	check "$dev: xdp_tx counted them" \
		test "$(xdp_count "$ns" "$dev" xdp_tx)" -ge $((n0 + 20))
	check "$dev: the stack saw none of them" \
		test "$(echo_requests "$ns")" = "$e0"

	check "$dev: detached" xdp_off "$ns" "$dev"
	check "$dev: the stack answers again" pings "$pns" "$addr" 5
}

ktap_plan 57

memif_load
ns_create a b c
xdp_build "$OBJ" || bail "clang cannot build xdp_memif.c"

# Offloads: attaching a program to a link that takes them from its peer
# ends the connection; the next one is made without, for that direction.
check "kernel pair with offloads: connected" pair
check "s0 takes offloads from m0" \
	test "$(memif_json b s0 run_offloads_rx)" = true
check "xdp_pass on s0" xdp_on b s0 xdp_pass
check "s0 reconnects" wait_oper_up b s0 1 10
check "s0 takes frames without offloads now" \
	wait_for "[ \"\$(memif_json b s0 run_offloads_rx)\" = false ]" 10
check "m0 sends without offloads, still receives with them" \
	test "$(memif_json a m0 run_offloads_tx)/$(memif_json a m0 run_offloads_rx)" = false/true
check "why it reconnected: reason recorded" \
	grep -q "XDP attached" <<<"$(memif_json b s0 disc_reason)"
check "TCP over the pair with XDP on one end" \
	iperf3_run b 10.7.0.2 a -t 2
check "s0: the program passed the frames" \
	test "$(xdp_count b s0 xdp_pass)" -gt 100
# What s0's program sends back still goes with a header: m0 asked for it.
check "xdp_tx on s0" xdp_on b s0 xdp_tx
n0=$(xdp_count b s0 xdp_tx)
check "XDP_TX with offloads towards m0: 20 pings answered" pings a 10.7.0.2 20
check "s0: xdp_tx counted them" \
	test "$(xdp_count b s0 xdp_tx)" -ge $((n0 + 20))
xdp_off b s0
unpair

check "pair without offloads" pair offloads off
actions b s0 a 10.7.0.2
actions a m0 b 10.7.0.1

# The MTU: frames must fit in a page.
check "MTU 9000 on s0" ip -n b link set dev s0 mtu 9000
check_fail "no program at MTU 9000" xdp_on b s0 xdp_pass
ip -n b link set dev s0 mtu 1500
check "MTU 1500 again: attached" xdp_on b s0 xdp_pass
check_fail "MTU 9000 refused while it is attached" \
	ip -n b link set dev s0 mtu 9000
check "MTU 3000 accepted" ip -n b link set dev s0 mtu 3000
ip -n a link set dev m0 mtu 3000
n0=$(xdp_count b s0 xdp_pass)
check "3000-byte frames through the program" \
	ns_exec a ping -c 5 -i 0.05 -W 1 -q -M "do" -s 2972 10.7.0.2
check "xdp_pass counted them" \
	test "$(xdp_count b s0 xdp_pass)" -ge $((n0 + 5))
xdp_off b s0
ip -n b link set dev s0 mtu 1500
ip -n a link set dev m0 mtu 1500

# XDP_REDIRECT: s0 and v0 bridged by two programs, v1 in ns c reached
# from m0 in ns a through them; the frames from v0 enter memif through
# ndo_xdp_xmit.
veth_pair b v0 c v1
ip -n c addr add 10.7.0.3/24 dev v1
ip -n b addr flush dev s0
xdp_build "$TEST_TMPDIR/to_v0.o" \
	-DREDIRECT_IFINDEX="$(ns_exec b cat /sys/class/net/v0/ifindex)"
xdp_build "$TEST_TMPDIR/to_s0.o" \
	-DREDIRECT_IFINDEX="$(ns_exec b cat /sys/class/net/s0/ifindex)"
# A veth takes redirected frames only when its peer has a program.  A
# frame redirected from a veth leaves its checksum as the sender left it:
# v1 must complete them itself.
check "xdp_pass on v1" xdp_on c v1 xdp_pass
ns_exec c ethtool -K v1 tx off >/dev/null
check "s0 redirects to v0" xdp_on b s0 xdp_redirect "$TEST_TMPDIR/to_v0.o"
check "v0 redirects to s0" xdp_on b v0 xdp_redirect "$TEST_TMPDIR/to_s0.o"
n0=$(xdp_count b s0 xdp_redirect)
x0=$(xdp_count b s0 xdp_xmit)
check "m0 pings v1 across the XDP bridge" pings a 10.7.0.3 20
check "s0 counted its redirects" \
	test "$(xdp_count b s0 xdp_redirect)" -ge $((n0 + 20))
check "s0 sent what v0 redirected to it (ndo_xdp_xmit)" \
	test "$(xdp_count b s0 xdp_xmit)" -ge $((x0 + 20))
check "TCP across the XDP bridge" iperf3_run c 10.7.0.3 a -t 2
check "no redirect or xmit errors" \
	test "$(xdp_count b s0 xdp_redirect_errors)/$(xdp_count b s0 xdp_aborted)" = 0/0
xdp_off b v0
xdp_off b s0
unpair

check "an IP mode link" ns_exec b "$MEMIFCTL" add i0 mode ip socket @xdp-ip
check_fail "refuses native XDP" xdp_on b i0 xdp_pass
check "takes generic XDP" ip -n b link set dev i0 xdpgeneric obj "$OBJ" sec xdp_pass
ip -n b link del dev i0

ktap_finished
