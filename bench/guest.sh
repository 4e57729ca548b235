#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The measurements of make bench, run inside a test VM (scripts/bench.sh
# boots it, twice: TCG with 2 vCPUs, then -icount with 1).  Prints one
# line per measurement window:
#
#   BENCH {"mode":"tcg","group":"d2k","path":"memif-server","size":64,
#          "rep":1,"cpus":2,"secs":5.0,"busy":0.93,"pkts":123456,...}
#
# and BENCH-FAIL lines for what could not be measured; the host side
# (bench/report.py) makes the table, the JSON and the plot.  Groups:
#
#   d2k  DPDK -> kernel: dpdk-testpmd txonly (UDP to port 9) into the
#        kernel; pkts = the kernel's rx_packets, delivered = datagrams the
#        kernel queued to a UDP socket (Udp InDatagrams; udp_sink drains it)
#   k2d  kernel -> DPDK: pktgen on the kernel's device, testpmd rxonly;
#        pkts = what testpmd received, sent = the kernel's tx_packets
#   v2k  VPP -> kernel: VPP's packet generator (UDP to port 9) out of
#        its interface to the kernel; pkts and delivered as d2k
#   k2v  kernel -> VPP: pktgen on the kernel's device; sent = the
#        kernel's tx_packets, pkts = delivered = VPP's rx counter
#   k2k  kernel <-> kernel between two namespaces: iperf3 TCP with 1 and
#        4 streams (bits/s), UDP with 64-byte frames (pkts received)
#   queues  memif pairs with 1 and 2 queues: two iperf3 processes, 2 TCP
#        streams each (2 vCPUs only)
#   mem  shared and kernel memory of a connected memif pair
#
# Paths: memif-server (the kernel is the memif server, testpmd the
# client), memif-client (the reverse), tap (testpmd's net_tap), vhost-net
# (testpmd's virtio_user on /dev/vhost-net), af_packet and af_xdp
# (testpmd's net_af_packet and net_af_xdp on a veth pair), memif and veth
# (k2k);
# memif-server-xdp and memif-client-xdp (d2k only): the same with an XDP
# program that drops every frame, the bound of memif's rx path.  With VPP
# (v2k, k2v; skipped without ../shared/peers): memif-client (the kernel
# a memif client of VPP), memif-server, tap (VPP's tap v2) and host-if
# (VPP's AF_PACKET host-interface on a veth pair).
#
# Environment: MEMIF_BENCH_MODE (a name for the mode, tcg), _SECONDS (5,
# per window), _REPS (3 windows per figure), _ONLY (an ERE on
# "group/path/size": run only those), _THREADED (1: memif links' NAPI
# in kernel threads, sysfs "threaded", instead of softirq).  Knobs that
# turn one of memif's ways on or off, to measure what it brings: _GRO
# (off: ethtool -K gro off on the memif links), _UDP_GRO (1: the sink
# asks for UDP GRO and counts what it receives itself), _OFFLOADS (off: k2k's
# memif pair without its offload extension), _BUSY_POLL (microseconds:
# sockets busy-poll their NAPI context, net.core.busy_read and
# busy_poll), _COALESCE (ethtool -C's arguments for every memif link:
# "tx-usecs 0" kicks at the end of every batch).  Every step has a
# timeout: a path that hangs or fails is reported and skipped.

# shellcheck source=selftests/drivers/net/memif/memif_lib.sh
source "$(dirname "$0")/../selftests/drivers/net/memif/peers_lib.sh"

MODE=${MEMIF_BENCH_MODE:-tcg}
WIN=${MEMIF_BENCH_SECONDS:-5}
REPS=${MEMIF_BENCH_REPS:-3}
ONLY=${MEMIF_BENCH_ONLY:-.}
THREADED=${MEMIF_BENCH_THREADED:-}
GRO=${MEMIF_BENCH_GRO:-on}
OFFLOADS=${MEMIF_BENCH_OFFLOADS:-on}
BUSY_POLL=${MEMIF_BENCH_BUSY_POLL:-0}
COALESCE=${MEMIF_BENCH_COALESCE:-}
UDP_GRO=${MEMIF_BENCH_UDP_GRO:-}
SINK=$REPO_ROOT/bench/udp_sink
CPUS=$(nproc)
KMAC=02:00:00:00:00:02		# the kernel's end
DMAC=02:00:00:00:00:01		# DPDK's end
SOCK=/run/bench.sock
# testpmd on one vCPU (its main and forwarding lcores), the kernel's own
# work free to run on the other: testpmd polling on every vCPU has hung
# the guest.
PMD_CPU=$((CPUS - 1))

