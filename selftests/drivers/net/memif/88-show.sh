#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# memifctl show and set against the kernel.
#
#   ns a: m0 (server, 2 queues) ==[@show88]== m1 (client, 2 queues, ring-size
#         256, buffer-size 4096) :ns b
#
# show, as JSON parsed here and as text: the state, the peer's names, the
# regions, every ring (direction, queue, size, buffer size on the client
# only, which end transmits, flags and interrupt mode), head and tail
# moving with traffic and equal on both ends at rest; a link with 255
# queues, whose message is larger than 32 KiB.  With the client down: no
# regions, no rings, the server waiting and saying why the peer left.
#
# set on the down client: ring-size is taken and used on the next
# connection; refused while up, and for the mode; secret set and removed;
# socket and id move the client to another server (m2, id 5, @show88b).
# Wrong input to each option is refused with a message, by memifctl or by
# the kernel, and changes nothing.  Last, DPDK testpmd as the server.

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping
require_memif_ko
require_memifctl

RING=256
BSIZE=4096
DPDK_SOCK=/run/show88.sock

# check hides what its command prints unless it fails: note() writes to
# the test's own stdout, so that the messages of refusals are in the log.
exec 3>&1
note() {
	echo "# $*" >&3
}

# show NS DEV: DEV's object from memifctl -j show DEV, on one line.
show() {
	in_ns "$1" "$MEMIFCTL" -j show "$2" | jq -ce '.[0]'
}

# jq_true NS DEV EXPR: the jq expression EXPR is true of DEV's object;
# else print the object (check shows it).
jq_true() {
	local obj
	obj=$(show "$1" "$2") || return 1
	jq -e "$3" <<<"$obj" >/dev/null && return 0
	echo "$1/$2: false: $3"
	jq . <<<"$obj"
	return 1
}

# settings NS DEV: what set may change, and what it must not.
settings() {
	show "$1" "$2" | jq -c '{role, socket, id, mode, ring_size,
		buffer_size, has_secret, num_tx_queues, num_rx_queues}'
}

# The link's state: connected, with regions and rings.
connected() {
	wait_for "[ \"\$(memif_json $1 $2 state)\" = connected ]" 10
}

pair_up() {
	wait_oper_up a m0 1 10 && wait_oper_up b m1 1 10 &&
		connected a m0 && connected b m1
}

# moved DIR FIELD MIN BEFORE AFTER: FIELD (head or tail) of the DIR rings
# advanced by MIN or more in all, from object BEFORE to object AFTER; the
# indexes are free-running u16.
moved() {
	jq -en --arg d "$1" --arg f "$2" --argjson min "$3" \
		--argjson a "$4" --argjson b "$5" '
		def by_q(o): [o.rings[] | select(.dir == $d) |
			{key: "\(.queue)", value: .[$f]}] | from_entries;
		by_q($a) as $x | by_q($b) as $y |
		([$x | keys[] | (($y[.] - $x[.]) + 65536) % 65536] | add)
		>= $min' >/dev/null && return 0
	echo "$1 $2 moved less than $3:"
	jq -c '[.rings[] | {dir, queue, head, tail}]' <<<"$4"
	jq -c '[.rings[] | {dir, queue, head, tail}]' <<<"$5"
	return 1
}

# moved_both DIR MIN BEFORE AFTER: head and tail of the DIR rings.
moved_both() {
	moved "$1" head "$2" "$3" "$4" && moved "$1" tail "$2" "$3" "$4"
}

# same_rings: both ends read the same ring headers: region, offset,
# size, head and tail.
same_rings() {
	local a b f='[.rings[] | {dir, queue, size, region, offset, head, tail}]'
	a=$(show a m0 | jq -c "$f") && b=$(show b m1 | jq -c "$f") || return 1
	[ "$a" = "$b" ] && return 0
	echo "m0: $a"
	echo "m1: $b"
	return 1
}

# text NS DEV: memifctl show DEV (text).
text() {
	in_ns "$1" "$MEMIFCTL" show "$2"
}

text_has() {
	local out pat
	out=$(text "$1" "$2") || return 1
	shift 2
	for pat in "$@"; do
		grep -qF -- "$pat" <<<"$out" && continue
		echo "no \"$pat\" in:"
		echo "$out"
		return 1
	done
}

