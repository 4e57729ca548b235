#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many links on one socket: 16 kernel server links, ids 0..15, in netns a
# share one listener on /run/many.sock; 16 kernel clients in netns b with
# the same ids connect to it, and each client's INIT id must hand it to the
# server link with that id.  Pair i is 10.20.i.0/24, server .1, client .2:
# all UP, each side names the right peer, a ping over every pair,
# no errors.  Then the server links go away: while one is left the
# listener stays and refuses the other ids; with the last one the socket
# file is gone.
#
#   ns a: m0  (server, id 0)  ==\                    /== s0  (client, id 0)  :ns b
#         m1  (server, id 1)  ===[/run/many.sock]=== s1  (client, id 1)
#         ...                   |                  |   ...
#         m15 (server, id 15) ==/                    \== s15 (client, id 15)

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping ss
require_memif_ko
require_memifctl

SOCK=/run/many.sock
N=16

# In the TCG guest every process costs 0.1-0.5 s: each step below runs a
# handful of them for all links at once, not a few per link.

# add_links NS ROLE PREFIX: PREFIX0..PREFIX<N-1> in NS with ids 0..N-1,
# created inside NS.
add_links() {
	# shellcheck disable=SC2016	# expanded by the inner shell
	ns_exec "$1" bash -c '
		for ((i = 0; i < $5; i++)); do
			"$1" add "$3$i" role "$2" socket "$4" id "$i" || exit
		done' - "$MEMIFCTL" "$2" "$3" "$SOCK" "$N"
}

# n_links NS: how many memif links NS has.
n_links() {
	ns_exec "$1" "$MEMIFCTL" -j show | jq length
}

# addr_up NS PREFIX HOST: address 10.20.i.HOST/24 on PREFIXi, and up.
addr_up() {
	local i
	for ((i = 0; i < N; i++)); do
		echo "addr add 10.20.$i.$3/24 dev $2$i"
		echo "link set dev $2$i up"
	done | ip -n "$1" -batch -
}

# n_carrier NS: how many memif links in NS are UP.
n_carrier() {
	ns_exec "$1" "$MEMIFCTL" -j show | jq '[.[] | select(.operstate == "UP")] | length'
}

# not_connected NS: the links of NS not UP, and why.
not_connected() {
	ns_exec "$1" "$MEMIFCTL" -j show |
		jq -r '.[] | select(.operstate != "UP") |
			"\(.name) (id \(.id)): \(.state), \(.disc_reason)"'
}

# all_connected: all 2N UP within 60 s.
all_connected() {
	wait_for "[ \"\$(n_carrier a)\" = $N ] && [ \"\$(n_carrier b)\" = $N ]" 60 0.5 &&
		return 0
	not_connected a
	not_connected b
	return 1
}

# one_listener: exactly one socket listens on $SOCK.  Where it lives is
# the driver's business (a path listener may be kept in the initial
# namespace): look in all three.
one_listener() {
	local ns n=0
	for ns in - a b; do
		n=$((n + $(in_ns "$ns" ss -xlH | awk -v p="$SOCK" '$5 == p' | wc -l)))
	done
	[ "$n" = 1 ] || { echo "$n sockets listen on $SOCK"; return 1; }
}