set -u

# fail GROUP PATH SIZE WHY: a figure that could not be measured.
fail() {
	printf 'BENCH-FAIL %s/%s/%s: %s\n' "$1" "$2" "$3" "$4"
}

wanted() {
	[[ "$1/$2/$3" =~ $ONLY ]]
}

# snap DEV: S_T (µs), S_BUSY and S_IDLE (jiffies, all CPUs), S_RX and S_TX
# (DEV's packets), S_UDP (datagrams delivered to UDP sockets) and S_UDPERR
# (datagrams that were not: a full socket buffer, a bad checksum), read
# with shell builtins only: no fork to stretch the window on a busy vCPU.
snap() {
	local l f
	S_RX=0 S_TX=0 S_UDP=0 S_UDPERR=0
	if [ -n "$1" ]; then
		read -r S_RX < "/sys/class/net/$1/statistics/rx_packets"
		read -r S_TX < "/sys/class/net/$1/statistics/tx_packets"
	fi
	S_T=${EPOCHREALTIME/./}
	read -r -a f < /proc/stat
	S_BUSY=$((f[1] + f[2] + f[3] + f[6] + f[7] + f[8]))
	S_IDLE=$((f[4] + f[5]))
	while read -r l; do
		# InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors
		[[ $l =~ ^Udp:\ ([0-9]+)\ [0-9]+\ ([0-9]+) ]] &&
			S_UDP=${BASH_REMATCH[1]} S_UDPERR=${BASH_REMATCH[2]}
	done < /proc/net/snmp
	# With UDP GRO the sink counts datagrams: the stack counts buffers.
	[ -z "$UDP_GRO" ] || read -r S_UDP < "$SINK_COUNT"
}

# begin DEV, finish DEV: a window; finish sets W with
# '"secs":S,"busy":B' (busy: the share of all vCPUs' time not idle) and
# D_RX, D_TX, D_UDP, D_UDPERR.
begin() {
	snap "$1"
	W0_T=$S_T W0_B=$S_BUSY W0_I=$S_IDLE W0_RX=$S_RX W0_TX=$S_TX W0_UDP=$S_UDP
	W0_UDPERR=$S_UDPERR
}

finish() {
	local b i
	snap "$1"
	D_RX=$((S_RX - W0_RX)) D_TX=$((S_TX - W0_TX)) D_UDP=$((S_UDP - W0_UDP))
	D_UDPERR=$((S_UDPERR - W0_UDPERR))
	b=$((S_BUSY - W0_B)) i=$((S_IDLE - W0_I))
	[ $((b + i)) -gt 0 ] || i=1
	W=$(printf '"secs":%d.%06d,"busy":%d.%04d' $(((S_T - W0_T) / 1000000)) \
		$(((S_T - W0_T) % 1000000)) $((b / (b + i))) \
		$((b * 10000 / (b + i) % 10000)))
}

# kicks DEV DIR: the kicks a memif link DEV took from its peer (rx) or
# sent it (tx), all queues, from ethtool -S; nothing for other devices.
kicks() {
	ethtool -S "$1" 2>/dev/null |
		awk -v d="$2" '$1 ~ "^" d "_queue_[0-9]+_kicks:$" { n += $2; f = 1 }
			END { if (f) print n }'
}

# window DEV DIR: begin, WIN seconds, finish; for a memif link, W also
# has '"kicks":N', those DEV took (DIR rx) or sent (tx), read just outside
# the window as it forks: the count spans a little more than the
# window's packets, so a figure per packet is a little high.
window() {
	local k0 k1
	k0=$(kicks "$1" "$2")
	begin "$1"
	sleep "$WIN"
	finish "$1"
	k1=$(kicks "$1" "$2")
	[ -z "$k0" ] || [ -z "$k1" ] || W="$W,\"kicks\":$((k1 - k0))"
}

# emit GROUP PATH SIZE REP JSON_FIELDS
emit() {
	printf 'BENCH {"mode":"%s","group":"%s","path":"%s","size":%d,"rep":%d,"cpus":%d,%s}\n' \
		"$MODE" "$1" "$2" "$3" "$4" "$CPUS" "$5"
}

