#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of 91-93-hostile-*.sh: one kernel link against memif_evil, a peer
# that breaks the protocol one way per scenario (memif_evil --list), then
# against memif_evil's correct mode, which answers ARP and ping.
#
# Set before use: EV_ROLE (memif_evil's role: client or server), EV_SOCK,
# EV_ID, EV_SECRET, EV_DEV (the kernel link, root namespace), EV_PEER_IP
# (any address on the link's subnet but its own: memif_evil answers all).

source "$(dirname "${BASH_SOURCE[0]}")/memif_lib.sh"

# require_memif_evil: EVIL is memif_evil, as make selftests built it, or
# built here if it is missing or older than its source.
require_memif_evil() {
	EVIL=$TEST_DIR/memif_evil
	if [ ! -x "$EVIL" ] || [ "$EVIL" -ot "$TEST_DIR/memif_evil.c" ]; then
		require_cmd cc
		EVIL=$TEST_TMPDIR/memif_evil
		cc -O2 -Wall -Wextra -Werror -o "$EVIL" "$TEST_DIR/memif_evil.c" ||
			bail "cannot build memif_evil"
	fi
}

# Every line of a refusal is looked for in the kernel log: lift the net
# ratelimit, which would hide most of them at this pace.
hostile_setup() {
	local cost
	cost=$(sysctl -n net.core.message_cost)
	defer sysctl -qw "net.core.message_cost=$cost"
	sysctl -qw net.core.message_cost=0
	defer bad_stop
}

# evil SCENARIO [ARG...]: run memif_evil in the foreground (it gives up
# by itself when the kernel does not answer within 10 s).
evil() {
	local sc=$1
	shift
	"$EVIL" --role "$EV_ROLE" --socket "$EV_SOCK" --id "$EV_ID" \
		--secret "$EV_SECRET" --scenario "$sc" "$@"
}

# evil_bg bad SCENARIO [ARG...]: memif_evil in the background, its output
# in bad.log; bad_stop stops it.  Not bg_start: this runs inside check's
# command substitution, a subshell, where bg_start's bookkeeping is lost.
evil_bg() {
	local sc=$2
	shift 2
	"$EVIL" --role "$EV_ROLE" --socket "$EV_SOCK" --id "$EV_ID" \
		--secret "$EV_SECRET" --scenario "$sc" "$@" \
		> "$TEST_TMPDIR/bad.log" 2>&1 < /dev/null &
	echo "$!" > "$TEST_TMPDIR/bad.pid"
}

bad_stop() {
	local pid
	[ -s "$TEST_TMPDIR/bad.pid" ] || return 0
	pid=$(<"$TEST_TMPDIR/bad.pid")
	rm -f "$TEST_TMPDIR/bad.pid"
	kill "$pid" 2>/dev/null || return 0
	wait_for "! kill -0 $pid 2>/dev/null" 5 0.05 || kill -KILL "$pid"
}

# bad_log: the output of the memif_evil started by evil_bg bad ...
bad_log() {
	local l=
	[ -f "$TEST_TMPDIR/bad.log" ] && l=$(<"$TEST_TMPDIR/bad.log")
	echo "$l"
}

# in_bad_log TEXT: memif_evil (evil_bg bad ...) printed TEXT.
in_bad_log() {
	[[ $(bad_log) == *"$1"* ]]
}

# recovered: memif_evil --then-good connected again after its scenario,
# the link carries a ping; then it is stopped and the link is no longer UP.
recovered() {
	local rc=0
	if ! wait_for "has_oper_up 1" 12 0.05; then
		echo "not UP: $(state), $(reason); memif_evil: $(bad_log)"
		rc=1
	elif ! ping -c 1 -W 3 -q "$EV_PEER_IP" >/dev/null; then
		echo "no ping reply"
		rc=1
	fi
	bad_stop
	wait_for "has_oper_up 0" 5 0.05 ||
		{ echo "stayed UP after the peer left"; rc=1; }
	return "$rc"
}

# kmsg_mark: a line in the kernel log; kmsg_since prints what followed it.
kmsg_mark() {
	KMSG_MARK="memif-hostile-mark-$RANDOM-$EPOCHSECONDS"
	echo "$KMSG_MARK" > /dev/kmsg
}

kmsg_since() {
	dmesg | awk -v m="$KMSG_MARK" 'f; index($0, m) { f = 1 }'
}

# logged TEXT: the kernel logged TEXT since the mark.
logged() {
	dmesg | awk -v m="$KMSG_MARK" -v t="$1" \
		'f && index($0, t) { x = 1 } index($0, m) { f = 1 } END { exit !x }'
}

