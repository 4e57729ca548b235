#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A userspace client killed mid-traffic, 100 times: each client (a child
# of churn.py kill-peer) connects to the kernel server m0 and floods it
# with ICMP echo requests while it takes m0's replies, m0 pinging it at
# the same time; once packets flowed both ways it gets SIGKILL.  Each
# time m0 must no longer be UP and accept the next client.  Afterwards a
# plain client still connects, nothing leaked (churn_lib.sh), no task
# sits in memif code, and the module unloads promptly.
#
#   m0 (server, id 0, 10.6.0.1) ==[/run/c96.sock]== churn.py's children
#                                                   (10.6.0.2, 02:00:00:00:00:02)

source "$(dirname "$0")/churn_lib.sh"

require_root
require_cmd ip jq ping python3
require_memif_ko
require_memifctl

SOCK=/run/c96.sock
CYCLES=${CYCLES:-100}
CHURN="$TEST_DIR/churn.py"

# kills N: N clients killed mid-traffic, a ping flood from m0 meanwhile.
kills() {
	local mac rc=0
	mac=$(cat /sys/class/net/m0/address)
	ping -f -q -w 600 10.6.0.2 > /dev/null 2>&1 &
	logged "$CHURN" kill-peer "$SOCK" 0 m0 "$mac" "$1" || rc=1
	kill -INT $! 2>/dev/null
	wait
	return "$rc"
}

ktap_plan 8

churn_setup
memif_load
check "server m0 listens on $SOCK" eval "
	memifctl add m0 role server socket $SOCK id 0 &&
	ip addr add 10.6.0.1/24 dev m0 && ip link set dev m0 up &&
	ip neigh replace 10.6.0.2 lladdr 02:00:00:00:00:02 dev m0 nud permanent &&
	wait_for '[ -S $SOCK ]' 5"
t=$EPOCHREALTIME
check "warm-up: 10 clients killed mid-traffic" kills 10
log "warm-up took $(elapsed "$t") s"
leak_snapshot "$TEST_TMPDIR/before"

t=$EPOCHREALTIME
check "$CYCLES clients killed mid-traffic, m0 back to waiting each time" \
	kills "$CYCLES"
log "$CYCLES kills took $(elapsed "$t") s"
check "m0 is waiting for a peer" \
	test "$(memif_json - m0 state)" = "waiting for peer"
check "a well-behaved client still connects" \
	python3 "$TEST_DIR/memif_peer.py" "$SOCK" 0 good

leak_snapshot "$TEST_TMPDIR/after"
leak_check "nothing leaked over $CYCLES killed clients" \
	"$TEST_TMPDIR/before" "$TEST_TMPDIR/after"
check "no task in memif code" test -z "$(memif_tasks)"
t=$EPOCHREALTIME
check "rmmod within 10 s" timeout 10 rmmod memif
log "rmmod took $(elapsed "$t") s"

ktap_finished
