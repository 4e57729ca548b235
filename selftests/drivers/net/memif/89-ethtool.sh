#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A memif link as a kernel user inspects and configures it: ethtool -i,
# -l, -L, -g, -G (ring and buffer size, queues; up or down), -S by queue and by
# cause; settings changed over rtnetlink while down and refused while
# up; every state change announced to rtnetlink listeners (ip monitor
# link), including a handshake that the peer never answers and that
# times out.
#
#   ns a: ms (server, 1 queue) ==[@e89, born in the root ns]== mc (client,
#   3 queues) :ns b

source "$(dirname "$0")/memif_lib.sh"

# The kick coalescing a new link has (MEMIF_TX_USECS_DEFAULT, _FRAMES_).
COAL_USECS=0
COAL_FRAMES=0

require_root
require_cmd ip jq ping ethtool python3
require_memif_ko
require_memifctl

# nl_memif NS ARG...: nl_memif.py ARG... in NS.
nl_memif() {
	local ns=$1
	shift
	in_ns "$ns" python3 "$TEST_DIR/nl_memif.py" "$@"
}

# ethtool_field NS DEV OPTION SECTION KEY: the value of "KEY:" after the
# line starting with SECTION in ethtool OPTION's output.
ethtool_field() {
	in_ns "$1" ethtool "$3" "$2" | awk -F: -v s="$4" -v k="$5" '
		index($0, s) == 1 { in_s = 1; next }
		in_s && $1 == k { gsub(/[ \t]/, "", $2); print $2; exit }'
}

# expect_refusal WANT CMD...: CMD fails and its output contains WANT.
expect_refusal() {
	local want=$1 out
	shift
	if out=$("$@" 2>&1); then
		log "'$*' succeeded"
		return 1
	fi
	printf '%s\n' "$out" | log_file -
	grep -qF -- "$want" <<<"$out"
}

# reconnects: how often mc let its connection go for new settings.
reconnects() {
	dmesg | grep -c 'mc: disconnected: local: settings changed'
}

# channels_while_up: ethtool -L rx 2 changes what mc asks for and
# reconnects; the server still has 1 queue, so 1 each way is in use.
# ethtool passes the tx count -l shows (1) as not given: it stays 3.
# (Asking for rx 1 tx 1 would change nothing: the kernel's ethtool skips
# a request equal to the counts -l shows.)
channels_while_up() {
	local n
	n=$(reconnects)
	in_ns b ethtool -L mc rx 2 &&
		wait_for "[ \$(reconnects) -gt $n ]" 5 &&
		wait_for "[ \"\$(memif_json b mc state)\" = connected ]" 10 &&
		[ "$(ethtool_field b mc -l Current RX)" = 1 ] &&
		[ "$(ethtool_field b mc -l Current TX)" = 1 ]
}

# channels_while_down: down, the current counts are what mc asks for.
channels_while_down() {
	[ "$(ethtool_field b mc -l Current RX)" = 2 ] &&
		[ "$(ethtool_field b mc -l Current TX)" = 3 ] &&
		in_ns b ethtool -L mc rx 2 tx 2 &&
		[ "$(ethtool_field b mc -l Current TX)" = 2 ]
}

ring_is() {
	[ "$(ethtool_field b mc -g Current RX)" = "$1" ] &&
		[ "$(ethtool_field b mc -g Current TX)" = "$1" ]
}

drvinfo_ok() {
	local info
	info=$(in_ns b ethtool -i mc)
	grep -qx 'driver: memif' <<<"$info" &&
		grep -qx 'bus-info: ' <<<"$info"
}

channels_before_ok() {
	[ "$(ethtool_field b mc -l Pre-set RX)" = 3 ] &&
		[ "$(ethtool_field b mc -l Pre-set TX)" = 3 ] &&
		[ "$(ethtool_field b mc -l Current RX)" = 3 ] &&
		[ "$(ethtool_field b mc -l Current TX)" = 3 ]
}

rings_before_ok() {
	ring_is 1024 &&
		[ "$(ethtool_field b mc -g Pre-set RX)" = 16384 ] &&
		[ "$(ethtool_field b mc -g Current 'RX Buf Len')" = 2048 ]
}

