#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The client role against a hostile server (memif_evil --role server), one
# broken handshake per scenario: HELLO empty, too short, too long, twice,
# with an fd, with versions out of range or no usable ring size; ACK,
# CONNECTED, INIT or an unknown type where HELLO belongs; CONNECTED too
# early or twice; ACKs too short, with an fd, or instead of CONNECTED;
# hanging up and stalling mid-handshake, silence after accept; a
# DISCONNECT whose reason is not terminated.
#
# Each time the link records the reason (memifctl show), logs it, counts it
# in handshake_errors and tells the server (which prints it); kind G are
# legal and connect.  After each one memif_evil, correct from then on
# (--then-good), takes the link's next attempt (one a second) and the link
# carries a ping.
#
#   m0 (kernel client) --[/run/k92.sock id 9]-- memif_evil (server)

source "$(dirname "$0")/hostile_lib.sh"

require_root
require_cmd ip ping ethtool dmesg
require_memif_ko
require_memifctl
require_memif_evil

EV_ROLE=server
EV_SOCK=/run/k92.sock
EV_ID=9
EV_SECRET=
EV_DEV=m0
EV_PEER_IP=10.92.0.2

# SCENARIO|KIND|REASON; kinds: L the link refuses it, H the server hangs
# up, D the server sends DISCONNECT, G legal: the link connects.
scenarios=(
	"hello-empty|L|malformed message"
	"hello-short|L|malformed message"
	"hello-long|L|malformed message"
	"hello-fd|L|unexpected file descriptor"
	"hello-twice|L|unexpected HELLO"
	"hello-log2-0|L|server allows no usable ring size"
	"version-low|L|incompatible protocol version"
	"version-high|L|incompatible protocol version"
	"ack-first|L|unexpected ACK"
	"connected-first|L|unexpected CONNECTED"
	"type-init|L|unexpected message type"
	"unknown-type|L|unexpected message type"
	"stall-no-hello|L|handshake timed out"
	"connected-early|L|unexpected CONNECTED"
	"ack-fd|L|unexpected file descriptor"
	"ack-short|L|malformed message"
	"ack-for-connect|L|unexpected ACK"
	"connected-twice|L|unexpected CONNECTED"
	"hangup|H|peer hung up during the handshake"
	"stall|L|handshake timed out"
	"disconnect|D|evil?says?noxxx"
	"hello-log2-255|G|"
	"hello-queues-max|G|"
)

# refused SCENARIO KIND REASON: the outcome its kind expects.  The link's
# reason is looked at once memif_evil is a correct server again (it is
# --then-good): a client link that cannot connect records why, so with
# nobody listening the reason would soon be "cannot connect".
# shellcheck disable=SC2016	# wait_for evaluates its command
refused() {
	local sc=$1 kind=$2 want=$3 e0
	e0=$(counter handshake_errors)
	kmsg_mark
	evil_bg bad "$sc" --then-good
	case $kind in
	G)
		wait_for "has_oper_up 1" 12 0.05 ||
			{ echo "not UP; memif_evil: $(bad_log)"; return 1; }
		return 0
		;;
	L)
		wait_for 'in_bad_log "disconnect: $want"' 12 0.1 ||
			{ echo "memif_evil: $(bad_log)"; return 1; }
		;;
	esac
	reason_recorded "$kind" "$want" || return 1
	handshake_counted "$kind" "$e0"
}

ktap_plan $((2 * ${#scenarios[@]} + 2))

memif_load
hostile_setup
memifctl add m0 role client socket "$EV_SOCK" id "$EV_ID"
link_up - m0 10.92.0.1/24
check "a correct memif_evil connects and the link pings it" good_pings

for s in "${scenarios[@]}"; do
	IFS='|' read -r sc kind want <<<"$s"
	if [ "$kind" = G ]; then
		check "$sc: legal, connects" refused "$sc" G ""
	else
		check "$sc: refused ($kind: $want)" refused "$sc" "$kind" "$want"
	fi
	check "$sc: then the same memif_evil, correct, takes the link and pings" \
		recovered
done

check "m0 can be deleted" ip link del dev m0

ktap_finished
