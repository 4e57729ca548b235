#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a kernel server refuses, and what it survives.  A server link m0
# (id 1, secret s3cr3t) in netns a, its client s0 in netns b; one bad
# client at a time, "bad", in netns c:
#
#   ns a: m0 (server, id 1, secret) ==[/run/refuse.sock]== s0 (client, id 1, secret) :ns b
#                                              \========== bad (one bad client)      :ns c
#
# - wrong id (9): refused "unmatched interface id", m0 records nothing;
# - id 1 while s0 is connected: "already connected";
# - with s0 down (m0 free: an id that is taken is refused before its
#   secret is looked at, as VPP does): a wrong secret, no secret and mode
#   ip are refused with "incorrect secret", "secret required" and "mode
#   mismatch", at every retry, and m0 says why; so are the secret less
#   its last character and the secret plus one;
# each bad client stays disconnected, and afterwards s0 and m0 ping.
# Then m0 is deleted under s0, which is no longer UP within 2 s, forgets
# m0's MAC address and keeps retrying until m0 is back, then connects by
# itself.  Last, s0 is deleted
# and created again 20 times; each time m0 takes it and it pings, and no
# file, socket, shared memory region, mapping or slab memory is left over.

source "$(dirname "$0")/memif_lib.sh"

require_root
require_cmd ip jq ping ss ethtool python3
require_memif_ko
require_memifctl

SOCK=/run/refuse.sock
SECRET=s3cr3t
CYCLES=20

server_add() {
	ns_exec a "$MEMIFCTL" add m0 role server socket "$SOCK" id 1 \
		secret "$SECRET" && link_up a m0 10.30.0.1/24
}

client_add() {
	ns_exec b "$MEMIFCTL" add s0 role client socket "$SOCK" id 1 \
		secret "$SECRET" && link_up b s0 10.30.0.2/24
}

# connected: s0 and m0 are UP.
connected() {
	wait_oper_up b s0 1 10 && wait_oper_up a m0 1 5 && return 0
	echo "s0: $(info b s0), m0: $(info a m0)"
	return 1
}

pings() {
	ns_exec b ping -c 3 -i 0.1 -w 10 -q 10.30.0.1
}

pair_ok() {
	connected && pings
}

# info NS DEV: "CARRIER|STATE|DISC_REASON" of DEV.
info() {
	ns_exec "$1" "$MEMIFCTL" -j show "$2" |
		jq -r '.[0] | "\(.operstate == "UP")|\(.state)|\(.disc_reason)"'
}

# bad_add ARG...: the client "bad" in c, memifctl ARGs after its socket,
# and up.
bad_add() {
	ns_exec c "$MEMIFCTL" add bad role client socket "$SOCK" "$@" &&
		ip -n c link set dev bad up
}

bad_del() {
	ip -n c link del dev bad
}

# refused REASON: bad is told "REASON" within 10 s.
refused() {
	wait_for "[ \"\$(memif_json c bad disc_reason)\" = 'peer: $1' ]" 10 0.5 &&
		return 0
	info c bad
	return 1
}

# stays_refused REASON: 2.5 s later (two retries), bad still has no
# carrier and is refused with REASON.
stays_refused() {
	local s
	sleep 2.5
	s=$(info c bad)
	case $s in
	"false|waiting for peer|peer: $1"|"false|handshake|peer: $1") ;;
	*) echo "bad: $s"; return 1 ;;
	esac
}

# m0_untouched: m0 is still connected to s0, without a reason or a peer
# error recorded.
m0_untouched() {
	local s
	s="$(info a m0)|$(memif_json a m0 peer_name)|$(ethtool_stat a m0 handshake_errors)"
	[ "$s" = "true|connected|null|s0|0" ] || { echo "m0: $s"; return 1; }
}

# refused_while_free DESC REASON ARG...: with s0 down, so that m0 is free,
# a client with memifctl ARGs is refused with REASON at each retry, m0
# records why; then s0 comes back and pings.
refused_while_free() {
	local desc=$1 reason=$2 e0 e1
	shift 2
	ip -n b link set dev s0 down
	wait_oper_up a m0 0 5 || log "m0 stayed UP after s0 went down"
	e0=$(ethtool_stat a m0 handshake_errors)
	bad_add "$@"
	check "$desc: refused, '$reason'" refused "$reason"
	check "$desc: m0 says 'local: $reason'" \
		test "$(memif_json a m0 disc_reason)" = "local: $reason"
	check "$desc: still refused 2.5 s later" stays_refused "$reason"
	e1=$(ethtool_stat a m0 handshake_errors)
	log "m0 refused it $((e1 - e0)) times"
	check "$desc: refused again at each retry (3 times or more)" \
		test $((e1 - e0)) -ge 3
	bad_del
	ip -n b link set dev s0 up
	check "$desc: s0 back, the pair pings" pair_ok
}

