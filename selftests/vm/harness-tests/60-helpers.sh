#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Harness self-test of lib.sh and of the guest's tools: netns + veth, ping,
# iperf3, two dpdk-testpmd instances linked by a DPDK memif (server in
# icmpecho mode, client interactive), wait_for, bg_* and cleanup.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"

require_root
require_cmd ip ping iperf3 dpdk-testpmd

ktap_plan 10

t0=$EPOCHREALTIME
check_fail "wait_for times out" wait_for false 1
check "wait_for succeeds" wait_for "[ -e /proc/self ]" 1

ns_create la lb
veth_pair la va lb vb
ip -n la addr add 198.51.100.1/24 dev va
ip -n lb addr add 198.51.100.2/24 dev vb
check "ping over veth" ns_exec la ping -c 1 -W 5 198.51.100.2
check "iperf3 -s -D in a netns" ns_exec lb iperf3 -s -D -1 -B 198.51.100.2
check "iperf3 client, 1 s" ns_exec la iperf3 -c 198.51.100.2 -t 1

sock=/run/memif-lib-test.sock
start=$EPOCHREALTIME
testpmd_start srv 120 \
	"--vdev=net_memif0,role=server,id=0,socket=$sock,socket-abstract=no" \
	-- --forward-mode=icmpecho
check "testpmd server ready" testpmd_wait_ready srv 60
log "testpmd server up after $(awk "BEGIN { print $EPOCHREALTIME - $start }") s"
check "memif socket created" test -S "$sock"

testpmd_start cli 120 \
	"--vdev=net_memif0,role=client,id=0,socket=$sock,socket-abstract=no" \
	-- -i
check "testpmd client prompt" testpmd_wait_ready cli 60
# The DPDK memif client does not retry a failed connect() (seen once under
# load: "Failed to connect socket"); "port start 0" retries it.
link_up() {
	testpmd_cmd cli "port start 0"
	testpmd_cmd cli "show port info 0"
	sleep 0.5
	grep -q "Link status: up" "$(bg_log cli)"
}
check "memif link up between the two testpmds" wait_for link_up 30 0.5

testpmd_stop srv
ktap_result "testpmd server stops on SIGINT" $?
log "total $(awk "BEGIN { print $EPOCHREALTIME - $t0 }") s"
ktap_finished