text_lacks() {
	local out
	out=$(text "$1" "$2") || return 1
	! grep -Eq '^  (regions|rings):' <<<"$out" && return 0
	echo "$out"
	return 1
}

# set_refused RC PATTERN ARG...: memifctl set m1 ARG... exits with RC,
# says PATTERN (a fixed string), and m1's settings are unchanged.
set_refused() {
	local want=$1 pat=$2 before after out rc=0
	shift 2
	before=$(settings b m1) || return 1
	out=$(ns_exec b "$MEMIFCTL" set m1 "$@" 2>&1) || rc=$?
	after=$(settings b m1) || return 1
	note "set m1 $*: exit $rc: $(head -n 1 <<<"$out")"
	if [ "$rc" != "$want" ] || ! grep -qF -- "$pat" <<<"$out"; then
		echo "exit $rc, want $want and \"$pat\" in:"
		echo "$out"
		return 1
	fi
	[ "$before" = "$after" ] && return 0
	echo "settings changed: $before -> $after"
	return 1
}

ktap_plan 56

memif_load
ns_create a b
memifctl add m0 role server socket @show88 queues 2
memifctl add m1 role client socket @show88 queues 2 ring-size "$RING" \
	buffer-size "$BSIZE"
ip link set dev m0 netns a
ip link set dev m1 netns b
link_up a m0 10.88.0.1/24
link_up b m1 10.88.0.2/24

# --- show, connected --------------------------------------------------------

check "both UP, both connected" pair_up
names() {
	jq_true a m0 '.peer_name == "m1" and (.peer_app | startswith("Linux"))' &&
		jq_true b m1 '.peer_name == "m0" and (.peer_app | startswith("Linux"))'
}
check "each end names the other, and its application" names
show b m1 | jq . | log_file -
text a m0 | log_file -
check "regions: indexes 0.., sizes > 0" jq_true b m1 '
	(.regions | length) > 0 and
	([.regions[].index] == [range(0; .regions | length)]) and
	all(.regions[]; .size > 0)'
same_regions() {
	local a b
	a=$(show a m0 | jq -c .regions) && b=$(show b m1 | jq -c .regions) &&
		echo "m0: $a, m1: $b" && [ "$a" = "$b" ]
}
check "the server maps the regions the client made" same_regions
for x in "a m0" "b m1"; do
	read -r ns dev <<<"$x"
	check "$dev: 2 c2s and 2 s2c rings, queues 0 and 1" jq_true "$ns" "$dev" '
		[.rings[] | "\(.dir)\(.queue)"] == ["c2s0", "c2s1", "s2c0", "s2c1"]
		and .c2s_rings == 2 and .s2c_rings == 2'
	check "$dev: every ring has $RING slots" jq_true "$ns" "$dev" "
		all(.rings[]; .size == $RING) and .run_ring_size == $RING"
	check "$dev: every ring has flags and an interrupt mode" \
		jq_true "$ns" "$dev" '
		all(.rings[]; (.flags | type) == "number" and
			(.interrupt_mode == "interrupt" or
			 .interrupt_mode == "polling"))'
done
buffer_sizes() {
	jq_true b m1 "all(.rings[]; .buffer_size == $BSIZE)" &&
		jq_true a m0 'all(.rings[]; .buffer_size == null)'
}
check "buffer size $BSIZE on the client's rings, none on the server's" \
	buffer_sizes
tx_dirs() {
	jq_true b m1 'all(.rings[]; .tx == (.dir == "c2s"))' &&
		jq_true a m0 'all(.rings[]; .tx == (.dir == "s2c"))'
}
check "the client transmits on c2s, the server on s2c" tx_dirs

before=$(show b m1)
check "ping -c 20: 0% loss" ns_exec b ping -c 20 -i 0.05 -W 2 -q 10.88.0.1
after=$(show b m1)
check "c2s: the client's head and the server's tail moved by 20+" \
	moved_both c2s 20 "$before" "$after"
check "s2c: the server's tail and the client's head moved by 20+" \
	moved_both s2c 20 "$before" "$after"
check "at rest, both ends read the same ring headers" \
	wait_for "same_rings >/dev/null" 5