# near_secrets: with s0 down, a client whose secret is the right one
# less its last character, or plus one, is refused with "incorrect
# secret" as well; then s0 comes back.
near_secrets() {
	local secret rc=0
	ip -n b link set dev s0 down
	wait_oper_up a m0 0 5 || log "m0 stayed UP after s0 went down"
	for secret in "${SECRET%?}" "${SECRET}x"; do
		bad_add id 1 secret "$secret" || rc=1
		refused "incorrect secret" || { echo "secret $secret"; rc=1; }
		bad_del
	done
	ip -n b link set dev s0 up
	return "$rc"
}

# s0_waiting: s0 is not UP and waits for its peer, which went down
# (or, if it tried again already, is not there).
s0_waiting() {
	local s
	s=$(info b s0)
	case $s in
	"false|waiting for peer|peer: interface down") ;;
	"false|waiting for peer|local: cannot connect: "*) ;;
	*) echo "s0: $s"; return 1 ;;
	esac
}

# no_neigh: s0 has no neighbour entry for m0's address: a server that
# comes back may have another MAC address, as a new m0 here does.
no_neigh() {
	local n
	n=$(ip -n b neigh show dev s0 10.30.0.1)
	[ -z "$n" ] && return 0
	echo "ip neigh: $n"
	return 1
}

# s0_retrying: for 3 s, s0 is not UP, waits for its peer and fails
# to connect (its socket file is gone).
s0_retrying() {
	local i s
	for i in 1 2 3; do
		sleep 1
		s=$(info b s0)
		case $s in
		"false|waiting for peer|local: cannot connect: "*) ;;
		*) echo "after ${i} s: $s"; return 1 ;;
		esac
	done
}

# state_up NS DEV: DEV is UP (not DORMANT, waiting for its peer).  One
# process, where wait_oper_up takes two per look: the churn below looks a
# hundred times.
state_up() {
	[[ $(ip -n "$1" -o link show dev "$2") == *" state UP "* ]]
}

# cycle: delete s0 and create it again: m0 drops the old connection,
# takes the new one, and the pair pings.
cycle() {
	ip -n b link del dev s0 || return 1
	wait_for "! state_up a m0" 5 0.1 ||
		{ echo "m0 stayed UP: $(info a m0)"; return 1; }
	client_add || return 1
	if ! wait_for "state_up b s0 && state_up a m0" 10 0.1; then
		echo "not connected: s0: $(info b s0), m0: $(info a m0)"
		return 1
	fi
	ns_exec b ping -c 1 -w 5 -q 10.30.0.1 >/dev/null || { echo "no ping"; return 1; }
}

churn() {
	local i
	for ((i = 1; i <= $1; i++)); do
		cycle || { echo "cycle $i of $1 failed"; return 1; }
	done
}

# nr_files: the number of open files in the system, exactly.  The first
# field of /proc/sys/fs/file-nr is a per-CPU counter read without its
# per-CPU parts, up to 32 off on each CPU.  Pinned to each CPU in turn,
# open files until it moves: that CPU's part was just folded in, and is 0.
# Then the counter is exact (less the files opened here).
nr_files() {
	python3 -c '
import os, sys
fd = os.open("/proc/sys/fs/file-nr", os.O_RDONLY)
def nr():
    return int(os.pread(fd, 64, 0).split()[0])
held = []
for cpu in sorted(os.sched_getaffinity(0)):
    os.sched_setaffinity(0, {cpu})
    for _ in range(100):
        n = nr()
        held.append(os.open("/dev/null", os.O_RDONLY))
        if nr() != n:
            break
    else:
        sys.exit("file-nr does not move on CPU %d" % cpu)
print(nr() - len(held))'
}

# snapshot: measure, print "KEY VALUE" lines: files (open files), socks
# (AF_UNIX sockets in all four namespaces), vmaps (memif's entries in
# /proc/vmallocinfo: one per mapped region), and from /proc/meminfo, in
# kB, slab, shmem and used (MemTotal - MemFree).
snapshot() {
	local k v _ ns n=0 total=0 free=0

	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	for ns in - a b c; do
		n=$((n + $(in_ns "$ns" ss -xaH | wc -l)))
	done
	echo "socks $n"
	echo "vmaps $(grep -c '\[memif\]' /proc/vmallocinfo)"
	echo "files $(nr_files)"
	while read -r k v _; do
		case $k in
		Slab:) echo "slab $v" ;;
		Shmem:) echo "shmem $v" ;;
		MemTotal:) total=$v ;;
		MemFree:) free=$v ;;
		esac
	done < /proc/meminfo
	echo "used $((total - free))"
}