# pmd_start NAME VDEV TESTPMD_ARG...: testpmd on vCPU PMD_CPU.
pmd_start() {
	local name=$1 vdev=$2
	shift 2
	testpmd_start "$name" 600 "--lcores=(0,1)@$PMD_CPU" "--vdev=$vdev" \
		-- "$@"
	testpmd_wait_ready "$name" 300
}

# vdev_of PATH: testpmd's --vdev for PATH.
vdev_of() {
	case "${1%-xdp}" in
	memif-server)
		echo "net_memif0,role=client,id=0,socket=$SOCK,socket-abstract=no,mac=$DMAC" ;;
	memif-client)
		echo "net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no,mac=$DMAC" ;;
	tap)
		echo "net_tap0,iface=btap0,mac=$DMAC" ;;
	vhost-net)
		echo "virtio_user0,path=/dev/vhost-net,queue_size=1024,iface=bvhost0,mac=$DMAC" ;;
	af_packet)
		echo "net_af_packet0,iface=bveth1" ;;
	af_xdp)
		echo "net_af_xdp0,iface=bveth1,start_queue=0,queue_count=1" ;;
	esac
}

# dev_of PATH: the kernel's device on PATH (path_up and vpp_up create
# the memif links and veth pairs; testpmd and VPP the tap devices).
dev_of() {
	case "$1" in
	memif-*) echo bmemif0 ;;
	tap) echo btap0 ;;
	vhost-net) echo bvhost0 ;;
	af_*|host-if) echo bveth0 ;;
	esac
}

# dev_ready PATH DEV: DEV, up, can carry frames: a memif link is
# connected (operstate UP); a tap has no operstate of its own
# ("unknown"): its carrier, as a veth's.
dev_ready() {
	if [ "${1#memif}" != "$1" ]; then
		wait_oper_up - "$2" 1 20
	else
		wait_for "[ \"\$(cat /sys/class/net/$2/carrier)\" = 1 ]" 20
	fi
}

# kernel_end PATH DEV: once DEV exists, it gets KMAC and 10.9.0.2/24,
# goes up and is ready (dev_ready); a memif link gets the knobs.
kernel_end() {
	wait_for "[ -d /sys/class/net/$2 ]" 20 || return 1
	if [ "$(cat "/sys/class/net/$2/address")" != "$KMAC" ]; then
		ip link set dev "$2" address "$KMAC" || return 1
	fi
	ip addr add 10.9.0.2/24 dev "$2" && ip link set dev "$2" up &&
		dev_ready "$1" "$2" || return 1
	if [ "${1#memif}" != "$1" ]; then
		knobs "$2" || return 1
	fi
}

# knobs DEV: the memif link DEV as _THREADED, _GRO and _COALESCE say.
knobs() {
	if [ -n "$THREADED" ]; then
		echo 1 > "/sys/class/net/$1/threaded" || return 1
	fi
	if [ "$GRO" != on ]; then
		ethtool -K "$1" gro "$GRO" || return 1
	fi
	if [ -n "$COALESCE" ]; then
		# shellcheck disable=SC2086 # arguments
		ethtool -C "$1" $COALESCE || return 1
	fi
}

# path_up PATH NAME TESTPMD_ARG...: testpmd with PATH's vdev, the
# kernel's device with 10.9.0.2/24 and KMAC, carrier on.
path_up() {
	local path=$1 name=$2 dev
	shift 2
	dev=$(dev_of "$path")
	rm -f "$SOCK"
	if [ "${path%-xdp}" = memif-server ]; then
		memifctl add "$dev" role server socket "$SOCK" id 0 || return 1
		ip link set dev "$dev" address "$KMAC" up || return 1
	fi
	if [ "${path#af_}" != "$path" ]; then
		# testpmd's AF_PACKET or AF_XDP port on the other end.
		ip link add "$dev" address "$KMAC" type veth peer name bveth1 \
			address "$DMAC" && ip link set dev bveth1 up || return 1
	fi
	pmd_start "$name" "$(vdev_of "$path")" "$@" || return 1
	if [ "${path%-xdp}" = memif-client ]; then
		memifctl add "$dev" role client socket "$SOCK" id 0 || return 1
	fi
	kernel_end "$path" "$dev" || return 1
	if [ "${path%-xdp}" != "$path" ]; then
		ip link set dev "$dev" xdpdrv obj "$XDP_OBJ" sec xdp_drop_all
	fi
}