interrupts() {
	jq_true a m0 'all(.rings[]; .interrupt_mode == "interrupt")' &&
		jq_true b m1 'all(.rings[]; .interrupt_mode == "interrupt")'
}
check "at rest, every receiver wants interrupts" interrupts
check "text: regions and rings blocks, the client transmits on c2s" \
	text_has b m1 "  regions:" "  rings:" \
	"    c2s queue 0 (tx): size $RING buffer-size $BSIZE region " \
	"    s2c queue 1 (rx): size $RING buffer-size $BSIZE region " \
	"      head "
check "text: the server receives on c2s, no buffer size" \
	text_has a m0 "  regions:" "  rings:" "    c2s queue 0 (rx): size $RING region " \
	"    s2c queue 1 (tx): size $RING region "

# One message per link: 510 rings do not fit in 32 KiB.
big_pair() {
	memifctl add m5 role server socket @show88big queues 255 ring-size 2 \
		buffer-size 128 &&
	memifctl add m6 role client socket @show88big queues 255 ring-size 2 \
		buffer-size 128 &&
	ip link set dev m5 up && ip link set dev m6 up &&
	wait_oper_up - m6 1 30 && connected - m6 &&
	jq_true - m6 '(.rings | length) == 510 and
		([.rings[] | select(.dir == "s2c")] | length) == 255' &&
	"$MEMIFCTL" -j show | jq -e '[.[] | select(.name == "m5" or .name == "m6") |
		.rings | length] == [510, 510]' >/dev/null
}
check "255 queues each way: 510 rings in show and in the dump" big_pair
ip link del dev m6 2>/dev/null
ip link del dev m5 2>/dev/null

# --- show, not connected ----------------------------------------------------

ip -n b link set dev m1 down
check "client down: state down, no regions, no rings" jq_true b m1 '
	.state == "down" and .regions == [] and .rings == [] and
	.c2s_rings == null'
