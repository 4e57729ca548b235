#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DPDK testpmd as a wire between two kernel memif clients in two network
# namespaces: ping, iperf3 both ways, and a TCP transfer whose SHA-256 is
# compared end to end (checksums and payload intact).
#
#   ns a: ma 10.10.0.1 --[id 0]--+                +--[id 1]-- mb 10.10.0.2 :ns b
#                               testpmd io (server, /run/m2.sock)

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping iperf3 python3 dpdk-testpmd
require_memif_ko
require_memifctl

SOCK=/run/m2.sock

ktap_plan 9

memif_load
ns_create a b
rm -f "$SOCK"
memif_testpmd wire 280 \
	--vdev=net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no \
	--vdev=net_memif1,role=server,id=1,socket=$SOCK,socket-abstract=no \
	-- --forward-mode=io --stats-period=5

# "dev" keeps ip from taking "ma" for its "master" keyword.
check "create ma and mb, move them to a and b" bash -c "
	$MEMIFCTL add ma role client socket $SOCK id 0 &&
	ip link set dev ma netns a &&
	$MEMIFCTL add mb role client socket $SOCK id 1 &&
	ip link set dev mb netns b"
link_up a ma 10.10.0.1/24
link_up b mb 10.10.0.2/24
both_carriers() {
	wait_oper_up a ma "$1" 10 && wait_oper_up b mb "$1" 10
}
check "both UP" both_carriers 1
check "ping -c 100 -i 0.02: 0% loss" \
	ns_exec a ping -c 100 -i 0.02 -W 2 -q 10.10.0.2
check "iperf3 TCP a -> b" iperf3_run b 10.10.0.2 a -t 4
check "iperf3 TCP b -> a (-R)" iperf3_run b 10.10.0.2 a -t 4 -R
check "iperf3 UDP a -> b" iperf3_run b 10.10.0.2 a -t 2 -u -b 20M
check "8 MB over TCP a -> b, SHA-256 intact" tcp_sha_check b 10.10.0.2 a 8000000
check "8 MB over TCP b -> a, SHA-256 intact" tcp_sha_check a 10.10.0.1 b 8000000
check "no rx errors or drops on either side" bash -c "
	for x in 'a ma' 'b mb'; do set -- \$x;
	s=\$(ip -n \$1 -j -s link show \$2 | jq '.[0].stats64');
	[ \$(jq '.rx.errors + .tx.errors' <<<\"\$s\") = 0 ] || exit 1; done"

ktap_finished