path_down() {
	local path=$1 name=$2 dev
	dev=$(dev_of "$path")
	testpmd_stop "$name" 10 >/dev/null
	case "$path" in
	memif-*|af_*) ip link del dev "$dev" 2>/dev/null ;;
	esac
	rm -f "$SOCK"
	return 0
}

# rx_windows GROUP PATH SIZE DEV: after 2 s, REPS windows of what DEV
# received and what reached the UDP socket.
rx_windows() {
	local rep
	sleep 2
	for ((rep = 1; rep <= REPS; rep++)); do
		window "$4" rx
		emit "$1" "$2" "$3" "$rep" \
			"$W,\"pkts\":$D_RX,\"delivered\":$D_UDP,\"udp_errors\":$D_UDPERR"
	done
}

# d2k PATH SIZE: testpmd txonly into the kernel.
d2k() {
	local path=$1 size=$2 dev
	dev=$(dev_of "$path")
	if ! path_up "$path" d2k --forward-mode=txonly "--txpkts=$size" \
		"--eth-peer=0,$KMAC" --tx-ip=10.9.0.1,10.9.0.2 --tx-udp=9,9; then
		fail d2k "$path" "$size" "setup failed"
		tail -n 5 "$(bg_log d2k)" 2>/dev/null | log_file -
		path_down "$path" d2k
		return
	fi
	rx_windows d2k "$path" "$size" "$dev"
	bg_running d2k || fail d2k "$path" "$size" "testpmd exited"
	path_down "$path" d2k
}

# pmd_rx NAME: PMD_RX, the packets testpmd received on port 0 so far;
# PMD_T, the middle of the time the question took (µs).
pmd_rx() {
	local log n t0
	log=$(bg_log "$1")
	n=$(grep -c 'RX-packets:' "$log")
	t0=${EPOCHREALTIME/./}
	testpmd_cmd "$1" "show port stats 0"
	wait_for "[ \$(grep -c 'RX-packets:' '$log') -gt $n ]" 10 0.02 ||
		return 1
	PMD_T=$(((t0 + ${EPOCHREALTIME/./}) / 2))
	PMD_RX=$(grep 'RX-packets:' "$log" | tail -n 1 | awk '{ print $2 }')
}

pg() {
	echo "$2" > "/proc/net/pktgen/$1"
}

# pktgen_on DEV SIZE: pktgen's thread 0 sends SIZE-byte UDP frames to
# 10.9.0.1 port 9 at DMAC out of DEV, for 2 s before it returns, until
# pktgen_off.
pktgen_on() {
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device $1"
	pg "$1" "count 0"
	pg "$1" "clone_skb 0"
	pg "$1" "pkt_size $2"
	pg "$1" "delay 0"
	pg "$1" "dst 10.9.0.1"
	pg "$1" "dst_mac $DMAC"
	pg "$1" "udp_src_min 9"
	pg "$1" "udp_src_max 9"
	pg "$1" "udp_dst_min 9"
	pg "$1" "udp_dst_max 9"
	timeout "$((REPS * (WIN + 15) + 30))" sh -c 'echo start > /proc/net/pktgen/pgctrl' &
	PG_PID=$!
	sleep 2
}

pktgen_off() {
	echo stop > /proc/net/pktgen/pgctrl
	wait "$PG_PID" 2>/dev/null
	pg kpktgend_0 rem_device_all
}

# k2d PATH SIZE: pktgen on the kernel's device, testpmd rxonly.
k2d() {
	local path=$1 size=$2 dev rep p0 t0
	dev=$(dev_of "$path")
	if ! path_up "$path" k2d -i --forward-mode=rxonly --auto-start ||
	   ! modprobe pktgen; then
		fail k2d "$path" "$size" "setup failed"
		tail -n 5 "$(bg_log k2d)" 2>/dev/null | log_file -
		path_down "$path" k2d
		return
	fi
	pktgen_on "$dev" "$size"
	for ((rep = 1; rep <= REPS; rep++)); do
		# testpmd's count brackets the kernel's window: its
		# answers take a while on a busy vCPU, so its packets are
		# per second of its own interval (pmd_secs).
		pmd_rx k2d || break
		p0=$PMD_RX t0=$PMD_T
		window "$dev" tx
		pmd_rx k2d || break
		emit k2d "$path" "$size" "$rep" \
			"$W,\"sent\":$D_TX,\"pkts\":$((PMD_RX - p0)),\"pmd_secs\":$(((PMD_T - t0) / 1000000)).$(printf %06d $(((PMD_T - t0) % 1000000)))"
	done
	pktgen_off
	[ "$rep" -gt "$REPS" ] || fail k2d "$path" "$size" "testpmd did not report"
	path_down "$path" k2d
}

