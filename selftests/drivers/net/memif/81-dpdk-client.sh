#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel as memif server, DPDK testpmd as client: two kernel server
# links on one socket, born in the root namespace and moved to netns a and
# b, and testpmd's two net_memif client ports forwarding between them (io
# mode): ping, iperf3 both ways, TCP SHA-256 end to end.  Then with
# hugepages: in copy mode DPDK's region is still a plain memfd and is
# accepted; with zero-copy=yes its buffer regions are its hugetlbfs files,
# which the kernel server maps too: sa pings testpmd (icmpecho) through
# them, 0% loss, the payload checked by ping.
#
#   ns a: sa 10.11.0.1 (server, id 0)        (server, id 1) sb 10.11.0.2 :ns b
#                 ||        [/run/m81.sock, born in root]        ||
#         net_memif0 (client, id 0) <- testpmd io -> net_memif1 (client, id 1)

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping iperf3 python3 dpdk-testpmd sysctl mountpoint
require_memif_ko
require_memifctl

SOCK=/run/m81.sock
HUGE_DIR=/dev/hugepages

# pmd NAME [EAL_ARG...]: testpmd with two client ports (ids 0 and 1) on
# $SOCK, forwarding between them.  A DPDK client never retries: start it
# only while the servers listen.
pmd() {
	local name=$1
	shift
	memif_testpmd "$name" 200 "$@" \
		--vdev=net_memif0,role=client,id=0,socket=$SOCK,socket-abstract=no \
		--vdev=net_memif1,role=client,id=1,socket=$SOCK,socket-abstract=no \
		-- --forward-mode=io --stats-period=5
}

# carriers 0|1 TIMEOUT: both kernel links UP (1) or not (0).
carriers() {
	wait_oper_up a sa "$1" "$2" && wait_oper_up b sb "$1" "$2"
}

both_waiting() {
	[ "$(memif_json a sa state)" = "waiting for peer" ] &&
		[ "$(memif_json b sb state)" = "waiting for peer" ]
}

# peer_app_dpdk NS DEV
peer_app_dpdk() {
	local app
	app=$(memif_json "$1" "$2" peer_app)
	case "$app" in
	*DPDK*) log "$2: peer_app '$app'" ;;
	*) log "$2: peer_app '$app', want DPDK"; return 1 ;;
	esac
}

# reason_has NS DEV TEXT
reason_has() {
	local r
	r=$(memif_json "$1" "$2" disc_reason)
	case "$r" in
	*"$3"*) ;;
	*) log "$1/$2: disc_reason '$r', want '...$3...'"; return 1 ;;
	esac
}

# pmd_files NAME: log the memfds and hugepage files testpmd NAME has open.
pmd_files() {
	local pid
	pid=$(pgrep -f -- "--file-prefix=$1( |\$)" | tail -1)
	[ -n "$pid" ] || return 0
	log "testpmd $1 has open:"
	find "/proc/$pid/fd" -type l -printf '%l\n' 2>/dev/null |
		grep -E "^/memfd:|^$HUGE_DIR/" | sed -E 's/map_[0-9]+$/map_*/' |
		sort | uniq -c | log_file -
}

# hugepages_setup: 128 hugepages and hugetlbfs on $HUGE_DIR, undone at
# exit (not inside check: defer must run in this shell).
hugepages_setup() {
	local old
	old=$(sysctl -n vm.nr_hugepages)
	sysctl -qw vm.nr_hugepages=128 || return 1
	defer sysctl -qw "vm.nr_hugepages=$old"
	if ! mountpoint -q "$HUGE_DIR"; then
		mkdir -p "$HUGE_DIR"
		mount -t hugetlbfs nodev "$HUGE_DIR" || return 1
		defer umount "$HUGE_DIR"
	fi
	# testpmd leaves its hugepage files (<file-prefix>map_N) behind.
	defer eval "rm -f $HUGE_DIR/hpmap_* $HUGE_DIR/hpzcmap_*"
}

hugepages_ready() {
	mountpoint -q "$HUGE_DIR" &&
		[ "$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)" -ge 64 ]
}

ktap_plan 22

memif_load
ns_create a b
rm -f "$SOCK"

# "dev" keeps ip from taking a link name for one of its keywords.
check "create servers sa (id 0) and sb (id 1), move them to a and b" eval "
	memifctl add sa role server socket $SOCK id 0 &&
	ip link set dev sa netns a &&
	memifctl add sb role server socket $SOCK id 1 &&
	ip link set dev sb netns b"