# val WHEN KEY: KEY of the snapshot WHEN (before, after).
val() {
	local k v
	while read -r k v; do
		[ "$k" != "$2" ] || echo "$v"
	done < "$TEST_TMPDIR/$1"
}

# grew KEY MAX: KEY went up by MAX at most from before to after.
grew() {
	local b a
	b=$(val before "$1")
	a=$(val after "$1")
	if [ -z "$b" ] || [ -z "$a" ]; then
		echo "no $1 measured"
		return 1
	fi
	[ $((a - b)) -le "$2" ] || { echo "$1: $b -> $a, +$((a - b)) > $2"; return 1; }
}

ktap_plan 45

memif_load
ns_create a b c

check "m0 (server, id 1, secret) in a, s0 in b: connected" \
	eval "server_add && client_add && connected"
check "s0's peer is m0, m0's is s0" \
	test "$(memif_json b s0 peer_name)/$(memif_json a m0 peer_name)" = m0/s0
check "the pair pings" pings

bad_add id 9 secret "$SECRET"
check "id 9: refused, 'unmatched interface id'" refused "unmatched interface id"
check "id 9: still refused 2.5 s later" stays_refused "unmatched interface id"
check "id 9: m0 still connected, records nothing" m0_untouched
bad_del
check "id 9: the pair pings" pings

bad_add id 1 secret "$SECRET"
check "second client with id 1: refused, 'already connected'" \
	refused "already connected"
check "second client with id 1: still refused 2.5 s later" \
	stays_refused "already connected"
check "second client with id 1: m0 still connected, records nothing" \
	m0_untouched
bad_del
check "second client with id 1: the pair pings" pings

refused_while_free "wrong secret" "incorrect secret" id 1 secret wrong
check "the secret less its last character, or plus one: refused" near_secrets
check "the pair pings" pair_ok
refused_while_free "no secret" "secret required" id 1
refused_while_free "mode ip" "mode mismatch" id 1 secret "$SECRET" mode ip

# The server goes away under its client and comes back.
check "m0 deleted while connected: s0 is no longer UP within 2 s" \
	eval "ip -n a link del dev m0 && wait_oper_up b s0 0 2"
check "s0 is waiting for peer" s0_waiting
check "s0 forgot m0's MAC address (the next m0 has another)" no_neigh
check "s0 keeps retrying: waiting for peer, 'cannot connect'" s0_retrying
check "m0 created again: s0 connects by itself" eval "server_add && connected"
check "the pair pings again" pings

# Client churn, and what it leaves behind.
check "warm-up: delete and create s0" churn 1
e0=$(ethtool_stat a m0 handshake_errors)
snapshot > "$TEST_TMPDIR/before"
check "delete and create s0 $CYCLES times: m0 takes it, it pings" churn "$CYCLES"
e1=$(ethtool_stat a m0 handshake_errors)
snapshot > "$TEST_TMPDIR/after"
for k in files socks vmaps slab shmem used; do
	b=$(val before "$k")
	a=$(val after "$k")
	log "$k: $b -> $a ($((a - b)))"
done
# Each connection holds a 4 MB shmem region (in Shmem, mapped on both
# sides: two entries in vmallocinfo), its file and the ring interrupt
# sockets (files, AF_UNIX sockets).  Open files, sockets and mappings are
# counted exactly; Slab moves by a few hundred kB from run to run, and
# MemTotal - MemFree by up to 30 MB, while 20 leaked regions would be
# 80 MB.
check "m0 refused none of them" test "$e0" = "$e1"
check "no open file left over" grew files 2
check "no AF_UNIX socket left over" grew socks 0
check "no memif mapping left over (/proc/vmallocinfo)" grew vmaps 0
check "Shmem grew less than 8 MB" grew shmem 8192
# A kmemleak kernel (the debug lane's) keeps an object of its own for
# each allocation it tracks, and its KASAN quarantines freed objects:
# 1.6 MB there.
slab_tol=1024
! kmemleak_kernel || slab_tol=4096
check "Slab grew less than $((slab_tol / 1024)) MB" grew slab "$slab_tol"
check "memory in use grew less than 48 MB" grew used 49152
check "the pair still pings" pings
check "no errors on m0 (since it was created again) or s0" no_errors a m0 b s0

ktap_finished
