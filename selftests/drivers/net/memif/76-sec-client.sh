#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a server gains through a kernel client: nothing.  The server is
# memif_evil run as uid 65534.
#
# 1. Interrupt fds: a kernel client's ring interrupt fds, handed to a
#    server in another network namespace, are files with an eventfd's
#    semantics and nothing else: no socket, so no ioctl (SIOCGIFCONF,
#    SIOCGIFNAME), getsockopt or sendto reaches any namespace (the initial
#    one has an interface "hostsecret0" the server must not see); a
#    blocking writer near the counter's top does not block; a read takes
#    the count.  The link then carries pings.
# 2. Memory: a server that takes each connection's region, keeps the fd and
#    hangs up makes the client (max-memory 8M, 4 MiB regions) stop at its
#    limit: it keeps at most one region there, Shmem grows by no more, and
#    the client waits longer between attempts.  When the server lets go,
#    the client connects again.
# 3. Squatting: a server that takes an abstract name first, as uid 65534,
#    is refused by a client with peer-uid 0 before it sees the client's
#    INIT and secret.
# 4. Credentials: a client created by uid 65534 (with CAP_NET_ADMIN)
#    connects as uid 65534: the server's SO_PEERCRED says so, not root.
#
#   s0..s3 (kernel clients) --[path or @abstract]-- memif_evil (uid 65534)

source "$(dirname "$0")/hostile_lib.sh"

require_root
require_cmd ip jq ping ethtool dmesg
require_memif_ko
require_memifctl
require_evil_public

EV_ROLE=server
EV_ID=0
EV_SECRET=
EV_PEER_IP=10.76.0.2

# probe: the interrupt fds the kernel client s0 passed to memif_evil, in
# namespace srv, reach nothing; then s0 pings memif_evil through them.
probe() {
	local rc=0
	EV_SOCK=/run/k76/probe.sock
	ns_exec srv setpriv --reuid "$NOBODY" --regid "$NOBODY" --clear-groups \
		-- "$EVIL" --role server --socket "$EV_SOCK" --id 0 \
		--scenario irq-probe --seconds 20 > "$TEST_TMPDIR/bad.log" 2>&1 &
	echo "$!" > "$TEST_TMPDIR/bad.pid"
	wait_for 'in_bad_log listening' 10 0.1 || { bad_log; return 1; }
	memifctl add s0 role client socket "$EV_SOCK" id 0
	link_up - s0 10.76.0.1/24
	wait_for 'in_bad_log "writers never block" || in_bad_log "read failed" || in_bad_log "write failed"' \
		15 0.1 || { echo "memif_evil: $(bad_log)"; rc=1; }
	bad_log | grep '^probe' | while read -r l; do note "$l"; done
	if bad_log | grep '^probe' | grep -v 'writers never block' |
		grep -q ' ok'; then
		echo "an interrupt fd reached a network namespace"
		rc=1
	fi
	! in_bad_log hostsecret0 || rc=1
	in_bad_log "c2s: a file, not a socket" || rc=1
	in_bad_log "s2c: a file, not a socket" || rc=1
	in_bad_log "writers never block, read 18446744073709551614" || rc=1
	ping -c 2 -W 3 -q "$EV_PEER_IP" >/dev/null || { echo "no ping reply"; rc=1; }
	bad_stop
	ip link del dev s0
	return "$rc"
}

# kept: regions memif_evil keep-regions reported keeping.
kept() {
	bad_log | grep -c '^kept region'
}

