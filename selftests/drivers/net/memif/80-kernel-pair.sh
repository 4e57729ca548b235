#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel to kernel: a memif server (master) in netns a and a client
# (slave) in netns b on one socket: ping, iperf3 both ways, SHA-256 end to
# end, also with NAPI in threads and with busy-polling sockets; offloads
# (a virtio_net_hdr on every frame: TSO super-frames and
# partial checksums cross whole) both ways, and none when either end
# turns them off; MTU 9000 over chained 2048-byte buffers; two queues
# each way.  The socket file exists while the server is up and is gone
# after.  A small frame costs a receiving socket no more than its slab
# head (not napi_alloc_skb()'s 1 kB fragment of 6.1 and 6.12).
#
#   ns a: m0 (server, id 7) ==[/run/k.sock]== s0 (client, id 7) :ns b

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping iperf3 python3 ethtool
require_memif_ko
require_memifctl

SOCK=/run/k.sock

pair() {
	kernel_pair "$SOCK" 7 10.9.0 "$@"
}

connected() {
	wait_oper_up a m0 1 10 && wait_oper_up b s0 1 10
}

unpair() {
	ip -n a link del dev m0 2>/dev/null
	ip -n b link del dev s0 2>/dev/null
}

# threaded 0|1: both links' NAPI in kernel threads, or in softirq.
threaded() {
	ns_exec a sh -c "echo $1 > /sys/class/net/m0/threaded" &&
		ns_exec b sh -c "echo $1 > /sys/class/net/s0/threaded"
}

# busy_poll US: sockets busy-poll the NAPI context their packets came
# from (global sysctls).
busy_poll() {
	sysctl -qw net.core.busy_read="$1" net.core.busy_poll="$1"
}

# offloads NS DEV: "tx,rx" of memifctl show's run_offloads_*, each
# true or false.
offloads() {
	in_ns "$1" "$MEMIFCTL" -j show "$2" |
		jq -r '.[0] | "\(.run_offloads_tx),\(.run_offloads_rx)"'
}

# avg_rx_frame NS DEV: bytes per frame DEV received.
avg_rx_frame() {
	ip -n "$1" -j -s link show dev "$2" |
		jq '.[0].stats64.rx | if .packets > 0 then (.bytes / .packets | floor) else 0 end'
}

# rx_cost: bytes of a UDP socket's receive buffer (its sk_rmem_alloc, as
# /proc/net/udp shows it) that each of 32 64-byte frames from b costs in
# a: the truesize of the skb m0 built.  Prints 0 unless all 32 were
# queued when it was read, and the queue was empty once they were read.
# A socket that reads less often than frames come drops once its buffer
# (212992 B by default) is full: the less each costs, the more of a
# burst it holds.
rx_cost() {
	ns_exec a python3 - "$(scaled 10)" <<'PY'
import socket, subprocess, sys, time
N, PORT = 32, 9977
def rx_queue():
    with open("/proc/net/udp") as f:
        for line in f:
            col = line.split()
            if col[1].endswith(":%04X" % PORT):
                return int(col[4].split(":")[1], 16)
    return -1
def count():
    global n
    try:
        while True:
            rx.recv(64)
            n += 1
    except BlockingIOError:
        pass
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("10.9.0.1", PORT))
rx.setblocking(False)
subprocess.run(["ip", "netns", "exec", "b", "python3", "-c",
                "import socket\n"
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                "for i in range(%d): s.sendto(bytes(18), ('10.9.0.1', %d))"
                % (N, PORT)], check=True)
# the same figure twice, 0.2 s apart: nothing more on its way
end = time.monotonic() + float(sys.argv[1])
last = -1
while time.monotonic() < end:
    rmem = rx_queue()
    if rmem > 0 and rmem == last:
        break
    last = rmem
    time.sleep(0.2)
n = 0
count()
print(rmem // N if n == N and rx_queue() == 0 else 0)
PY
}

ktap_plan 36

memif_load
ns_create a b
check "server in a, client in b: both UP" pair
check "the server listens on $SOCK" test -S "$SOCK"
check "the client sees the server's link name" \
	test "$(memif_json b s0 peer_name)" = m0
check "the server sees the client's link name" \
	test "$(memif_json a m0 peer_name)" = s0
