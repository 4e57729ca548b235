#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a client gains through a kernel server's handling of its regions:
# nothing.  The client is memif_evil run as uid 65534, connecting to an
# abstract socket (anybody in the namespace may).
#
# 1. Rights: a region must be a memfd the client opened for reading and
#    writing, not sealed against writing.  An O_PATH or read-only fd of a
#    root-owned /dev/shm file, with the kernel's S2C buffers pointed into
#    it (every frame the kernel sends would land in the file), a tmpfs
#    file that is no memfd, a memfd reopened read-only, a write-sealed
#    memfd: refused before the link connects, the file left as it was.
# 2. Bounds: with max-memory 8M, a 64 MiB region is refused before any of
#    it is mapped (Shmem does not move).
# 3. Accounting: what the kernel faults in of a client's sparse memfd is
#    charged to the memory cgroup of the link's creator: past its
#    memory.max the region is refused ("out of memory"), within it the
#    creator's cgroup pays, not the client's.
# 4. Promptness: while a client announces 15 regions of 1 GiB and the
#    kernel maps the first, ip link set down and ip link del come back
#    within 2 s (they wait under RTNL for the link's lock), times
#    MEMIF_TIMEOUT_SCALE on a debug kernel, where deleting any link takes
#    about that long.
#
#   memif_evil (uid 65534) --[@k75*]-- m0, m1, m2 (kernel servers)

source "$(dirname "$0")/hostile_lib.sh"

require_root
require_cmd ip jq ping ethtool dmesg sha256sum
require_memif_ko
require_memifctl
require_evil_public

EV_ROLE=client
EV_SOCK=@k75
EV_ID=7
EV_SECRET=
EV_DEV=m0
EV_PEER_IP=10.75.0.2

SECRET_FILE=/dev/shm/k75-secret
PUBLIC_FILE=/dev/shm/k75-public
OWN_FILE=/dev/shm/k75-nobody

# scenario|file|reason
attacks=(
	"region1-opath|$SECRET_FILE|region fd is not a memfd"
	"region1-rdonly|$PUBLIC_FILE|region fd is not a memfd"
	"region1-tmpfs|$OWN_FILE|region fd is not a memfd"
	"region1-memfd-rdonly||region fd is not open for reading and writing"
	"region1-sealed||region memfd is sealed against writing"
	"region1-future-sealed||region memfd is sealed against writing"
)

# answered: memif_evil was refused, or connected.
# shellcheck disable=SC2016	# wait_for evaluates it
answered='in_bad_log "disconnect:" || in_bad_log connected'

# region_attack SCENARIO FILE WANT: memif_evil, uid 65534, adds region 1
# as SCENARIO makes it (from FILE); the link refuses it with WANT, counts
# and logs it, and FILE is left as it was.  Were the region taken, a ping
# would have the kernel write ARP requests into it.
region_attack() {
	local sc=$1 file=$2 want=$3 before='' e0 rc=0
	[ -z "$file" ] || before=$(sha256sum < "$file")
	e0=$(counter handshake_errors)
	kmsg_mark
	evil_nobody_bg "$sc" ${file:+--file "$file"} --seconds 8
	wait_for "$answered" 10 0.1
	if in_bad_log connected; then
		ping -c 3 -W 1 -q "$EV_PEER_IP" >/dev/null 2>&1
		echo "the link took the region"
		rc=1
	fi
	bad_stop
	if [ -n "$file" ] && [ "$(sha256sum < "$file")" != "$before" ]; then
		echo "the kernel wrote into $file"
		rc=1
	fi
	in_bad_log "disconnect: $want" || { echo "memif_evil: $(bad_log)"; rc=1; }
	reason_recorded L "$want" || rc=1
	handshake_counted L "$e0" || rc=1
	return "$rc"
}

# too_big: max-memory 8M; a 64 MiB region is refused, nothing mapped.
too_big() {
	local s0 s1 rc=0
	s0=$(shmem_kb)
	evil_nobody_bg regions-sparse --region-size $((64 << 20)) --seconds 8
	wait_for "$answered" 10 0.1
	s1=$(shmem_kb)
	bad_stop
	note "Shmem while the client waited for the answer: +$((s1 - s0)) kB"
	in_bad_log "disconnect: regions exceed the link's max-memory" ||
		{ echo "memif_evil: $(bad_log)"; rc=1; }
	[ $((s1 - s0)) -lt $((16 << 10)) ] || { echo "the region was mapped"; rc=1; }
	return "$rc"
}