# hoarder: memif_evil keep-regions for 20 s against s1 (max-memory 8M;
# 1024 slots of 2048 bytes each way make 4 MiB regions): the client lets
# it keep at most one region, retrying at longer and longer intervals;
# once memif_evil is gone, the client gets its memory back and connects to
# a correct server.
hoarder() {
	local s0 s1 n tries rc=0
	EV_SOCK=@k76keep
	s0=$(shmem_kb)
	evil_nobody_bg keep-regions --seconds 20 --log2 10
	wait_for 'in_bad_log listening' 10 0.1 || { bad_log; return 1; }
	memifctl add s1 role client socket "$EV_SOCK" id 0 max-memory 8M
	link_up - s1 10.76.1.1/24
	sleep 20
	s1=$(shmem_kb)
	n=$(kept)
	tries=$(bad_log | grep -c '^init from')
	note "in 20 s: $tries attempts, $n regions kept; Shmem +$((s1 - s0)) kB; reason: $(memif_json - s1 disc_reason)"
	[ "$n" -le 1 ] || rc=1
	# 1 s, 2 s, 4 s, 8 s, 16 s apart: at most 6 in 20 s (20 without).
	[ "$tries" -le 6 ] || rc=1
	[ $((s1 - s0)) -lt $((12 << 10)) ] || rc=1
	[[ $(memif_json - s1 disc_reason) == *"max-memory reached"* ]] || rc=1
	bad_stop
	# It retries within MEMIF_RETRY_MAX (16 s) and finds nobody, then
	# every second: a correct server now gets it.
	evil_nobody_bg good --seconds 40
	EV_DEV=s1
	if wait_for "has_oper_up 1" 30 0.2; then
		ping -c 1 -W 3 -q 10.76.1.2 >/dev/null || { echo "no ping reply"; rc=1; }
	else
		echo "not UP with a correct server: $(memif_json - s1 disc_reason)"
		rc=1
	fi
	bad_stop
	ip link del dev s1
	return "$rc"
}

# squatter: memif_evil (uid 65534) listens on @k76sq first; the client s2,
# peer-uid 0, hangs up on it before INIT: the secret stays ours.
# shellcheck disable=SC2016	# wait_for evaluates it
squatter() {
	local rc=0
	EV_SOCK=@k76sq
	evil_nobody_bg good --seconds 10
	wait_for 'in_bad_log listening' 10 0.1 || { bad_log; return 1; }
	memifctl add s2 role client socket "$EV_SOCK" id 0 secret s3cret \
		peer-uid 0
	link_up - s2 10.76.2.1/24
	wait_for '[[ $(memif_json - s2 disc_reason) == *"server credentials refused"* ]]' \
		10 0.2 || rc=1
	echo "reason: $(memif_json - s2 disc_reason)"
	! in_bad_log "init from" || { echo "memif_evil: $(bad_log)"; rc=1; }
	[ "$(oper_up - s2)" = 0 ] || rc=1
	bad_stop
	ip link del dev s2
	return "$rc"
}

# creds: a client created by uid 65534 with CAP_NET_ADMIN shows the
# server uid 65534.
creds() {
	local rc=0
	EV_SOCK=@k76cred
	evil_nobody_bg good --seconds 10
	wait_for 'in_bad_log listening' 10 0.1 || { bad_log; return 1; }
	nobody --caps "$MEMIFCTL" add s3 role client socket "$EV_SOCK" id 0
	link_up - s3 10.76.3.1/24
	wait_for 'in_bad_log "peer uid"' 10 0.2 || rc=1
	note "the server sees: $(bad_log | grep 'peer uid')"
	in_bad_log "peer uid $NOBODY gid $NOBODY" || rc=1
	bad_stop
	ip link del dev s3
	return "$rc"
}

ktap_plan 4

memif_load
hostile_setup
ns_create srv
ip link add hostsecret0 type dummy
defer ip link del hostsecret0
mkdir -p /run/k76
chmod 0777 /run/k76
defer rm -rf /run/k76

check "interrupt fds in another namespace reach none; eventfd semantics; pings" probe
check "a server hoarding regions gets at most max-memory of them" hoarder
check "peer-uid 0: a squatting server never sees INIT or the secret" squatter
check "a client created by uid 65534 connects as uid 65534" creds

ktap_finished
