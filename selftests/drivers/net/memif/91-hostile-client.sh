#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The server role against a hostile client (memif_evil --role client), one
# broken handshake per scenario: messages too short, too long, empty, out
# of order, repeated, of unknown type; versions out of range, wrong id,
# wrong or missing secret; absurd region sizes and indices, rings outside
# the region or overlapping, absurd ring sizes, more rings than offered;
# fds missing, extra or of the wrong kind (pipe, sockets of every kind, a
# listening one, /dev/zero, a directory, a memfd for an eventfd: the kernel
# never signals a socket on a client's behalf); a region memfd smaller than
# announced; hanging up and stalling mid-handshake.
#
# Each time: the client gets a DISCONNECT naming the problem and the
# kernel logs it; once the client's INIT named the link (kind L), the link
# also records the reason (memifctl show) and counts it in
# handshake_errors.  Before that (kind P: no INIT, unknown id) no link is
# concerned: the listener refuses the client and logs why, nothing is
# counted.  After each one a correct memif_evil connects and the link
# carries a ping.  One link, one VM: the kernel log of all of it is
# scanned for BUG/WARNING/KASAN by run.sh.
#
#   memif_evil (client) --[/run/k91.sock id 7, secret]-- m0 (kernel server)

source "$(dirname "$0")/hostile_lib.sh"

require_root
require_cmd ip jq ping ethtool dmesg
require_memif_ko
require_memifctl
require_memif_evil

EV_ROLE=client
EV_SOCK=/run/k91.sock
EV_ID=7
EV_SECRET=s3cret
EV_DEV=m0
EV_PEER_IP=10.91.0.2

# SCENARIO|KIND|REASON; kinds: L the link refuses it, P the listener
# does, before any link is concerned, H the client hangs up, D the client
# sends DISCONNECT (the reason is the client's, shown as the peer's).
scenarios=(
	"init-empty|P|malformed message"
	"init-short|P|malformed message"
	"init-long|P|malformed message"
	"init-fd|P|malformed message"
	"bad-id|P|unmatched interface id"
	"stall-pre-init|P|handshake timed out"
	"version-low|L|incompatible protocol version"
	"version-high|L|incompatible protocol version"
	"no-secret|L|secret required"
	"bad-secret|L|incorrect secret"
	"mode-ip|L|mode mismatch"
	"msg-empty|L|malformed message"
	"msg-short|L|malformed message"
	"msg-long|L|malformed message"
	"unknown-type|L|unexpected message"
	"type-none|L|unexpected message"
	"repeat-init|L|unexpected message"
	"ack-from-client|L|unexpected message"
	"ring-before-region|L|ring in an unknown region"
	"connect-early|L|no rings"
	"repeat-region|L|unexpected region index"
	"repeat-ring|L|unexpected ring index"
	"connect-twice|L|unexpected message"
	"region-size-0|L|region size out of range"
	"region-size-huge|L|region size out of range"
	"region-size-u64|L|region size out of range"
	"region-size-u32|L|region size out of range"
	"region-index|L|unexpected region index"
	"region-small|L|region fd is smaller than announced"
	"region-pipe|L|region fd is not a memfd"
	"region-socket|L|region fd is not a memfd"
	"region-devzero|L|region fd is not a memfd"
	"region-dir|L|region fd is not a memfd"
	"region-no-fd|L|missing memory region fd"
	"region-two-fds|L|unexpected file descriptor"
	"ring-outside|L|ring outside its region"
	"ring-offset-huge|L|ring outside its region"
	"ring-unaligned|L|ring outside its region"
	"ring-overlap|L|rings overlap"
	"ring-region|L|ring in an unknown region"
	"log2-0|L|ring size out of range"
	"log2-255|L|ring size out of range"
	"ring-private|L|private headers not supported"
	"ring-flags|L|unknown ring flags"
	"too-many-rings|L|too many rings"
	"ring-no-fd|L|missing ring interrupt fd"
	"ring-fd-pipe|L|ring interrupt fd is not an eventfd"
	"ring-fd-memfd|L|ring interrupt fd is not an eventfd"
	"ring-fd-socket|L|ring interrupt fd is not an eventfd"
	"ring-fd-listener|L|ring interrupt fd is not an eventfd"
	"ring-fd-seqpacket|L|ring interrupt fd is not an eventfd"
	"ring-fd-dgram|L|ring interrupt fd is not an eventfd"
	"fd-on-connect|L|unexpected file descriptor"
	"bad-cookie|L|wrong ring cookie"
	"hangup|H|peer hung up during the handshake"
	"stall|L|handshake timed out"
	"disconnect|D|evil?says?noxxx"
)

# refused SCENARIO KIND REASON: the outcome its kind expects.
# shellcheck disable=SC2016	# wait_for evaluates its command
refused() {
	local sc=$1 kind=$2 want=$3 out e0
	e0=$(counter handshake_errors)
	kmsg_mark
	out=$(evil "$sc" 2>&1)
	case $kind in
	L | P)
		[[ $out == *"disconnect: $want"* ]] ||
			{ echo "memif_evil: $out"; return 1; }
		;;
	esac
	reason_recorded "$kind" "$want" || return 1
	not_connected || { echo "state $L_STATE"; return 1; }
	handshake_counted "$kind" "$e0"
}

ktap_plan $((2 * ${#scenarios[@]} + 2))

memif_load
hostile_setup
memifctl add m0 role server socket "$EV_SOCK" id "$EV_ID" secret "$EV_SECRET"
link_up - m0 10.91.0.1/24
check "a correct memif_evil connects and the link pings it" good_pings

for s in "${scenarios[@]}"; do
	IFS='|' read -r sc kind want <<<"$s"
	check "$sc: refused ($kind: $want)" refused "$sc" "$kind" "$want"
	check "$sc: then a correct client connects and pings" good_pings
done

check "m0 can be deleted" ip link del dev m0

ktap_finished