# link_info: L_STATE and L_REASON of the link, from one memifctl call.
link_info() {
	local j
	j=$("$MEMIFCTL" -j show "$EV_DEV")
	L_STATE=
	L_REASON=
	[[ $j =~ \"state\":\"([^\"]*)\" ]] && L_STATE=${BASH_REMATCH[1]}
	[[ $j =~ \"disc_reason\":\"([^\"]*)\" ]] && L_REASON=${BASH_REMATCH[1]}
	return 0
}

reason() {
	link_info
	echo "$L_REASON"
}

state() {
	link_info
	echo "$L_STATE"
}

# has_oper_up 0|1: the link's operstate is UP (1) or not (0), without a
# fork.
has_oper_up() {
	local s=
	read -r s < "/sys/class/net/$EV_DEV/operstate" 2>/dev/null
	if [ "$1" = 1 ]; then [ "$s" = up ]; else [ "$s" != up ]; fi
}

# not_connected: the link is not connected and is not UP.
not_connected() {
	link_info
	[ "$L_STATE" != connected ] && has_oper_up 0
}

# good_pings: a correct memif_evil connects, the link carries a ping to
# it; then it goes away and the link loses its operstate UP.
good_pings() {
	local rc=0 pid
	"$EVIL" --role "$EV_ROLE" --socket "$EV_SOCK" --id "$EV_ID" \
		--secret "$EV_SECRET" --scenario good --seconds 40 \
		> "$TEST_TMPDIR/good.log" 2>&1 &
	pid=$!
	if ! wait_for "has_oper_up 1" 10 0.05; then
		echo "not UP: $(state), $(reason)"
		cat "$TEST_TMPDIR/good.log"
		rc=1
	elif ! ping -c 1 -W 3 -q "$EV_PEER_IP" >/dev/null; then
		echo "no ping reply"
		rc=1
	fi
	kill "$pid"
	wait "$pid"
	wait_for "has_oper_up 0" 5 0.05 ||
		{ echo "stayed UP after the good peer left"; rc=1; }
	return "$rc"
}

# counter NAME: one of the link's ethtool -S counters, one fork.
counter() {
	local k v
	while read -r k v; do
		[ "$k" = "$1:" ] && { echo "$v"; return 0; }
	done < <(ethtool -S "$EV_DEV")
}

# handshake_counted KIND BEFORE: a refusal the link logs (KIND L) or a
# handshake the link ends (H) moved handshake_errors past BEFORE; any other
# left it there.
handshake_counted() {
	local e1
	e1=$(counter handshake_errors)
	case $1 in
	L | H)
		[ "$e1" -gt "$2" ] ||
			{ echo "handshake_errors stayed at $2"; return 1; }
		;;
	*)
		[ "$e1" = "$2" ] ||
			{ echo "handshake_errors $2 -> $e1"; return 1; }
		;;
	esac
}

# reason_recorded KIND WANT: a refusal of ours (KIND L) or a handshake we
# ended (H) is recorded as "local: WANT", one the peer announced (D) as
# "peer: WANT..."; either way WANT is logged.
# shellcheck disable=SC2016	# wait_for evaluates its command
reason_recorded() {
	local kind=$1 want=$2
	case $kind in
	L | H)
		wait_for 'link_info; [ "$L_REASON" = "local: $want" ]' 5 0.1 ||
			{ echo "reason: $L_REASON"; return 1; }
		;;
	D)
		wait_for 'link_info; [[ $L_REASON == "peer: $want"* ]]' 5 0.1 ||
			{ echo "reason: $L_REASON"; return 1; }
		;;
	esac
	wait_for 'logged "$want"' 3 0.1 ||
		{ echo "not logged; kernel log:"; kmsg_since; return 1; }
}

# --- as an unprivileged user ------------------------------------------------

NOBODY=65534

# nobody [--gid G] [--caps] CMD [ARG...]: run CMD as uid 65534 (gid 65534,
# or G), no supplementary groups; with --caps it keeps CAP_NET_ADMIN (as
# ambient capability), as a service allowed to create links would.
nobody() {
	local gid=$NOBODY caps=()
	while :; do
		case $1 in
		--gid) gid=$2; shift 2 ;;
		--caps) caps=(--inh-caps +net_admin --ambient-caps +net_admin); shift ;;
		*) break ;;
		esac
	done
	setpriv --reuid "$NOBODY" --regid "$gid" --clear-groups \
		"${caps[@]}" -- "$@"
}

# require_evil_public: EVIL where uid 65534 may run it (TEST_TMPDIR is
# private).
require_evil_public() {
	require_memif_evil
	require_cmd setpriv
	if [ "${EVIL#"$TEST_TMPDIR"}" != "$EVIL" ]; then
		install -m 0755 "$EVIL" /run/memif_evil
		EVIL=/run/memif_evil
		defer rm -f /run/memif_evil
	fi
}

# evil_nobody_bg SCENARIO [ARG...]: evil_bg as uid 65534; in memory cgroup
# EV_CG if that is set (see cg_create).
evil_nobody_bg() {
	local sc=$1 in_cg=()
	shift
	[ -z "${EV_CG:-}" ] || in_cg=(cg_run "$EV_CG")
	"${in_cg[@]}" setpriv --reuid "$NOBODY" --regid "$NOBODY" --clear-groups -- \
		"$EVIL" --role "$EV_ROLE" --socket "$EV_SOCK" --id "$EV_ID" \
		--secret "$EV_SECRET" --scenario "$sc" "$@" \
		> "$TEST_TMPDIR/bad.log" 2>&1 < /dev/null &
	echo "$!" > "$TEST_TMPDIR/bad.pid"
}

# shmem_kb: the kernel's Shmem, in kB.
shmem_kb() {
	awk '$1 == "Shmem:" { print $2 }' /proc/meminfo
}

# cg_create NAME MAX: a memory cgroup with memory.max MAX, removed at exit.
cg_create() {
	local cg=/sys/fs/cgroup/$1
	grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
		skip "no memory cgroup controller"
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "$cg"
	echo "$2" > "$cg/memory.max"
	defer cg_remove "$1"
}

# cg_remove NAME: kill what runs in cgroup NAME, remove it.
cg_remove() {
	local cg=/sys/fs/cgroup/$1 pids
	pids=$(cat "$cg/cgroup.procs" 2>/dev/null)
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	wait_for "[ ! -s $cg/cgroup.procs ]" 5
	rmdir "$cg"
}

# cg_run NAME CMD [ARG...]: run CMD inside cgroup NAME.
cg_run() {
	local cg=/sys/fs/cgroup/$1
	shift
	bash -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "$@"
}

# cg_kb NAME: the cgroup's memory.current, in kB.
cg_kb() {
	echo $(($(cat "/sys/fs/cgroup/$1/memory.current") / 1024))
}