# VPP (../shared/peers) as the peer: v2k, VPP's packet generator sending
# out of its interface; k2v, pktgen on the kernel's device.  The paths:
# memif-client (the kernel a memif client of VPP), memif-server (VPP a
# zero-copy memif client of the kernel), tap (VPP's tap v2, over
# vhost-net) and host-if (VPP's host-interface: AF_PACKET on a veth
# pair).  With one vCPU VPP sleeps in interrupt rx-mode; with two it
# polls the other vCPU (main-core), as deployed.
VPP_PATHS=(memif-client memif-server tap host-if)
VSOCK=/run/bench-k.sock

# vpp_if PATH: VPP's interface on PATH (dev_of: the kernel's).
vpp_if() {
	case "$1" in
	memif-client) echo memif0/0 ;;
	memif-server) echo memif1/0 ;;
	tap) echo tap0 ;;
	host-if) echo host-bveth1 ;;
	esac
}

# vpp_up PATH: VPP and PATH, the kernel's device with 10.9.0.2/24 and
# KMAC, VPP's with DMAC and no address (what it receives is dropped at
# ip4-input: its rx counter is the figure).
vpp_up() {
	local path=$1 dev vif mode=interrupt
	dev=$(dev_of "$path")
	vif=$(vpp_if "$path")
	rm -f "$VSOCK" "$VPP_RUN/memif.sock"
	if [ "$CPUS" -ge 2 ]; then
		mode=polling
		VPP_POLL_SLEEP='' vpp_start "$VPP_BUFFERS" \
			"cpu { main-core $PMD_CPU }" || return 1
	else
		vpp_start "$VPP_BUFFERS" || return 1
	fi
	case "$path" in
	memif-client)
		vppctl create interface memif id 0 master hw-addr "$DMAC" &&
			memifctl add "$dev" role client socket "$VPP_RUN/memif.sock" id 0 ;;
	memif-server)
		memifctl add "$dev" role server socket "$VSOCK" id 0 &&
			ip link set dev "$dev" address "$KMAC" up &&
			vppctl create memif socket id 1 filename "$VSOCK" &&
			vppctl create interface memif id 0 socket-id 1 slave \
				hw-addr "$DMAC" $VPP_ZC ;;
	tap)
		vppctl create tap id 0 host-if-name "$dev" hw-addr "$DMAC" \
			host-mac-addr "$KMAC" ;;
	host-if)
		ip link add "$dev" address "$KMAC" type veth peer name bveth1 &&
			ip link set dev bveth1 up &&
			vppctl create host-interface name bveth1 hw-addr "$DMAC" ;;
	esac >/dev/null || return 1
	vppctl set interface state "$vif" up || return 1
	kernel_end "$path" "$dev" || return 1
	# A memif interface has its queues once connected: only then.
	if ! vppctl set interface rx-mode "$vif" "$mode" ||
	   ! vppctl show interface rx-placement | grep -q "$vif queue 0 ($mode)"; then
		log "VPP's $vif is not in $mode rx-mode"
		return 1
	fi
}

vpp_down() {
	local dev
	dev=$(dev_of "$1")
	vpp_stop
	case "$1" in
	memif-*|host-if) ip link del dev "$dev" 2>/dev/null ;;
	esac
	rm -f "$VSOCK" "$VPP_RUN/memif.sock"
	return 0
}

# vpp_count VIF WHAT: VPP_N, VIF's counter WHAT ("rx packets") so far;
# VPP_T, the middle of the time the question took (µs).
vpp_count() {
	local t0
	t0=${EPOCHREALTIME/./}
	VPP_N=$(vppctl show interface "$1" |
		awk -v w=" $2 " 'index($0, w) { sub(/\r$/, ""); print $NF; exit }')
	VPP_T=$(((t0 + ${EPOCHREALTIME/./}) / 2))
	[ -n "$VPP_N" ] || VPP_N=0
}

