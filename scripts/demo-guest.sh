#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, as it runs inside the test VM (scripts/demo.sh boots it):
# a kernel memif client pings DPDK testpmd, then testpmd carries ping and
# iperf3 between two kernel memif links in two network namespaces.

set -eu
cd "$(dirname "$0")/.."
MEMIFCTL=$PWD/tools/memifctl/memifctl
PMD=(dpdk-testpmd --no-huge --no-pci -m 64 --lcores "0@0,1@1")

say() {
	printf '\n\033[1m==> %s\033[0m\n' "$*"
}

run() {
	printf '$ %s\n' "$*"
	"$@"
}

wait_log() {
	for _ in $(seq 300); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "timed out waiting for '$2' in $1" >&2
	return 1
}

wait_carrier() {
	for _ in $(seq 100); do
		[ "$(ip netns exec "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = 1 ] &&
			return 0
		sleep 0.1
	done
	return 1
}

cleanup() {
	pkill -INT dpdk-testpmd 2>/dev/null || true
	sleep 1
	ip netns del a 2>/dev/null || true
	ip netns del b 2>/dev/null || true
	rmmod memif 2>/dev/null || true
}
trap cleanup EXIT

say "load the module"
run insmod drivers/net/memif/memif.ko

say "(a) DPDK testpmd as memif server, answering ARP and ping"
rm -f /run/m1.sock
timeout 120 "${PMD[@]}" --file-prefix=echo \
	--vdev=net_memif0,role=server,id=0,socket=/run/m1.sock,socket-abstract=no \
	-- --forward-mode=icmpecho --stats-period=5 --total-num-mbufs=8192 \
	> /tmp/echo.log 2>&1 &
wait_log /tmp/echo.log "Port statistics"
run "$MEMIFCTL" add memif0 role slave socket /run/m1.sock id 0
run ip addr add 192.168.77.2/24 dev memif0
run ip link set memif0 up
for _ in $(seq 100); do
	[ "$(cat /sys/class/net/memif0/carrier)" = 1 ] && break
	sleep 0.1
done
run "$MEMIFCTL" show memif0
run ping -c 10 -i 0.05 192.168.77.1
run ip -s link show memif0
pkill -INT -f file-prefix=echo
sleep 2

say "(b) testpmd as a wire between two kernel memif links in two netns"
rm -f /run/m2.sock
timeout 120 "${PMD[@]}" --file-prefix=wire \
	--vdev=net_memif0,role=server,id=0,socket=/run/m2.sock,socket-abstract=no \
	--vdev=net_memif1,role=server,id=1,socket=/run/m2.sock,socket-abstract=no \
	-- --forward-mode=io --stats-period=5 --total-num-mbufs=8192 \
	> /tmp/wire.log 2>&1 &
wait_log /tmp/wire.log "Port statistics"
run ip netns add a
run ip netns add b
run "$MEMIFCTL" add ma role client socket /run/m2.sock id 0
run ip link set dev ma netns a
run "$MEMIFCTL" add mb role client socket /run/m2.sock id 1
run ip link set dev mb netns b
run ip -n a addr add 10.10.0.1/24 dev ma
run ip -n a link set dev ma up
run ip -n b addr add 10.10.0.2/24 dev mb
run ip -n b link set dev mb up
wait_carrier a ma
wait_carrier b mb
run ip netns exec a "$MEMIFCTL" show
run ip netns exec a ping -c 100 -i 0.02 -q 10.10.0.2
ip netns exec b iperf3 -s -D -1
sleep 1
run ip netns exec a iperf3 -c 10.10.0.2 -t 4
ip netns exec b iperf3 -s -D -1
sleep 1
run ip netns exec a iperf3 -c 10.10.0.2 -t 4 -R
say "done"
