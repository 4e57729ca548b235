#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MTU 9000 over 2048-byte buffers: every frame is a chain of five
# descriptors, in both directions, through testpmd as a wire.  (DPDK 22.11
# reports a 1518-byte max frame for memif ports and refuses --max-pkt-len,
# but forwards chained frames of any size.)

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping iperf3 python3 dpdk-testpmd
require_memif_ko
require_memifctl

SOCK=/run/m3.sock

ktap_plan 6

memif_load
ns_create a b
rm -f "$SOCK"
memif_testpmd jumbo 280 \
	--vdev=net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no \
	--vdev=net_memif1,role=server,id=1,socket=$SOCK,socket-abstract=no \
	-- --forward-mode=io --stats-period=5

for x in "a ma 0 10.10.0.1" "b mb 1 10.10.0.2"; do
	read -r ns dev id addr <<<"$x"
	"$MEMIFCTL" add "$dev" socket "$SOCK" id "$id" buffer-size 2048
	ip link set dev "$dev" netns "$ns" mtu 9000
	link_up "$ns" "$dev" "$addr/24"
done
both_carriers() {
	wait_oper_up a ma 1 10 && wait_oper_up b mb 1 10
}
check "both UP" both_carriers
check "ping with an 8972-byte payload, no fragmentation" \
	ns_exec a ping -c 20 -i 0.05 -W 2 -M "do" -s 8972 -p c3 10.10.0.2
check "iperf3 TCP a -> b at MTU 9000" iperf3_run b 10.10.0.2 a -t 3
check "iperf3 TCP b -> a at MTU 9000" iperf3_run b 10.10.0.2 a -t 3 -R
check "8 MB over TCP, SHA-256 intact" tcp_sha_check b 10.10.0.2 a 8000000
check "no errors" bash -c "
	s=\$(ip -n a -j -s link show ma | jq '.[0].stats64');
	[ \$(jq '.rx.errors + .tx.errors' <<<\"\$s\") = 0 ]"

ktap_finished
