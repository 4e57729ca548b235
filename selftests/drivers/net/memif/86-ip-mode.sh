#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IP mode, kernel to kernel over an abstract socket, as in memifctl(8):
# point-to-point links with no link-layer header, IPv4 and IPv6 told
# apart by the version nibble.  A client in another mode is refused.
#
#   ns a: ms (server, ip) ==[@pair, born in the root ns]== mc (client, ip) :ns b

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping iperf3 python3
require_memif_ko
require_memifctl

ktap_plan 8

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

check "both carriers on" wait_carrier b mc 1 10
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

ktap_finished