check "ping -c 100 -i 0.02: 0% loss" \
	ns_exec b ping -c 100 -i 0.02 -W 2 -q 10.9.0.1
cost=$(rx_cost)
log "a 64-byte frame costs the receiving socket ${cost:-?} bytes (0: not all 32 measured)"
check "a 64-byte frame costs a UDP socket less than a 1 kB fragment" \
	test "${cost:-0}" -gt 0 -a "${cost:-0}" -lt 1280
check "iperf3 TCP b -> a" iperf3_run a 10.9.0.1 b -t 3
check "iperf3 TCP a -> b" iperf3_run a 10.9.0.1 b -t 3 -R
check "8 MB over TCP, SHA-256 intact" tcp_sha_check a 10.9.0.1 b 8000000
check "no errors on either side" no_errors a m0 b s0
check "threaded NAPI at both ends" threaded 1
check "threaded NAPI: 8 MB, SHA-256 intact" tcp_sha_check a 10.9.0.1 b 8000000
check "back to NAPI in softirq" threaded 0
check "sockets busy-polling the links' NAPI (50 us)" busy_poll 50
check "busy polling: ping" \
	sh -c "ip netns exec b ping -c 20 -i 0.02 -W 2 -q 10.9.0.1 >/dev/null"
check "busy polling: 8 MB, SHA-256 intact" tcp_sha_check a 10.9.0.1 b 8000000
busy_poll 0
check "offloads both ways" \
	test "$(offloads a m0)/$(offloads b s0)" = true,true/true,true
check "TSO super-frames crossed: frames larger than the MTU" \
	test "$(avg_rx_frame a m0)" -gt 1514
unpair
check "the socket file is gone with the server" \
	wait_for "[ ! -e $SOCK ]" 5

# offloads off at one end: plain frames both ways, whichever end it is.
for off in m0 s0; do
	if [ "$off" = m0 ]; then
		ns_exec a "$MEMIFCTL" add m0 role master socket "$SOCK" id 7 offloads off
		ns_exec b "$MEMIFCTL" add s0 role slave socket "$SOCK" id 7
	else
		ns_exec a "$MEMIFCTL" add m0 role master socket "$SOCK" id 7
		ns_exec b "$MEMIFCTL" add s0 role slave socket "$SOCK" id 7 offloads off
	fi
	link_up a m0 10.9.0.1/24 && link_up b s0 10.9.0.2/24
	check "offloads off on $off: connected" connected
	check "offloads off on $off: none either way" \
		test "$(offloads a m0)/$(offloads b s0)" = false,false/false,false
	check "offloads off on $off: 8 MB, SHA-256 intact" \
		tcp_sha_check a 10.9.0.1 b 8000000
	check "offloads off on $off: no frame larger than the MTU" \
		test "$(avg_rx_frame a m0)" -le 1514
	unpair
done

check "MTU 9000 over 2048-byte buffers" pair buffer-size 2048
ip -n a link set dev m0 mtu 9000
ip -n b link set dev s0 mtu 9000
check "ping with an 8972-byte payload, no fragmentation" \
	ns_exec b ping -c 20 -i 0.05 -W 2 -M "do" -s 8972 -p 5a 10.9.0.1
check "iperf3 TCP at MTU 9000" iperf3_run a 10.9.0.1 b -t 3
check "8 MB at MTU 9000, SHA-256 intact" tcp_sha_check a 10.9.0.1 b 8000000
unpair

check "two queues each way" pair queues 2
check "two rings each way negotiated" \
	test "$(memif_json b s0 c2s_rings)/$(memif_json b s0 s2c_rings)" = 2/2
both_ways() {
	iperf3_run a 10.9.0.1 b "$@" && iperf3_run a 10.9.0.1 b "$@" -R
}

# both_rings NS DEV: DEV sent more than 100 packets on each of its 2 rings
both_rings() {
	[ "$(queue_packets "$1" "$2" tx 0)" -gt 100 ] &&
		[ "$(queue_packets "$1" "$2" tx 1)" -gt 100 ]
}

check "iperf3 16 streams each way" both_ways -t 3 -P 16
check "client sent on both rings" both_rings b s0
check "server sent on both rings" both_rings a m0

ktap_finished