# peers_match FROM_NS TO_NS: every link in FROM_NS is connected to the
# link in TO_NS that has its id.  Prints the mismatches.
peers_match() {
	local from to out
	from=$(ns_exec "$1" "$MEMIFCTL" -j show) &&
		to=$(ns_exec "$2" "$MEMIFCTL" -j show) || return 1
	out=$(jq -rn --argjson from "$from" --argjson to "$to" --argjson n "$N" '
		($to | map({key: (.id | tostring), value: .name}) | from_entries) as $by_id
		| if ($from | length) != $n then "\($from | length) links, not \($n)"
		  else empty end,
		  ($from[] | select(.peer_name != $by_id[.id | tostring]) |
		   "\(.name) (id \(.id)): peer \(.peer_name), want \($by_id[.id | tostring])")')
	[ -z "$out" ] || { echo "$out"; return 1; }
}

# ping_all: ping -c 3 over every pair at once, from b; the output and
# status of pair i in $TEST_TMPDIR/ping.i.
ping_all() {
	# shellcheck disable=SC2016	# expanded by the inner shell
	ns_exec b bash -c '
		for ((i = 0; i < $1; i++)); do
			{ ping -c 3 -i 0.1 -w 10 -q "10.20.$i.1"; echo "status $?"; } \
				> "$2/ping.$i" 2>&1 &
		done
		wait' - "$N" "$TEST_TMPDIR"
}

# ping_ok I: the ping over pair I got all 3 replies.
ping_ok() {
	grep -qx 'status 0' "$TEST_TMPDIR/ping.$1" && return 0
	cat "$TEST_TMPDIR/ping.$1"
	return 1
}

# no_errors_all NS...: no rx or tx errors on any memif link of each NS.
no_errors_all() {
	local ns out
	for ns in "$@"; do
		out=$(ip -n "$ns" -j -s link show type memif | jq -r '.[] |
			select(.stats64.rx.errors + .stats64.tx.errors > 0) |
			"\(.ifname): \(.stats64.rx.errors) rx, \(.stats64.tx.errors) tx errors"')
		[ -z "$out" ] || { echo "$ns: $out"; return 1; }
	done
}

# del_servers FIRST LAST: delete mFIRST..mLAST.
del_servers() {
	local i
	for ((i = $1; i <= $2; i++)); do
		echo "link del dev m$i"
	done | ip -n a -batch -
}

# refused_unmatched FIRST LAST: clients sFIRST..sLAST are refused by the
# listener with "unmatched interface id" and have not UP.
refused_unmatched() {
	local want=$(($2 - $1 + 1))
	wait_for "[ \"\$(n_refused $1 $2)\" = $want ]" 10 0.5 && return 0
	ns_exec b "$MEMIFCTL" -j show |
		jq -r '.[] | "\(.name): operstate \(.operstate), \(.state), \(.disc_reason)"'
	return 1
}

n_refused() {
	ns_exec b "$MEMIFCTL" -j show | jq --argjson a "$1" --argjson b "$2" '
		[.[] | select(.id >= $a and .id <= $b and (.operstate != "UP") and
			.disc_reason == "peer: unmatched interface id")] | length'
}

ktap_plan $((N + 13))

memif_load
ns_create a b

check "$N server links on $SOCK in a" add_links a server m
check "$N client links on $SOCK in b" add_links b client s
check "$N memif links in each namespace" \
	test "$(n_links a)/$(n_links b)" = "$N/$N"
addr_up a m 1
addr_up b s 2
check "all $((2 * N)) UP" all_connected
check "one listener for all server links" one_listener
check "each client's peer is the server link with its id" peers_match b a
check "each server link's peer is the client with its id" peers_match a b

ping_all
for ((i = 0; i < N; i++)); do
	check "ping over pair $i (10.20.$i.0/24): 3 of 3 replies" ping_ok "$i"
done
check "no errors on any of the $((2 * N)) links" no_errors_all a b

# All server links but m15 go: the listener stays for m15, which keeps its
# client, and refuses the ids it no longer has.
del_servers 0 $((N - 2))
check "without m0..m$((N - 2)): s$((N - 1)) still connected, the others not" \
	wait_for "[ \"\$(n_carrier b)\" = 1 ] && [ \"\$(oper_up b s$((N - 1)))\" = 1 ]" 10 0.5
check "the listener stays while m$((N - 1)) is up" test -S "$SOCK"
check "s0..s$((N - 2)) are refused: unmatched interface id" \
	refused_unmatched 0 $((N - 2))

del_servers $((N - 1)) $((N - 1))
check "with the last server link the socket file is gone" \
	wait_for "[ ! -e $SOCK ]" 5
check "s$((N - 1)) is no longer UP" wait_oper_up b s$((N - 1)) 0 5

ktap_finished