# v2k PATH SIZE: VPP's packet generator out of VPP's interface.
v2k() {
	local path=$1 size=$2 dev vif
	dev=$(dev_of "$path")
	vif=$(vpp_if "$path")
	if ! vpp_up "$path" ||
	   ! vppctl packet-generator new name s0 limit -1 size "$size-$size" \
		node "$vif-output" data "{" IP4: "$DMAC" -\> "$KMAC" \
		UDP: 10.9.0.1 -\> 10.9.0.2 UDP: 9 -\> 9 \
		incrementing $((size - 42)) "}" ||
	   ! vppctl packet-generator enable-stream s0; then
		fail v2k "$path" "$size" "setup failed"
		tail -n 5 "$(bg_log vpp)" 2>/dev/null | log_file -
		vpp_down "$path"
		return
	fi
	rx_windows v2k "$path" "$size" "$dev"
	bg_running vpp || fail v2k "$path" "$size" "VPP exited"
	vpp_down "$path"
}

# k2v PATH SIZE: pktgen on the kernel's device into VPP.
k2v() {
	local path=$1 size=$2 dev vif rep p0 t0
	dev=$(dev_of "$path")
	vif=$(vpp_if "$path")
	if ! vpp_up "$path" || ! modprobe pktgen; then
		fail k2v "$path" "$size" "setup failed"
		tail -n 5 "$(bg_log vpp)" 2>/dev/null | log_file -
		vpp_down "$path"
		return
	fi
	pktgen_on "$dev" "$size"
	for ((rep = 1; rep <= REPS; rep++)); do
		vpp_count "$vif" "rx packets"
		p0=$VPP_N t0=$VPP_T
		window "$dev" tx
		vpp_count "$vif" "rx packets"
		emit k2v "$path" "$size" "$rep" \
			"$W,\"sent\":$D_TX,\"pkts\":$((VPP_N - p0)),\"delivered\":$((VPP_N - p0)),\"pmd_secs\":$(((VPP_T - t0) / 1000000)).$(printf %06d $(((VPP_T - t0) % 1000000)))"
	done
	pktgen_off
	bg_running vpp || fail k2v "$path" "$size" "VPP exited"
	vpp_down "$path"
}

# pair_up KIND QUEUES: ns a (10.8.0.1) and b (10.8.0.2) joined by a memif
# pair (a server, b client) or a veth pair; iperf3 servers in a.
pair_up() {
	local kind=$1 q=$2
	ns_create a b
	if [ "$kind" = veth ]; then
		veth_pair a ka b kb
	else
		rm -f "$SOCK"
		memifctl add ka role server socket "$SOCK" id 0 queues "$q" \
			offloads "$OFFLOADS" &&
			memifctl add kb role client socket "$SOCK" id 0 queues "$q" \
				offloads "$OFFLOADS" &&
			ip link set dev ka netns a && ip link set dev kb netns b &&
			ip -n a link set dev ka up && ip -n b link set dev kb up ||
			return 1
	fi
	if [ -n "$THREADED" ] && [ "$kind" = memif ]; then
		ip netns exec a sh -c "echo 1 > /sys/class/net/ka/threaded" &&
			ip netns exec b sh -c "echo 1 > /sys/class/net/kb/threaded" ||
			return 1
	fi
	if [ "$GRO" != on ] && [ "$kind" = memif ]; then
		ip netns exec a ethtool -K ka gro "$GRO" &&
			ip netns exec b ethtool -K kb gro "$GRO" || return 1
	fi
	if [ -n "$COALESCE" ] && [ "$kind" = memif ]; then
		# shellcheck disable=SC2086 # arguments
		ip netns exec a ethtool -C ka $COALESCE &&
			ip netns exec b ethtool -C kb $COALESCE || return 1
	fi
	ip -n a addr add 10.8.0.1/24 dev ka &&
		ip -n b addr add 10.8.0.2/24 dev kb &&
		wait_oper_up a ka 1 20 && wait_oper_up b kb 1 20 || return 1
	bg_start iperf1 3600 ip netns exec a iperf3 -s -p 5201
	bg_start iperf2 3600 ip netns exec a iperf3 -s -p 5202
	wait_for "ip netns exec a ss -ltn | grep -q ':5202 '" 20 &&
		ip netns exec b ping -c 1 -W 5 10.8.0.1 >/dev/null
}

