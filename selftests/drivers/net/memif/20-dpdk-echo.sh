#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel as memif client of DPDK testpmd (server) in icmpecho mode:
# testpmd answers ARP and ping itself.
#
#   memif0 (192.168.77.2, client) ==[/run/m1.sock id 0]== testpmd net_memif0

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping dpdk-testpmd
require_memif_ko
require_memifctl

SOCK=/run/m1.sock

ktap_plan 9

memif_load
rm -f "$SOCK"
memif_testpmd echo 240 \
	--vdev=net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no \
	-- --forward-mode=icmpecho --stats-period=5

check "memifctl add memif0 role slave" \
	memifctl add memif0 role slave socket "$SOCK" id 0
link_up - memif0 192.168.77.2/24
check "UP" wait_oper_up - memif0 1 10
check "state connected" test "$(memif_json - memif0 state)" = connected
check "peer is DPDK's net_memif0" test "$(memif_json - memif0 peer_name)" = net_memif0
check "ping -c 100 -i 0.02: 0% loss" \
	ping -c 100 -i 0.02 -W 2 -q 192.168.77.1
check "ping with 1472-byte payload, contents checked" \
	ping -c 10 -i 0.05 -W 2 -s 1472 -p a55a0ff0 192.168.77.1
check "counters moved, no errors" bash -c "
	s=\$(ip -j -s link show memif0 | jq '.[0].stats64');
	[ \$(jq .rx.packets <<<\"\$s\") -ge 110 ] &&
	[ \$(jq .tx.packets <<<\"\$s\") -ge 110 ] &&
	[ \$(jq .rx.errors <<<\"\$s\") = 0 ] && [ \$(jq .tx.errors <<<\"\$s\") = 0 ]"
check "ethtool -S: queue counters" test "$(queue_packets - memif0 rx 0)" -ge 110
testpmd_stop echo
check "no longer UP once testpmd is gone" wait_oper_up - memif0 0 2

ktap_finished