stat_names_ok() {
	local s k
	s=$(in_ns b ethtool -S mc)
	# Packets and bytes per queue are the kernel's own statistics where
	# it has them (6.8+: queue_packets), ethtool -S's else.
	for k in handshake_errors bad_descriptor_errors ring_overflow_errors \
		rx_queue_1_drops tx_queue_1_errors rx_queue_2_kicks \
		tx_queue_2_kicks; do
		grep -q "^ *$k: 0$" <<<"$s" || { log "no $k: 0"; return 1; }
	done
}

ipmon_saw_up_dormant() {
	grep -q 'ms: .*state UP' "$(bg_log ipmon)" &&
		grep -q 'ms: .*state DORMANT' "$(bg_log ipmon)"
}

channels_connected_ok() {
	[ "$(ethtool_field b mc -l Current RX)" = 1 ] &&
		[ "$(ethtool_field b mc -l Current TX)" = 1 ] &&
		[ "$(ethtool_field b mc -l Pre-set RX)" = 3 ]
}

# coal_is USECS FRAMES: what ethtool -c shows of mc's kick coalescing.
coal_is() {
	local out
	out=$(in_ns b ethtool -c mc) || return 1
	grep -q "^tx-usecs:[[:space:]]*$1\$" <<<"$out" &&
		grep -q "^tx-frames:[[:space:]]*$2\$" <<<"$out"
}

# kicks NS DEV DIR: the kicks DEV's queue 0 sent (tx) or took (rx).
kicks() {
	ethtool_stat "$1" "$2" "${3}_queue_0_kicks"
}

# burst_kicks: the kicks mc sends and ms takes for 50 UDP datagrams sent
# at once (each its own batch: sendto(2) 50 times), as "SENT TAKEN".
burst_kicks() {
	local t0 r0 t1 r1
	r0=$(kicks a ms rx) t0=$(kicks b mc tx)
	ns_exec b python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(50):
    s.sendto(bytes(18), ("10.8.0.1", 9))' || return 1
	# the window's end, and the kick it sends
	sleep 0.1
	t1=$(kicks b mc tx) r1=$(kicks a ms rx)
	echo "$((t1 - t0)) $((r1 - r0))"
}

# kicks_taken SENT TAKEN: the peer took the kicks sent, give or take two
# of something else (IPv6's own frames) between the reads.
kicks_taken() {
	[ "$2" -ge $(($1 - 2)) ] && [ "$2" -le $(($1 + 2)) ]
}

# burst_kicks_in USECS MIN [MAX]: with tx-usecs USECS (tx-frames no
# bound), a burst of 50 datagrams costs MIN kicks or more (and MAX or
# fewer), and the peer takes them.
burst_kicks_in() {
	local k
	in_ns b ethtool -C mc tx-usecs "$1" tx-frames 0 && coal_is "$1" 0 ||
		return 1
	k=$(burst_kicks) || return 1
	note "50 datagrams at once, tx-usecs $1: kicks sent, taken: $k"
	[ "${k% *}" -ge "$2" ] && { [ -z "${3:-}" ] || [ "${k% *}" -le "$3" ]; } &&
		kicks_taken "${k% *}" "${k#* }"
}

# coalesced_pings: with a 10 ms window, bursts of 3 pings 2 ms apart, each
# ending inside a window, 3 answers to each within 2 s.  A kernel peer
# also looks at its rings every 50 ms, so a lost kick would only slow
# them: 71-vpp-server checks the window's own kick against VPP, and
# burst_kicks_in counts kicks.  Applied at once: no reconnect.
coalesced_pings() {
	local r0 i out
	r0=$(reconnects)
	in_ns b ethtool -C mc tx-usecs 10000 tx-frames 64 && coal_is 10000 64 ||
		return 1
	for ((i = 0; i < 20; i++)); do
		# Status 0: 3 answers within 2 s (ping may send more; see
		# 71-vpp-server).
		if ! out=$(ns_exec b ping -c 3 -i 0.002 -w 2 -q 10.8.0.1); then
			log "burst $i: $(grep received <<<"$out")"
			return 1
		fi
	done
	[ "$(reconnects)" = "$r0" ]
}

pings_counted() {
	[ "$(queue_packets b mc tx 0)" -ge 20 ] &&
		[ "$(queue_packets b mc rx 0)" -ge 20 ] &&
		[ "$(queue_packets a ms rx 0)" -ge 20 ] &&
		[ "$(queue_packets b mc tx 1)" = 0 ]
}