pair_down() {
	bg_stop iperf1 >/dev/null
	bg_stop iperf2 >/dev/null
	ns_del a
	ns_del b
	rm -f "$SOCK"
}

# iperf PORT ARG...: an iperf3 client in b, JSON on stdout.
iperf() {
	local port=$1
	shift
	timeout "$((WIN + 30))" ip netns exec b iperf3 -c 10.8.0.1 -p "$port" \
		-t "$WIN" -J "$@"
}

# k2k KIND: TCP 1 and 4 streams, UDP 64-byte frames.
k2k() {
	local kind=$1 rep out bps pk
	if ! pair_up "$kind" 1; then
		fail k2k "$kind" 0 "setup failed"
		pair_down
		return
	fi
	for ((rep = 1; rep <= REPS; rep++)); do
		if wanted k2k "$kind" tcp1; then
			begin ""
			out=$(iperf 5201) || fail k2k "$kind" tcp1 "iperf3 failed"
			finish ""
			bps=$(jq '.end.sum_received.bits_per_second // 0' <<<"$out")
			emit k2k "$kind" 1 "$rep" "$W,\"test\":\"tcp1\",\"bps\":$bps"
		fi
		if wanted k2k "$kind" tcp4; then
			begin ""
			out=$(iperf 5201 -P 4) || fail k2k "$kind" tcp4 "iperf3 failed"
			finish ""
			bps=$(jq '.end.sum_received.bits_per_second // 0' <<<"$out")
			emit k2k "$kind" 4 "$rep" "$W,\"test\":\"tcp4\",\"bps\":$bps"
		fi
		if wanted k2k "$kind" udp64; then
			begin ""
			# 22 bytes of payload: a 64-byte Ethernet frame
			out=$(iperf 5201 -u -b 0 -l 22) || fail k2k "$kind" udp64 "iperf3 failed"
			finish ""
			pk=$(jq -r '"\"pkts\":\((.end.sum.packets // 0) - (.end.sum.lost_packets // 0)),\"sent\":\(.end.sum.packets // 0),\"iperf_secs\":\(.end.sum.seconds // 1)"' <<<"$out")
			emit k2k "$kind" 64 "$rep" "$W,\"test\":\"udp64\",$pk"
		fi
	done
	pair_down
}

# queues KIND Q: two iperf3 clients at once, 2 TCP streams each.
queues() {
	local kind=$1 q=$2 rep o1 o2 bps pid
	if ! pair_up "$kind" "$q"; then
		fail queues "$kind" "$q" "setup failed"
		pair_down
		return
	fi
	for ((rep = 1; rep <= REPS; rep++)); do
		begin ""
		iperf 5201 -P 2 > "$TEST_TMPDIR/q1" &
		pid=$!
		iperf 5202 -P 2 > "$TEST_TMPDIR/q2"
		wait "$pid"
		finish ""
		o1=$(jq '.end.sum_received.bits_per_second // 0' "$TEST_TMPDIR/q1")
		o2=$(jq '.end.sum_received.bits_per_second // 0' "$TEST_TMPDIR/q2")
		bps=$(awk -v a="$o1" -v b="$o2" 'BEGIN { printf "%.0f", a + b }')
		emit queues "$kind" "$q" "$rep" "$W,\"bps\":$bps"
	done
	pair_down
}

# meminfo FIELD: kB
meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

settle() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
}

# kmem: kB of kernel memory: slab, vmalloc, kernel stacks, page tables.
# With vmapped stacks (vmap_stack) they are already in VmallocUsed.
kmem() {
	local stacks=0
	vmap_stack || stacks=$(meminfo KernelStack)
	echo $(($(meminfo Slab) + $(meminfo VmallocUsed) + stacks +
		$(meminfo PageTables)))
}

# mem Q RING BUF: Shmem (the region: rings and buffers) and kernel memory
# (kmem) a connected pair with Q queues takes, both ends together.
mem() {
	local q=$1 ring=$2 buf=$3 s0 k0 s1 k1
	settle
	s0=$(meminfo Shmem)
	k0=$(kmem)
	rm -f "$SOCK"
	if ! { memifctl add ma role server socket "$SOCK" id 0 queues "$q" \
		ring-size "$ring" buffer-size "$buf" &&
		memifctl add mc role client socket "$SOCK" id 0 queues "$q" \
			ring-size "$ring" buffer-size "$buf" &&
		ip link set dev ma up && ip link set dev mc up &&
		wait_oper_up - mc 1 20; }; then
		fail mem memif "$q" "pair did not connect"
		ip link del dev ma 2>/dev/null
		ip link del dev mc 2>/dev/null
		return
	fi
	settle
	s1=$(meminfo Shmem)
	k1=$(kmem)
	emit mem memif "$q" 1 "\"ring\":$ring,\"buf\":$buf,\"shmem_kb\":$((s1 - s0)),\"kernel_kb\":$((k1 - k0))"
	ip link del dev ma
	ip link del dev mc
}

