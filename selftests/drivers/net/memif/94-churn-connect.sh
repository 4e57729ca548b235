#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Connect/disconnect churn on a kernel pair: the client goes down and up
# 1000 times, each time until it is connected again; then both ends go
# down and up while ping floods run both ways.  Afterwards the pair still
# passes traffic, nothing leaked (slab objects, pages, shmem, files, the
# module's refcount; see churn_lib.sh), no task sits in memif code, and
# the module unloads promptly.
#
#   ns a: m0 (server, id 4) ==[/run/c94.sock]== s0 (client, id 4) :ns b

source "$(dirname "$0")/churn_lib.sh"

require_root
require_cmd ip jq ping python3
require_memif_ko
require_memifctl

SOCK=/run/c94.sock
CYCLES=${CYCLES:-1000}
CHURN="$TEST_DIR/churn.py"

pair() {
	kernel_pair "$SOCK" 4 10.94.0
}

# floods SECONDS: ping floods a -> b and b -> a in the background.
floods() {
	ns_exec a ping -f -q -w "$1" 10.94.0.2 > "$TEST_TMPDIR/flood.a" 2>&1 &
	ns_exec b ping -f -q -w "$1" 10.94.0.1 > "$TEST_TMPDIR/flood.b" 2>&1 &
}

# under_traffic N_CLIENT N_SERVER: ping floods while the client goes down
# and up N_CLIENT times (connected for 20 ms each time), then the server
# N_SERVER times (waiting for the client to come back each time).
under_traffic() {
	local rc=0
	floods 600
	logged ns_exec b "$CHURN" toggle s0 "$1" 20 || rc=1
	[ "$rc" != 0 ] || logged ns_exec a "$CHURN" toggle m0 "$2" || rc=1
	ns_exec a pkill -INT -x ping
	ns_exec b pkill -INT -x ping
	wait
	logged cat "$TEST_TMPDIR/flood.a" "$TEST_TMPDIR/flood.b"
	# traffic flowed both ways
	grep -Eq ' [1-9][0-9]* received' "$TEST_TMPDIR/flood.a" &&
		grep -Eq ' [1-9][0-9]* received' "$TEST_TMPDIR/flood.b" || rc=1
	return "$rc"
}

ktap_plan 10

churn_setup
memif_load
ns_create a b
check "kernel pair connected" pair
t=$EPOCHREALTIME
check "warm-up: the client down and up 30 times, each time connected" \
	logged ns_exec b "$CHURN" toggle s0 30
check "warm-up: 10 + 1 times under ping floods" under_traffic 10 1
log "warm-up took $(elapsed "$t") s"
leak_snapshot "$TEST_TMPDIR/before"

t=$EPOCHREALTIME
check "the client down and up $CYCLES times, each time connected" \
	logged ns_exec b "$CHURN" toggle s0 "$CYCLES"
log "$CYCLES connect/disconnect cycles took $(elapsed "$t") s"
t=$EPOCHREALTIME
check "under ping floods both ways: the client down and up 100 times, the server 5" \
	under_traffic 100 5
log "up/down under traffic took $(elapsed "$t") s"
check "connected at the end" eval "wait_oper_up a m0 1 10 && wait_oper_up b s0 1 10"
check "ping -c 20 -i 0.05: 0% loss" \
	ns_exec b ping -c 20 -i 0.05 -W 2 -q 10.94.0.1

leak_snapshot "$TEST_TMPDIR/after"
leak_check "nothing leaked over $CYCLES + 105 cycles" \
	"$TEST_TMPDIR/before" "$TEST_TMPDIR/after"
check "no task in memif code" test -z "$(memif_tasks)"
t=$EPOCHREALTIME
check "rmmod with the pair connected, within 10 s" timeout 10 rmmod memif
log "rmmod took $(elapsed "$t") s"

ktap_finished