# charged_to_owner SIZE_MB WANT: memif_evil, uid 65534 in cgroup k75peer,
# adds a sparse region of SIZE_MB to m1, created in cgroup k75own
# (memory.max 48M).  WANT: "refused" or "taken".
charged_to_owner() {
	local mb=$1 want=$2 own0 own1 peer1 rc=0
	own0=$(cg_kb k75own)
	EV_CG=k75peer evil_nobody_bg regions-sparse \
		--region-size $((mb << 20)) --seconds 8
	EV_CG=
	wait_for "$answered" 15 0.1
	own1=$(cg_kb k75own)
	peer1=$(cg_kb k75peer)
	note "$mb MiB region: the creator's cgroup +$((own1 - own0)) kB, the client's $peer1 kB"
	case $want in
	refused)
		in_bad_log "disconnect: cannot map region: out of memory" ||
			{ echo "memif_evil: $(bad_log)"; rc=1; }
		;;
	taken)
		in_bad_log connected || { echo "memif_evil: $(bad_log)"; rc=1; }
		# Less a sixteenth: the rest of the cgroup may shrink
		# meanwhile (6.12 once gave 16348 kB for 16 MiB).
		[ $((own1 - own0)) -ge $(((mb << 10) - (mb << 6))) ] ||
			{ echo "the creator was not charged"; rc=1; }
		[ "$peer1" -lt $((mb << 10)) ] ||
			{ echo "the client was charged"; rc=1; }
		;;
	esac
	bad_stop
	return "$rc"
}

# prompt ACTION: memif_evil announces 15 sparse regions of 1 GiB to m2;
# once the kernel maps the first (Shmem grows), "ip link ACTION" on m2
# takes less than 2 s (scaled).
prompt() {
	local s0 t0 t1 ms rc=0
	s0=$(shmem_kb)
	evil_nobody_bg regions-sparse --regions 15 --region-size $((1 << 30)) \
		--seconds 30
	if ! wait_for "[ \$((\$(shmem_kb) - $s0)) -gt $((64 << 10)) ]" 20 0.05; then
		echo "the kernel did not start mapping: $(bad_log)"
		bad_stop
		return 1
	fi
	t0=$EPOCHREALTIME
	case $1 in
	down) ip link set dev m2 down || rc=1 ;;
	del) ip link del dev m2 || rc=1 ;;
	esac
	t1=$EPOCHREALTIME
	ms=$((($(__usec "$t1") - $(__usec "$t0")) / 1000))
	note "ip link $1 took $ms ms, with $((($(shmem_kb) - s0) >> 10)) MiB mapped"
	bad_stop
	[ "$ms" -lt $((2000 * ${MEMIF_TIMEOUT_SCALE:-1})) ] || rc=1
	return "$rc"
}

ktap_plan $((${#attacks[@]} + 8))

memif_load
hostile_setup
head -c 65536 /dev/zero | tr '\0' S > "$SECRET_FILE"
chmod 0600 "$SECRET_FILE"
head -c 65536 /dev/zero | tr '\0' P > "$PUBLIC_FILE"
chmod 0644 "$PUBLIC_FILE"
head -c 65536 /dev/zero > "$OWN_FILE"
chown "$NOBODY:$NOBODY" "$OWN_FILE"
defer rm -f "$SECRET_FILE" "$PUBLIC_FILE" "$OWN_FILE"

memifctl add m0 role server socket "$EV_SOCK" id "$EV_ID"
link_up - m0 10.75.0.1/24
check "a correct client, uid 65534, connects and pings" good_pings

for a in "${attacks[@]}"; do
	IFS='|' read -r sc file want <<<"$a"
	check "$sc: refused ($want), nothing written" \
		region_attack "$sc" "$file" "$want"
done

ip link set dev m0 down
memifctl set m0 max-memory 8M
ip link set dev m0 up
check "max-memory 8M: a 64 MiB region is refused before it is mapped" too_big
check "then a correct client connects and pings" good_pings
ip link del dev m0

cg_create k75own 48M
cg_create k75peer max
cg_run k75own "$MEMIFCTL" add m1 role server socket @k75m id "$EV_ID"
link_up - m1 10.75.1.1/24
EV_DEV=m1
EV_SOCK=@k75m
check "a 64 MiB region past the creator's memory.max (48M) is refused" \
	charged_to_owner 64 refused
check "a 16 MiB region is charged to the creator's cgroup, not the client's" \
	charged_to_owner 16 taken
ip link del dev m1

cg_create k75big 1G
cg_run k75big "$MEMIFCTL" add m2 role server socket @k75big id "$EV_ID" \
	max-memory 16G
link_up - m2 10.75.2.1/24
EV_DEV=m2
EV_SOCK=@k75big
shmem0=$(shmem_kb)
check "ip link set down is prompt while 15 x 1 GiB regions are mapped" \
	prompt down
ip link set dev m2 up
check "ip link del is prompt while 15 x 1 GiB regions are mapped" prompt del
check "what was mapped is released" \
	wait_for "[ \$(shmem_kb) -lt $((shmem0 + (64 << 10))) ]" 10

ktap_finished