memif_load
modprobe tun
modprobe vhost_net
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
sysctl -qw net.core.busy_read="$BUSY_POLL" net.core.busy_poll="$BUSY_POLL"
SINK_COUNT=$TEST_TMPDIR/sink.count
bg_start sink 7200 "$SINK" 9 ${UDP_GRO:+"$SINK_COUNT"}
[ -z "$UDP_GRO" ] || wait_for "[ -s $SINK_COUNT ]" 20
XDP_OBJ=$TEST_TMPDIR/xdp.o
clang -O2 -target bpf -I"/usr/include/$(gcc -dumpmachine)" -c \
	"$REPO_ROOT/selftests/drivers/net/memif/xdp_memif.c" -o "$XDP_OBJ" ||
	log "clang failed: no XDP figures"

# The paths testpmd runs on: in both directions, and d2k only.
PMD_PATHS=(memif-server memif-client tap vhost-net af_packet af_xdp)
XDP_PATHS=(memif-server-xdp memif-client-xdp)

# any_pmd: whether a wanted figure runs testpmd.
any_pmd() {
	local g p s
	for g in d2k k2d; do
		for p in "${PMD_PATHS[@]}" "${XDP_PATHS[@]}"; do
			for s in 64 1500; do
				wanted "$g" "$p" "$s" && return 0
			done
		done
	done
	return 1
}

# The first testpmd reads DPDK's libraries over 9p: under -icount that
# took minutes of guest time.  Do it once, outside any figure.
if any_pmd; then
	timeout 900 dpdk-testpmd --no-huge --no-pci -m 64 --file-prefix=warm \
		"--lcores=0@$PMD_CPU" -- --help > /dev/null 2>&1
fi
log "mode $MODE, $CPUS vCPUs, $REPS windows of $WIN s${THREADED:+, threaded NAPI}, GRO $GRO, offloads $OFFLOADS, busy poll $BUSY_POLL us${COALESCE:+, ethtool -C $COALESCE}${UDP_GRO:+, sink with UDP GRO}"

for size in 64 1500; do
	for path in "${PMD_PATHS[@]}"; do
		wanted d2k "$path" "$size" && d2k "$path" "$size"
		wanted k2d "$path" "$size" && k2d "$path" "$size"
	done
	for path in "${XDP_PATHS[@]}"; do
		wanted d2k "$path" "$size" && d2k "$path" "$size"
	done
done
any_vpp=
for size in 64 1500; do
	for path in "${VPP_PATHS[@]}"; do
		wanted v2k "$path" "$size" || wanted k2v "$path" "$size" &&
			any_vpp=1
	done
done
if [ -n "$any_vpp" ] && ! [ -x "$VPP_BIN/vpp" ]; then
	fail v2k vpp 0 "no VPP build in $PEERS (see its README): no VPP figures"
elif [ -n "$any_vpp" ]; then
	# VPP's default memif client: zero-copy over hugepage buffers.
	VPP_ZC=
	VPP_BUFFERS="buffers { buffers-per-numa 16384 page-size default-hugepage default data-size 2048 }"
	if ! hugepages_setup 160; then
		log "no hugepages: VPP's memif client copies"
		VPP_ZC=no-zero-copy
		VPP_BUFFERS=
	fi
	for size in 64 1500; do
		for path in "${VPP_PATHS[@]}"; do
			wanted v2k "$path" "$size" && v2k "$path" "$size"
			wanted k2v "$path" "$size" && k2v "$path" "$size"
		done
	done
fi
for kind in memif veth; do
	wanted k2k "$kind" . && k2k "$kind"
done
if [ "$CPUS" -ge 2 ]; then
	for q in 1 2; do
		wanted queues memif "$q" && queues memif "$q"
	done
fi
if wanted mem memif .; then
	mem 1 1024 2048
	mem 2 1024 2048
fi
echo "BENCH-END"