set_sizes_down() {
	in_ns b ethtool -G mc rx 256 tx 256 rx-buf-len 4096 &&
		ring_is 256 &&
		[ "$(ethtool_field b mc -g Current 'RX Buf Len')" = 4096 ] &&
		[ "$(memif_json b mc buffer_size)" = 4096 ] &&
		[ "$(memif_json b mc ring_size)" = 256 ]
}

set_rx_alone() {
	in_ns b ethtool -G mc rx 128 && ring_is 128
}

sizes_unchanged() {
	ring_is 128 && [ "$(memif_json b mc buffer_size)" = 4096 ]
}

reconnected_sizes() {
	wait_oper_up b mc 1 10 &&
		[ "$(memif_json b mc run_ring_size)" = 128 ] && ring_is 128
}

change_id_secret() {
	nl_memif b --change mc id=9 secret=s3 &&
		[ "$(memif_json b mc id)" = 9 ] &&
		[ "$(memif_json b mc has_secret)" = true ]
}

bad_bsize_refused() {
	local out
	out=$(nl_memif b --change mc id=5 bsize=64) && return 1
	log "$out"
	grep -q 'out of range' <<<"$out" &&
		[ "$(memif_json b mc id)" = 9 ] &&
		[ "$(memif_json b mc buffer_size)" = 4096 ]
}

clear_secret_reconnect() {
	nl_memif b --change mc id=7 secret= &&
		[ "$(memif_json b mc has_secret)" = false ] &&
		ip -n b link set dev mc up && wait_oper_up b mc 1 10
}

ktap_plan 40

memif_load
ns_create a b
memifctl add ms role server socket @e89 id 7
memifctl add mc role client socket @e89 id 7 queues 3
ip link set dev ms netns a
ip link set dev mc netns b

# --- ethtool, before the link comes up --------------------------------------
check "ethtool -i: driver memif, no bus" drvinfo_ok
check "ethtool -l: 3 queues each way, all to be announced" channels_before_ok
check "ethtool -g: 1024 slots of at most 16384, 2048-byte buffers" rings_before_ok
check "ethtool -S: counters by cause and by queue" stat_names_ok

# --- ip monitor link and our own listener see every state change ------------
bg_start mon 120 ip netns exec a python3 "$TEST_DIR/nl_monitor.py"
bg_start ipmon 120 ip -n a -o monitor link
bg_wait_log mon listening "$(scaled 10)" || bail "nl_monitor.py did not start"
link_up a ms 10.8.0.1/24
link_up b mc 10.8.0.2/24
check "connected" wait_oper_up b mc 1 10
check "the listener saw the server wait (DORMANT), then connect (UP)" \
	eval "bg_wait_log mon '^ms state=waiting operstate=dormant carrier=1' 10 &&
	      bg_wait_log mon '^ms state=connected operstate=up carrier=1' 10"
ip -n b link set dev mc down
check "the listener saw the server wait again (DORMANT) when the client left" \
	bg_wait_log mon "^ms state=waiting operstate=dormant carrier=1" 10
check "ip monitor link saw the link go UP and DORMANT" ipmon_saw_up_dormant
ip -n b link set dev mc up
wait_oper_up b mc 1 10

