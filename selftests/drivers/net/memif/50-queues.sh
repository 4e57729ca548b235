#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two queues: testpmd with two rx and two tx queues per port forwards ring
# i of one port to ring i of the other; the kernel spreads flows over its
# two tx rings and receives on both rx rings, one NAPI each.

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq iperf3 ethtool dpdk-testpmd
require_memif_ko
require_memifctl

SOCK=/run/m4.sock

ktap_plan 8

memif_load
ns_create a b
rm -f "$SOCK"
memif_testpmd mq 280 \
	--vdev=net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no \
	--vdev=net_memif1,role=server,id=1,socket=$SOCK,socket-abstract=no \
	-- --forward-mode=io --stats-period=5 --rxq=2 --txq=2

for x in "a ma 0 10.10.0.1" "b mb 1 10.10.0.2"; do
	read -r ns dev id addr <<<"$x"
	"$MEMIFCTL" add "$dev" socket "$SOCK" id "$id" queues 2
	ip link set dev "$dev" netns "$ns"
	link_up "$ns" "$dev" "$addr/24"
done
both_carriers() {
	wait_oper_up a ma 1 10 && wait_oper_up b mb 1 10
}
check "both UP" both_carriers
check "two rings each way negotiated" bash -c "
	[ \$(ip netns exec a $MEMIFCTL -j show ma | jq '.[0].c2s_rings') = 2 ] &&
	[ \$(ip netns exec a $MEMIFCTL -j show ma | jq '.[0].s2c_rings') = 2 ]"
check "iperf3 16 TCP streams a -> b" iperf3_run b 10.10.0.2 a -t 3 -P 16
check "iperf3 16 TCP streams b -> a" iperf3_run b 10.10.0.2 a -t 3 -P 16 -R
for q in 0 1; do
	check "ma sent on tx queue $q" \
		test "$(queue_packets a ma tx "$q")" -gt 100
	check "ma received on rx queue $q" \
		test "$(queue_packets a ma rx "$q")" -gt 100
done 2>/dev/null
ns_exec a ethtool -S ma | log_file -

ktap_finished
