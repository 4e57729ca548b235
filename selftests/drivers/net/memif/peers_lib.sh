#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the tests against real VPP and libmemif: the builds in
# ../shared/peers from the project's root (MEMIF_PEERS), which only test
# machines have; without them the tests skip.  Nothing of them is part of
# the project.

source "$(dirname "${BASH_SOURCE[0]}")/memif_lib.sh"

PEERS=${MEMIF_PEERS:-$REPO_ROOT/../shared/peers}
VPP_BIN=$PEERS/vpp/bin
LIBMEMIF_BIN=$PEERS/libmemif/bin
LIBMEMIF_BIN128=$PEERS/libmemif/bin-cacheline128
VPP_RUN=/run/vpp

# require_vpp: VPP from $PEERS, or skip.
require_vpp() {
	if [ ! -x "$VPP_BIN/vpp" ] || [ ! -x "$VPP_BIN/vppctl" ]; then
		skip "no VPP build in $PEERS (see its README)"
	fi
}

# require_libmemif: libmemif's examples from $PEERS, or skip.
require_libmemif() {
	if [ ! -x "$LIBMEMIF_BIN/memif_pinger" ] ||
		[ ! -x "$LIBMEMIF_BIN128/memif_pinger" ]; then
		skip "no libmemif build in $PEERS (see its README)"
	fi
}

# vppctl ARG...: VPP's CLI.
vppctl() {
	"$VPP_BIN/vppctl" -s "$VPP_RUN/cli.sock" "$@"
}

# vpp_start [BUFFERS [MORE]]: start VPP (plugins memif, ping, tap and
# af_packet), its log in $(bg_log vpp), stopped at exit, and wait until
# its CLI answers.  BUFFERS replaces the default buffers section:
# "buffers { ... }" with hugepages; MORE is more of the configuration
# ("cpu { main-core 1 }").  VPP_POLL_SLEEP: the main loop's sleep between
# polls, in microseconds (100; empty: none, VPP polls a core of its own).
vpp_start() {
	local conf=$TEST_TMPDIR/vpp.conf
	local buffers=${1:-"buffers { buffers-per-numa 16384 page-size default default data-size 2048 }"}
	local sleep=${VPP_POLL_SLEEP-100}
	mkdir -p "$VPP_RUN"
	cat > "$conf" <<EOF
unix { nodaemon cli-listen $VPP_RUN/cli.sock runtime-dir $VPP_RUN ${sleep:+poll-sleep-usec $sleep} log $TEST_TMPDIR/vpp-unix.log }
socksvr { socket-name $VPP_RUN/api.sock }
statseg { socket-name $VPP_RUN/stats.sock page-size default size 32M }
memory { main-heap-size 256M main-heap-page-size default }
$buffers
${2:-}
plugins { plugin default { disable } plugin memif_plugin.so { enable } plugin ping_plugin.so { enable }
	plugin tap_plugin.so { enable } plugin af_packet_plugin.so { enable } }
EOF
	bg_start vpp "$(scaled 600)" "$VPP_BIN/vpp" -c "$conf"
	defer vpp_stop
	wait_for "vppctl show version >/dev/null 2>&1 || ! bg_running vpp" \
		"$(scaled 60)" 0.5
	if ! bg_running vpp; then
		log_file "$(bg_log vpp)"
		return 1
	fi
}

# vpp_stop: SIGTERM (on SIGINT, VPP prints a backtrace), then as bg_stop.
vpp_stop() {
	local pid
	pid=$(bg_pid vpp)
	[ -n "$pid" ] || return 0
	pkill -TERM -P "$pid" && wait_for "! bg_running vpp" 5 0.1
	bg_stop vpp || :
}

# vpp_kill: SIGKILL, as a crash would (bg_start runs it under timeout).
vpp_kill() {
	pkill -KILL -P "$(bg_pid vpp)" || return 1
	wait_for "! bg_running vpp" 10 0.1 || return 1
	bg_stop vpp || :
}

# ping_ok NS ADDR COUNT SIZE [ARG...]: ping with a pattern of our own: no
# loss, and every reply carries it (ping says "wrong data byte" if not).
ping_ok() {
	local ns=$1 addr=$2 n=$3 size=$4 out rc=0
	shift 4
	out=$(in_ns "$ns" ping -c "$n" -i 0.05 -W 2 -s "$size" -p 5aa5c33c "$@" \
		"$addr" 2>&1) || rc=$?
	if [ "$rc" != 0 ] || [[ $out == *"wrong data"* ]] ||
		[[ $out != *" 0% packet loss"* ]]; then
		printf '%s\n' "$out" | tail -5
		return 1
	fi
	note "ping $addr -s $size: $(printf '%s\n' "$out" | grep -o '[0-9]* received, [0-9.]*% packet loss')"
}

# vpp_ping ADDR COUNT [SIZE]: VPP pings ADDR: every request answered.
vpp_ping() {
	local out
	out=$(vppctl ping "$1" repeat "$2" ${3:+size "$3"} interval 0.05)
	if [[ $out != *"$2 sent, $2 received, 0% packet loss"* ]]; then
		printf '%s\n' "$out" | tail -5
		return 1
	fi
	note "VPP ping $1${3:+ size $3}: $2 sent, $2 received"
}

# hugepages_setup N: N 2 MiB hugepages and hugetlbfs on /dev/hugepages,
# undone at exit.
hugepages_setup() {
	local old
	old=$(cat /proc/sys/vm/nr_hugepages)
	defer sysctl -qw "vm.nr_hugepages=$old"
	sysctl -qw "vm.nr_hugepages=$1" || return 1
	if ! mountpoint -q /dev/hugepages; then
		mkdir -p /dev/hugepages
		mount -t hugetlbfs nodev /dev/hugepages || return 1
		defer umount /dev/hugepages
	fi
	[ "$(cat /proc/sys/vm/nr_hugepages)" -ge "$1" ]
}
