#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IP mode, kernel to kernel over an abstract socket, as in memifctl(8):
# point-to-point links with no link-layer header, IPv4 and IPv6 told
# apart by the version nibble.  A client in another mode is refused.
# The wire format is checked from outside the kernel too: a Python client
# in IP mode puts bare IPv4 and IPv6 echo requests on the ring and must
# get bare replies.  DPDK's memif is ethernet only: it refuses an IP mode
# client with its own reason, and an IP mode server refuses it.
#
#   ns a: ms (server, ip) ==[@pair, born in the root ns]== mc (client, ip) :ns b
#   root: mi (server, ip) ==[/run/k86.sock]== memif_peer.py ip-ping
#   root: md (client, ip) ==[/run/k86d.sock]== dpdk-testpmd (server)
#   root: mx (server, ip) ==[/run/k86x.sock]== dpdk-testpmd (client)

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping iperf3 python3 ethtool dpdk-testpmd
require_memif_ko
require_memifctl

# py_ip_ping: memif_peer.py's IP mode exchange with mi.
py_ip_ping() {
	local out rc=0
	out=$(python3 "$TEST_DIR/memif_peer.py" /run/k86.sock 1 ip-ping 2>&1) ||
		rc=$?
	log "$out"
	[ "$rc" = 0 ] && grep -qx "reply v4" <<<"$out" &&
		grep -qx "reply v6" <<<"$out"
}

ktap_plan 12

memif_load
ns_create a b
memifctl add ms role server socket @pair mode ip
memifctl add mc role client socket @pair mode ip
ip link set dev ms netns a
ip link set dev mc netns b
link_up a ms 10.5.0.1/24
link_up b mc 10.5.0.2/24
ip -n a addr add fd00::1/64 dev ms nodad
ip -n b addr add fd00::2/64 dev mc nodad

check "both UP" wait_oper_up b mc 1 10
check "no link-layer header, no ARP, point to point" bash -c "
	ip -n b link show dev mc | grep -q 'link/none' &&
	ip -n b link show dev mc | grep -q 'POINTOPOINT,.*NOARP'"
check "IPv4 ping" ns_exec b ping -c 5 -i 0.1 -W 2 -q 10.5.0.1
check "IPv6 ping" ns_exec b ping -c 5 -i 0.1 -W 2 -q fd00::1
check "iperf3 TCP" iperf3_run a 10.5.0.1 b -t 2
check "4 MB over TCP, SHA-256 intact" tcp_sha_check a 10.5.0.1 b 4000000
check "no errors on the pair" no_errors b mc
# With mc down the server is free: the id is right, the mode is not.
ip -n b link set dev mc down
memifctl add me role client socket @pair mode ethernet id 0
ip link set dev me up
check "an ethernet-mode client is refused" wait_for \
	"[ \"\$(memif_json - me disc_reason)\" = 'peer: mode mismatch' ]" 10

memifctl add mi role server socket /run/k86.sock id 1 mode ip
link_up - mi 10.6.0.1/24
ip addr add fd06::1/64 dev mi nodad
check "a Python client in IP mode: bare echo replies, IPv4 and IPv6" py_ip_ping
check "the server counted both requests and no errors" eval "
	[ \$(queue_packets - mi rx 0) -ge 2 ] &&
	[ \$(ip -j -s link show dev mi | jq '.[0].stats64.rx.errors') = 0 ]"

rm -f /run/k86d.sock
memif_testpmd pmdsrv 200 \
	--vdev=net_memif0,role=server,id=0,socket=/run/k86d.sock,socket-abstract=no \
	-- --forward-mode=io --stats-period=5
memifctl add md role client socket /run/k86d.sock mode ip
ip link set dev md up
check "DPDK's server refuses an IP mode client: it is ethernet only" wait_for \
	"[ \"\$(memif_json - md disc_reason)\" = 'peer: Only ethernet mode supported' ]" 10
ip link del dev md
testpmd_stop pmdsrv

memifctl add mx role server socket /run/k86x.sock mode ip
ip link set dev mx up
wait_for "[ -S /run/k86x.sock ]" 5
memif_testpmd pmdcli 200 \
	--vdev=net_memif0,role=client,id=0,socket=/run/k86x.sock,socket-abstract=no \
	-- --forward-mode=io --stats-period=5
check "an IP mode server refuses DPDK's ethernet client" wait_for \
	"[ \"\$(memif_json - mx disc_reason)\" = 'local: mode mismatch' ]" 10
testpmd_stop pmdcli

ktap_finished
