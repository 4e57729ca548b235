#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Peer restart: kill testpmd and the link is no longer UP within 2 s; start it
# again and the link comes back by itself (the client retries every
# second), ping works, nothing is done on the kernel side.

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping dpdk-testpmd
require_memif_ko
require_memifctl

SOCK=/run/m5.sock
ROUNDS=3

start_pmd() {
	rm -f "$SOCK"	# testpmd refuses a stale socket file
	memif_testpmd "pmd$1" 120 \
		--vdev=net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no \
		-- --forward-mode=icmpecho --stats-period=5
}

ktap_plan $((1 + 4 * ROUNDS))

memif_load
start_pmd 0
memifctl add memif0 socket "$SOCK"
link_up - memif0 192.168.77.2/24
check "connected" wait_oper_up - memif0 1 10

for r in $(seq "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then
		kill -KILL "$(pgrep -f "file-prefix=pmd$((r - 1))" | tail -1)"
		how=SIGKILL
	else
		bg_stop "pmd$((r - 1))" >/dev/null
		how=SIGINT
	fi
	check "round $r: no longer UP within 2 s of $how" wait_oper_up - memif0 0 2
	check "round $r: state waiting" \
		test "$(memif_json - memif0 state)" = "waiting for peer"
	bg_stop "pmd$((r - 1))" >/dev/null 2>&1
	start_pmd "$r"
	check "round $r: UP again" wait_oper_up - memif0 1 10
	check "round $r: ping" ping -c 10 -i 0.05 -W 2 -q 192.168.77.1
done

ktap_finished
