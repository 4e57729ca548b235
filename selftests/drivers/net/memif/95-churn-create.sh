#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Create/delete churn: 1000 links created and deleted, 100 at a time with
# ip -batch (Debian's ip and the memif plugin): 50 servers on 5 abstract
# sockets (10 ids each) and the 50 clients that go with them, all set up;
# in every batch all 100 connect before they are deleted.  Afterwards
# nothing leaked (churn_lib.sh), no task sits in memif code, no socket is
# left listening, and the module unloads promptly.
#
#   c95-<b>-<i> (server, id i % 10) ==[@c95-<i / 10>]== d95-<b>-<i> (client)

source "$(dirname "$0")/churn_lib.sh"

require_root
require_cmd ip jq ss
require_memif_ko
require_memifctl
PLUGIN_DIR=${PLUGIN_DIR:-$REPO_ROOT/tools/iproute2}
[ -f "$PLUGIN_DIR/link_memif.so" ] || skip "$PLUGIN_DIR/link_memif.so is not built"
export IP_LIB_DIR=$PLUGIN_DIR

BATCHES=${BATCHES:-10}
N=50

# n_carrier: how many memif links are UP.
n_carrier() {
	"$MEMIFCTL" -j show | jq '[.[] | select(.operstate == "UP")] | length'
}

# batch B: create 50 server and 50 client links, all up, wait until all
# are UP, delete them all.
batch() {
	local b=$1 i rc=0
	for ((i = 0; i < N; i++)); do
		echo "link add c95-$b-$i type memif role server socket @c95-$((i / 10)) id $((i % 10))"
		echo "link add d95-$b-$i type memif role client socket @c95-$((i / 10)) id $((i % 10))"
		echo "link set dev c95-$b-$i up"
		echo "link set dev d95-$b-$i up"
	done | ip -batch - || return 1
	wait_for "[ \"\$(n_carrier)\" = $((2 * N)) ]" 60 0.5 || {
		echo "batch $b: $(n_carrier) of $((2 * N)) connected"
		rc=1
	}
	for ((i = 0; i < N; i++)); do
		echo "link del dev c95-$b-$i"
		echo "link del dev d95-$b-$i"
	done | ip -batch - || rc=1
	return "$rc"
}

# batches FROM TO
batches() {
	local b
	for ((b = $1; b < $2; b++)); do
		batch "$b" || return 1
	done
}

ktap_plan 7

churn_setup
memif_load
t=$EPOCHREALTIME
check "warm-up: 100 links created, connected, deleted" batches 0 1
log "warm-up took $(elapsed "$t") s"
leak_snapshot "$TEST_TMPDIR/before"

t=$EPOCHREALTIME
check "$((BATCHES * 2 * N)) links created, connected, deleted, $((2 * N)) at a time" \
	batches 1 $((BATCHES + 1))
log "$((BATCHES * 2 * N)) creations and deletions took $(elapsed "$t") s"
check "no memif link left" test "$("$MEMIFCTL" -j show | jq length)" = 0
check "no @c95 socket left listening" \
	eval "! ss -xlH | grep -q '@c95'"

leak_snapshot "$TEST_TMPDIR/after"
leak_check "nothing leaked over $((BATCHES * 2 * N)) links" \
	"$TEST_TMPDIR/before" "$TEST_TMPDIR/after"
check "no task in memif code" test -z "$(memif_tasks)"
t=$EPOCHREALTIME
check "rmmod within 10 s" timeout 10 rmmod memif
log "rmmod took $(elapsed "$t") s"

ktap_finished
