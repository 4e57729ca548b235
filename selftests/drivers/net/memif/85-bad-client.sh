#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The server role against clients that hand over the wrong things: a pipe,
# a socket or a too-small memfd as the region, a ring outside its region,
# a pipe as interrupt fd, missing fds, bad indices, unknown messages, an
# unknown id.  Each is refused with a DISCONNECT naming the problem, is
# counted, and the server link then serves a correct client as before.
#
#   memif_peer.py / kernel client s0 (ns a) --[/run/k85.sock id 3]-- m0 (server)

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping python3 ethtool
require_memif_ko
require_memifctl

SOCK=/run/k85.sock
PEER="python3 $TEST_DIR/memif_peer.py"

# refused SCENARIO REASON [ID]: the client sees DISCONNECT with REASON.
refused() {
	local out
	out=$($PEER "$SOCK" "${3:-3}" "$1" 2>&1)
	grep -qxF "disconnect: $2" <<<"$out" ||
		{ log "memif_peer.py $1: $out"; return 1; }
}

scenarios=(
	"pipe-region|region fd is not a memfd"
	"socket-region|region fd is not a memfd"
	"small-region|region fd is smaller than announced"
	"no-region-fd|missing memory region fd"
	"bad-index|unexpected region index"
	"ring-outside|ring outside its region"
	"pipe-ring|ring interrupt fd is not an eventfd"
	"bad-type|unexpected message"
)

ktap_plan $((2 * ${#scenarios[@]} + 8))

# bind_socket PATH [SECONDS]: bind (and listen on) a socket file, and
# leave it behind (stale) or keep listening for SECONDS.
bind_socket() {
	python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(sys.argv[1]); s.listen(1); time.sleep(float(sys.argv[2]))' "$1" "${2:-0}"
}

# can_connect PATH: somebody listens on PATH.
can_connect() {
	python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET).connect(sys.argv[1])' "$1"
}

memif_load
ns_create a
bind_socket "$SOCK" 30 &
busy=$!
wait_for "[ -S $SOCK ]" 5
memifctl add m0 role server socket "$SOCK" id 3
link_up - m0 10.12.0.1/24
check "a socket somebody listens on is left alone" wait_for \
	"memif_json - m0 disc_reason | grep -q 'cannot listen: -EADDRINUSE'" 5
ip link set dev m0 down
kill "$busy"
wait "$busy"
rm -f "$SOCK"
bind_socket "$SOCK"
ip link set dev m0 up
check "a stale socket file is replaced" wait_for "can_connect $SOCK" 5

for s in "${scenarios[@]}"; do
	check "${s%%|*}: refused with \"${s#*|}\"" refused "${s%%|*}" "${s#*|}"
	check "${s%%|*}: the server link says why" \
		test "$(memif_json - m0 disc_reason)" = "local: ${s#*|}"
done
check "unknown id: refused" refused good "unmatched interface id" 99
check "a correct Python client connects" \
	bash -c "$PEER $SOCK 3 good | grep -qx 'connected m0'"
check "every refusal was counted" \
	test "$(ethtool_stat - m0 handshake_errors)" -ge "${#scenarios[@]}"
check "the server is waiting again" \
	wait_for "[ \"\$(memif_json - m0 state)\" = 'waiting for peer' ]" 5
ns_exec a "$MEMIFCTL" add s0 role client socket "$SOCK" id 3
link_up a s0 10.12.0.2/24
check "then a kernel client connects" wait_oper_up a s0 1 10
check "and ping works" ns_exec a ping -c 10 -i 0.05 -W 2 -q 10.12.0.1

ktap_finished
