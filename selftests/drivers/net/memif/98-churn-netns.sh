#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Namespace deletion with connected links: 32 kernel servers in netns a,
# their 32 kernel clients in netns b (2 socket files, 16 ids each).  The
# namespace holding the clients is deleted while the servers flood them:
# every server goes back to waiting for a peer; new clients in a new
# namespace connect; then the namespace holding the servers is deleted
# while the clients flood them: every client is no longer UP, waits, and the
# socket files go: 4 rounds.  Then nothing leaked (churn_lib.sh) since the
# end of the first round, no task sits in memif code, rmmod is prompt.
# 84-netns.sh checks the finer points (birthplaces, abstract sockets).
#
#   ns a: s0..s31 (servers) ==[/run/c98-<i / 16>.sock, id i % 16]== c0..c31 (clients) :ns b
#   pair i: 10.97.i.1/24 (s<i>) and 10.97.i.2/24 (c<i>)

source "$(dirname "$0")/churn_lib.sh"

require_root
require_cmd ip jq ping
require_memif_ko
require_memifctl
PLUGIN_DIR=${PLUGIN_DIR:-$REPO_ROOT/tools/iproute2}
[ -f "$PLUGIN_DIR/link_memif.so" ] || skip "$PLUGIN_DIR/link_memif.so is not built"
export IP_LIB_DIR=$PLUGIN_DIR

N=32
PAIR_SOCK=/run/c98
ROUNDS=${ROUNDS:-4}

# netns_round R: N pairs in fresh a and b; delete b under floods from a,
# the servers wait; clients in a fresh b connect; delete a under floods
# from b, the clients wait; delete b.
netns_round() {
	local r=$1
	ns_create a b
	side a server && side b client && all_carrier a b || return 1
	floods a 2
	ns_del b
	none_waiting a || { echo "round $r: after deleting b"; return 1; }
	ns_create b
	{ side b client && all_carrier a b; } ||
		{ echo "round $r: new clients"; return 1; }
	ns_exec a pkill -INT -x ping
	floods b 1
	ns_del a
	none_waiting b || { echo "round $r: after deleting a"; return 1; }
	no_sockets || return 1
	ns_exec b pkill -INT -x ping
	wait
	ns_del b
	wait_for "[ \"\$($MEMIFCTL -j show | jq length)\" = 0 ]" 5
}

# rounds FUNC FROM TO
rounds() {
	local r
	for ((r = $2; r <= $3; r++)); do
		logged "$1" "$r" || return 1
	done
}

ktap_plan 6

churn_setup
memif_load
t=$EPOCHREALTIME
check "round 1 (warm-up): delete the clients' netns, then the servers'" \
	rounds netns_round 1 1
log "round 1 took $(elapsed "$t") s"
leak_snapshot "$TEST_TMPDIR/before"
t=$EPOCHREALTIME
check "rounds 2..$ROUNDS: $N pairs; the clients' netns deleted under floods, servers wait; new clients connect; the servers' netns deleted, clients wait" \
	rounds netns_round 2 "$ROUNDS"
log "rounds 2..$ROUNDS took $(elapsed "$t") s"
check "no memif link left" test "$("$MEMIFCTL" -j show | jq length)" = 0
leak_snapshot "$TEST_TMPDIR/after"
leak_check "nothing leaked over $((ROUNDS - 1)) rounds" \
	"$TEST_TMPDIR/before" "$TEST_TMPDIR/after"
check "no task in memif code" test -z "$(memif_tasks)"
t=$EPOCHREALTIME
check "rmmod within 10 s" timeout 10 rmmod memif
log "rmmod took $(elapsed "$t") s"

ktap_finished
