#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# memif-specific helpers on top of lib.sh: links, operstate, the JSON of
# "memifctl -j show", traffic with an end-to-end checksum.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# memifctl [ARG...] in the root namespace.
memifctl() {
	"$MEMIFCTL" "$@"
}

# in_ns NS CMD...: run CMD in NS, or here if NS is "-".
in_ns() {
	local ns=$1
	shift
	if [ "$ns" = - ]; then
		"$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

# oper_up NS DEV: 1 if DEV's operstate is UP, 0 if not, empty if there is
# no DEV.  A memif link is UP while connected to its peer, DORMANT while
# it is up and waits for one (or is in the handshake), DOWN while down.
oper_up() {
	local s
	s=$(in_ns "$1" cat "/sys/class/net/$2/operstate" 2>/dev/null) || return 0
	[ "$s" = up ] && echo 1 || echo 0
}

# wait_oper_up NS DEV 0|1 TIMEOUT: wait until oper_up says so.
wait_oper_up() {
	wait_for "[ \"\$(oper_up $1 $2)\" = $3 ]" "$4" 0.1
}

# memif_json NS DEV FIELD: one field of memifctl -j show DEV.
memif_json() {
	in_ns "$1" "$MEMIFCTL" -j show "$2" | jq -r ".[0].$3"
}

# link_up NS DEV ADDR/PREFIX
link_up() {
	in_ns "$1" ip addr add "$3" dev "$2"
	in_ns "$1" ip link set dev "$2" up
}

# kernel_pair SOCK ID NET [ARG...]: server m0 in namespace a and client s0
# in b on SOCK with interface id ID, addresses NET.1/24 and NET.2/24, both
# up and connected within 10 s; ARGs go to both "memifctl add"s.
kernel_pair() {
	local sock=$1 id=$2 net=$3
	shift 3
	ns_exec a "$MEMIFCTL" add m0 role server socket "$sock" id "$id" "$@" &&
		ns_exec b "$MEMIFCTL" add s0 role client socket "$sock" id "$id" "$@" &&
		link_up a m0 "$net.1/24" && link_up b s0 "$net.2/24" &&
		wait_oper_up a m0 1 10 && wait_oper_up b s0 1 10
}

# queue_packets NS DEV rx|tx Q: the packets counted on queue Q, from the
# kernel's per-queue statistics (the netdev family's qstats-get, 6.8+),
# else from ethtool -S; 0 for a queue not in use.
queue_packets() {
	local out v
	if out=$(in_ns "$1" python3 "$LIB_DIR/nl_qstats.py" "$2"); then
		v=$(awk -v d="$3" -v q="$4" '$1 == d && $2 == q { print $4 }' <<<"$out")
	else
		v=$(ethtool_stat "$1" "$2" "${3}_queue_${4}_packets")
	fi
	echo "${v:-0}"
}

# stat NS DEV NAME: one counter of ethtool -S.
ethtool_stat() {
	in_ns "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}

# tcp_sha_check SRV_NS SRV_IP CLI_NS BYTES: send BYTES of random data over
# TCP from CLI_NS to a receiver in SRV_NS; succeed if both ends compute the
# same SHA-256.
tcp_sha_check() {
	local srv_ns=$1 ip=$2 cli_ns=$3 bytes=$4 data=$TEST_TMPDIR/payload
	local port=5201 got want
	head -c "$bytes" /dev/urandom > "$data"
	want=$(sha256sum < "$data" | cut -d' ' -f1)
	in_ns "$srv_ns" timeout "$(scaled 60)" python3 -c '
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(1)
c, _ = s.accept(); h = hashlib.sha256()
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b)
print(h.hexdigest())' "$port" > "$TEST_TMPDIR/sha.out" &
	local pid=$!
	wait_for "in_ns $srv_ns ss -ltn | grep -q :$port" "$(scaled 10)" ||
		return 1
	in_ns "$cli_ns" timeout "$(scaled 60)" python3 -c '
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
c.sendall(open(sys.argv[3], "rb").read()); c.close()' "$ip" "$port" "$data" || return 1
	wait "$pid" || return 1
	got=$(cat "$TEST_TMPDIR/sha.out")
	[ "$got" = "$want" ] || { log "sha256 sent $want received $got"; return 1; }
}

# iperf3_run SRV_NS SRV_IP CLI_NS [IPERF3_ARG...]: one iperf3 test, the
# client's output logged; fails unless data moved.
iperf3_run() {
	local srv_ns=$1 ip=$2 cli_ns=$3 out rc=0
	shift 3
	in_ns "$srv_ns" iperf3 -s -1 -D -I "$TEST_TMPDIR/iperf3.pid" || return 1
	wait_for "in_ns $srv_ns ss -ltn | grep -q :5201" "$(scaled 10)" ||
		return 1
	out=$(in_ns "$cli_ns" timeout "$(scaled 60)" iperf3 -c "$ip" -J "$@") ||
		rc=$?
	[ -s "$TEST_TMPDIR/iperf3.pid" ] && kill "$(cat "$TEST_TMPDIR/iperf3.pid")" 2>/dev/null
	[ "$rc" = 0 ] || { printf '%s\n' "$out" | tail -5 | log_file -; return 1; }
	printf '%s\n' "$out" | jq -r '"iperf3 \(.start.test_start.protocol) \(if .start.test_start.reverse == 1 then "reverse" else "forward" end): \(.end.sum_received.bits_per_second / 1e6 | floor) Mbit/s, \(.end.sum_sent.retransmits // 0) retransmits"' | log_file -
	[ "$(printf '%s\n' "$out" | jq '.end.sum_received.bytes')" -gt 0 ]
}

# memif_testpmd NAME TIMEOUT EAL_AND_APP_ARGS...: testpmd_start, then wait
# until it forwards: a client that connects while testpmd still sets up
# its ports may find it half ready.
memif_testpmd() {
	local name=$1
	testpmd_start "$@"
	testpmd_wait_ready "$name" 60 || bail "testpmd $name did not start"
}

# no_errors NS DEV [NS DEV...]: no rx or tx errors on any of them.
no_errors() {
	local n
	while [ "$#" -ge 2 ]; do
		n=$(ip -n "$1" -j -s link show dev "$2" |
			jq '.[0].stats64 | .rx.errors + .tx.errors')
		[ "$n" = 0 ] || { log "$1/$2: $n errors"; return 1; }
		shift 2
	done
}