check "server: waiting for peer, no rings, says why the peer left" \
	wait_for "jq_true a m0 '.state == \"waiting for peer\" and
		.rings == [] and .regions == [] and
		(.disc_reason | test(\"^(peer|local): .\"))' >/dev/null" 10
log "m0's last disconnect: $(memif_json a m0 disc_reason)"
check "text of the waiting server: no regions, no rings" text_lacks a m0

# --- set ------------------------------------------------------------------

check "set ring-size 64 while down" ns_exec b "$MEMIFCTL" set m1 ring-size 64
check "show has ring-size 64, the rest as it was" jq_true b m1 "
	.ring_size == 64 and .buffer_size == $BSIZE and .id == 0 and
	.socket == \"@show88\" and .role == \"client\" and
	.num_tx_queues == 2"
ip -n b link set dev m1 up
ring_64() {
	pair_up &&
		jq_true b m1 'all(.rings[]; .size == 64) and .run_ring_size == 64' &&
		jq_true a m0 'all(.rings[]; .size == 64) and (.rings | length) == 4'
}
check "up again: every ring on both ends has 64 slots" ring_64
check "ping at ring-size 64" ns_exec b ping -c 5 -i 0.1 -W 2 -q 10.88.0.1
check "set while up: refused, says down, nothing changed" \
	set_refused 1 "down" ring-size 128
check "set while up: the link stays connected" jq_true b m1 \
	'.state == "connected" and .run_ring_size == 64'

ip -n b link set dev m1 down
check "set mode ip: refused, the mode stays" \
	set_refused 1 "mode" mode ip
check "set mode ethernet, the mode it has: accepted" \
	ns_exec b "$MEMIFCTL" set m1 mode ethernet
set_secret() {
	ns_exec b "$MEMIFCTL" set m1 secret "$1" &&
		jq_true b m1 ".has_secret == $2"
}
check "set secret s3: has_secret" set_secret s3 true
check "set secret \"\": the secret is gone" set_secret "" false

# Wrong input to each option: memifctl's usage errors (2) and the
# kernel's refusals (1).
long=/$(printf 'a%.0s' $(seq 107))
check "role: refused" set_refused 2 "role must be client or server" role peer
check "socket \"\": refused" set_refused 2 "socket must be 1 to 107 bytes" \
	socket ""
check "socket too long: refused" \
	set_refused 2 "socket must be 1 to 107 bytes long (got 108)" \
	socket "$long"
check "relative socket path: refused" \
	set_refused 2 "socket must be an absolute path or @name" socket relative.sock
check "socket \"@\": refused" \
	set_refused 2 "the abstract name after '@' is empty" socket @
check "id: refused" set_refused 2 "id must be an integer between 0 and" \
	id 4294967296
check "secret too long: refused" \
	set_refused 2 "secret must be at most 23 bytes" \
	secret 123456789012345678901234
check "mode: refused" set_refused 2 "mode must be ethernet or ip" mode tun
check "ring-size not a power of two: refused" \
	set_refused 2 "ring-size must be a power of two" ring-size 1000
check "ring-size too large: refused" \
	set_refused 2 "ring-size must be a power of two" ring-size 32768
check "buffer-size too small: refused" \
	set_refused 2 "buffer-size must be between 128 and 65535" \
	buffer-size 127
check "queues: refused" set_refused 2 "queues cannot be changed" queues 4
check "over 4 GiB of buffers: refused by the kernel" \
	set_refused 1 "4 GiB" ring-size 16384 buffer-size 65535
check "ring-size with a bad buffer-size: neither is taken" \
	set_refused 2 "buffer-size must be between" ring-size 128 \
	buffer-size 65536
check "an ip option: refused" set_refused 2 'unknown option "numtxqueues"' \
	numtxqueues 4
check "nothing to change: refused" set_refused 2 "nothing to change"
# set_fails DEV PATTERN: memifctl set DEV id 1 in ns b exits 1 saying PATTERN.
set_fails() {
	local out rc=0
	out=$(ns_exec b "$MEMIFCTL" set "$1" id 1 2>&1) || rc=$?
	note "set $1 id 1: exit $rc: $out"
	[ "$rc" = 1 ] && grep -qF -- "$2" <<<"$out"
}
check "set on lo: not a memif device" set_fails lo "lo is not a memif device"
check "set on a missing link: does not exist" \
	set_fails m9 'device "m9" does not exist'

# socket and id: m1 moves to another server.
memifctl add m2 role server socket @show88b id 5
ip link set dev m2 netns a
ip -n a link set dev m2 up
move_client() {
	ns_exec b "$MEMIFCTL" set m1 socket @show88b id 5 &&
	ip -n b link set dev m1 up &&
	wait_oper_up b m1 1 10 &&
	jq_true b m1 '.peer_name == "m2" and .socket == "@show88b" and
		.id == 5' &&
	jq_true a m2 '.state == "connected" and .peer_name == "m1"' &&
	wait_for "jq_true a m0 '.state == \"waiting for peer\"' >/dev/null" 5
}
check "set socket and id: the client connects to m2 instead" move_client

# --- DPDK testpmd as the server ---------------------------------------------

dpdk_checks=4
if ! command -v dpdk-testpmd >/dev/null 2>&1; then
	for ((i = 0; i < dpdk_checks; i++)); do
		ktap_skip "DPDK peer" "dpdk-testpmd is not installed"
	done
	ktap_finished
fi
rm -f "$DPDK_SOCK"
memif_testpmd pmd 150 \
	--vdev=net_memif0,role=server,id=0,socket=$DPDK_SOCK,socket-abstract=no \
	-- --forward-mode=icmpecho --rxq=2 --txq=2
memifctl add m3 role client socket "$DPDK_SOCK" queues 2
link_up - m3 192.168.88.2/24
dpdk_connected() {
	wait_oper_up - m3 1 10 &&
		jq_true - m3 '.state == "connected" and
			.peer_name == "net_memif0" and
			(.peer_app | startswith("DPDK"))'
}
check "testpmd: connected, peer is DPDK's net_memif0" dpdk_connected
check "testpmd: regions, 2 c2s and 2 s2c rings of 1024 slots" jq_true - m3 '
	(.regions | length) > 0 and all(.regions[]; .size > 0) and
	[.rings[] | "\(.dir)\(.queue)"] == ["c2s0", "c2s1", "s2c0", "s2c1"] and
	all(.rings[]; .size == 1024 and .buffer_size == 2048)'
before=$(show - m3)
check "testpmd: ping -c 20 answered" ping -c 20 -i 0.05 -W 2 -q 192.168.88.1
after=$(show - m3)
check "testpmd: c2s head and tail moved by 20+" \
	moved_both c2s 20 "$before" "$after"
log "interrupt modes with testpmd: $(jq -c '[.rings[] |
	"\(.dir)\(.queue) \(.interrupt_mode)"]' <<<"$after")"
text - m3 | log_file -
testpmd_stop pmd

ktap_finished