link_up a sa 10.11.0.1/24
link_up b sb 10.11.0.2/24
check "the servers listen on $SOCK" wait_for "[ -S $SOCK ]" 5

pmd wire
check "testpmd connected: both UP" carriers 1 10
check "peer_app of sa and sb is DPDK" \
	eval "peer_app_dpdk a sa && peer_app_dpdk b sb"
check "ping -c 100 -i 0.02 a -> b through testpmd: 0% loss" \
	ns_exec a ping -c 100 -i 0.02 -W 2 -q 10.11.0.2
check "iperf3 TCP a -> b" iperf3_run b 10.11.0.2 a -t 4
check "iperf3 TCP b -> a (-R)" iperf3_run b 10.11.0.2 a -t 4 -R
check "8 MB over TCP a -> b, SHA-256 intact" tcp_sha_check b 10.11.0.2 a 8000000
check "8 MB over TCP b -> a, SHA-256 intact" tcp_sha_check a 10.11.0.1 b 8000000
check "no errors on either side" no_errors a sa b sb

testpmd_stop wire >/dev/null
check "testpmd stopped: both no longer UP within 2 s" carriers 0 2
check "both servers back to waiting, still listening" \
	eval "both_waiting && [ -S $SOCK ]"

# --- hugepages ---------------------------------------------------------------

hugepages_setup
check "128 hugepages, hugetlbfs on $HUGE_DIR" hugepages_ready

# Without --no-huge (--huge-dir keeps testpmd_start from adding it) the
# mbufs are in hugepages, but DPDK's memif region in copy mode is a
# memfd_create() (tmpfs) file all the same: the servers take it.
pmd hp "--huge-dir=$HUGE_DIR"
pmd_files hp
check "hugepages, copy mode (region is a memfd): both UP" carriers 1 10
check "hugepages, copy mode: ping -c 20 a -> b" \
	ns_exec a ping -c 20 -i 0.05 -W 2 -q 10.11.0.2
testpmd_stop hp >/dev/null
check "stopped: both no longer UP within 2 s" carriers 0 2

# zero_copy_regions: sa maps region 0 (the rings, a memfd) and at least one
# region of DPDK's hugepage memory.
zero_copy_regions() {
	local n
	n=$(ns_exec a "$MEMIFCTL" -j show sa | jq '.[0].regions | length')
	note "zero-copy: sa maps $n regions"
	[ "$n" -ge 2 ]
}

# With zero-copy=yes (which needs --single-file-segments) DPDK passes its
# hugepage memory itself, a hugetlbfs file per memseg list, as the buffer
# regions.  Only port 0 (id 0), answering pings: once a port is
# connected, DPDK closes its EAL's hugepage fd, and a second port would
# pass a stale fd number (DPDK's memif_connect()).
testpmd_start hpzc 200 "--huge-dir=$HUGE_DIR" --single-file-segments \
	--vdev=net_memif0,role=client,id=0,socket=$SOCK,socket-abstract=no,zero-copy=yes \
	-- --forward-mode=icmpecho --stats-period=5
if testpmd_wait_ready hpzc 60; then
	check "zero-copy: hugetlbfs regions taken, sa connected" \
		wait_oper_up a sa 1 10
	check "zero-copy: a region of hugepages besides the rings" zero_copy_regions
	check "zero-copy: ping -c 20 -s 1400 from sa, 0% loss, payload checked" \
		ns_exec a ping -c 20 -i 0.05 -W 2 -s 1400 -p a55aff00 -q 10.11.0.2
else
	log_file "$(bg_log hpzc)" | tail -20
	for t in "zero-copy: hugetlbfs regions taken, sa connected" \
		 "zero-copy: a region of hugepages besides the rings" \
		 "zero-copy: ping -c 20 -s 1400 from sa, 0% loss, payload checked"; do
		ktap_skip "$t" "testpmd with hugepages and zero-copy=yes did not start"
	done
fi
testpmd_stop hpzc >/dev/null
check "zero-copy testpmd stopped: sa waits for a peer again" \
	wait_oper_up a sa 0 5

pmd wire2
check "a new copy-mode testpmd (with --no-huge) is accepted: both UP" \
	carriers 1 10
check "ping -c 20 a -> b" ns_exec a ping -c 20 -i 0.05 -W 2 -q 10.11.0.2
testpmd_stop wire2 >/dev/null

ktap_finished