# --- ethtool while connected -------------------------------------------------
check "ethtool -l: 1 queue each way in use (the server has 1)" channels_connected_ok
check "ping -c 20" ns_exec b ping -c 20 -i 0.05 -W 2 -q 10.8.0.1
check "ethtool -S: the pings on queue 0 both ways" pings_counted
check "ethtool -G while up: reconnects with 512 slots of 2048 bytes" \
	eval "in_ns b ethtool -G mc rx 512 tx 512 &&
	      wait_for '[ \"\$(memif_json b mc run_ring_size)\" = 512 ] &&
	                [ \"\$(memif_json b mc state)\" = connected ]' 10"
check "ethtool -L rx 2 while up: reconnects, 1 each way in use" \
	channels_while_up
check "ethtool -c: kick coalescing tx-usecs $COAL_USECS tx-frames $COAL_FRAMES by default" \
	coal_is "$COAL_USECS" "$COAL_FRAMES"
check "ethtool -C tx-usecs 10000 while up: bursts of pings all answered" \
	coalesced_pings
check "ethtool -S: 50 datagrams at once in a 10 ms window, at most 8 kicks" \
	burst_kicks_in 10000 1 8
check "ethtool -C tx-usecs 10001 is refused" \
	expect_refusal "at most 10000" in_ns b ethtool -C mc tx-usecs 10001
check "ethtool -C rx-usecs 5 is refused (not supported)" \
	expect_refusal "unsupported parameter" in_ns b ethtool -C mc rx-usecs 5
check "ethtool -C tx-usecs 0 tx-frames 0: every batch kicks; pings" \
	eval "in_ns b ethtool -C mc tx-usecs 0 tx-frames 0 && coal_is 0 0 &&
	      ns_exec b ping -c 5 -i 0.002 -W 2 -q 10.8.0.1"
check "ethtool -S: 50 datagrams at once, each its own batch, 40 kicks or more" \
	burst_kicks_in 0 40
ip -n b link set dev mc down
check "ethtool -l while down: current is what a connection would ask for" \
	channels_while_down

# --- settings changed while down ---------------------------------------------
ip -n b link set dev mc down
check "ethtool -G rx 256 tx 256 rx-buf-len 4096 while down" set_sizes_down
check "ethtool -G rx 128 alone sets both directions" set_rx_alone
check "ethtool -G rx 100 (not a power of two) is refused" \
	expect_refusal "power of two" in_ns b ethtool -G mc rx 100
check "ethtool -G rx 256 tx 512 is refused" \
	expect_refusal "equal" in_ns b ethtool -G mc rx 256 tx 512
check "ethtool -G rx-buf-len 64 is refused" \
	expect_refusal "buffer size" in_ns b ethtool -G mc rx-buf-len 64
check_fail "ethtool -G rx 32768 is refused" in_ns b ethtool -G mc rx 32768
check "nothing changed by the refusals" sizes_unchanged
ip -n b link set dev mc up
check "reconnected with the new sizes: 128 slots of 4096 bytes" reconnected_sizes
check "ping -s 3000 fits one 4096-byte buffer" \
	ns_exec b ping -c 10 -i 0.05 -W 2 -q -s 3000 10.8.0.1

# --- rtnetlink changes: refused while up, applied while down ----------------
check "a change while up is refused with EBUSY" \
	expect_refusal "EBUSY: memif settings can only be changed while the interface is down" \
	nl_memif b --change mc id=9
check "a mode change is refused with EOPNOTSUPP (ENOTSUP)" \
	expect_refusal "ENOTSUP: the mode of a memif link cannot be changed" \
	nl_memif b --change mc mode=1
ip -n b link set dev mc down
check "while down: id and secret change" change_id_secret
check "a bad buffer size is refused and changes nothing" bad_bsize_refused
check "the same mode may be repeated" \
	nl_memif b --change mc mode=0
# Back to id 7 and no secret: the server takes the client again.
check "an empty secret removes it; id back to 7; reconnects" clear_secret_reconnect

# --- a handshake the peer never answers --------------------------------------
# A listener that accepts and stays silent: the client sits in handshake
# until it gives up after 5 s, says why and tries again.
bg_start stall 60 python3 -c '
import socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind("\0stall"); s.listen(8); print("listening", flush=True)
conns = []
while True:
    conns.append(s.accept()[0])'
bg_wait_log stall listening "$(scaled 10)" || bail "silent listener did not start"
bg_start rootmon 60 python3 "$TEST_DIR/nl_monitor.py"
bg_wait_log rootmon listening "$(scaled 10)" || bail "nl_monitor.py did not start"
memifctl add mt role client socket @stall
ip link set dev mt up
check "the listener saw the client's handshake begin, DORMANT" \
	bg_wait_log rootmon "^mt state=handshake operstate=dormant carrier=1" 10
check "it timed out after 5 s, saying so" wait_for \
	"[ \"\$(memif_json - mt disc_reason)\" = 'local: handshake timed out' ]" 12
check "and the listener saw the client wait again" \
	bg_wait_log rootmon "^mt state=waiting operstate=dormant carrier=1" 5
check "the timeout counts as a handshake error" \
	test "$(ethtool_stat - mt handshake_errors)" -ge 1
ip link del dev mt

bg_stop mon
bg_stop ipmon
bg_stop rootmon
bg_stop stall
ktap_finished
