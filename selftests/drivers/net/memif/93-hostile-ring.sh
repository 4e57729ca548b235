#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data path against a hostile peer, after a correct handshake, in both
# roles: ring indices far ahead, descriptors outside the region, of length
# 0 or 2^32 - 1, NEXT chains around the whole ring or left open, the ring
# cookies overwritten (kind F: the link disconnects, tells the peer why,
# records the reason, logs it and counts it in bad_descriptor_errors or
# ring_overflow_errors; then memif_evil, --then-good, connects again as a
# correct peer).
#
# Kind U is what the kernel cannot tell from a legal peer, or must simply
# survive; the link stays up, the kernel stays sound (run.sh scans its log)
# and the link is usable again once the peer is gone:
#  - the region's memfd truncated or punched while connected: the kernel
#    holds its own references to the pages, so it keeps reading and
#    writing pages the peer no longer sees;
#  - an interrupt storm (eventfd written in a tight loop for 5 s): NAPI
#    keeps the guest responsive and pings still pass meanwhile;
#  - buffers never given back: transmission stalls (ping replies stop),
#    the link stays connected, and taking it down is not delayed;
#  - frames published without a kick, ever (what a lost wakeup is, when
#    a peer's index store passes its read of our unmasking): the kernel
#    looks at its rings now and then, and pings are answered all the same;
#  - offloads taken (memif.ko's extension) and frames sent with broken
#    virtio_net_hdrs: the frames are the peer's business, as a bad IP
#    header would be: the link takes only TCP segmentation with its
#    checksum to complete, checks that as tun does, and drops the rest
#    (rx_dropped).
#
# After each one a correct memif_evil connects and the link carries a ping.
#
#   memif_evil (client) --[/run/k93a.sock id 1]-- m0 (kernel server)
#   s0 (kernel client)  --[/run/k93b.sock id 2]-- memif_evil (server)

source "$(dirname "$0")/hostile_lib.sh"

require_root
require_cmd ip ping ethtool dmesg
require_memif_ko
require_memifctl
require_memif_evil

# SCENARIO|ROLES|KIND|COUNTER|REASON; ROLES: memif_evil's, C client, S
# server, B both.
scenarios=(
	"d-rx-index|B|F|ring_overflow_errors|index out of range on an rx ring"
	"d-tx-index|B|F|ring_overflow_errors|index out of range on a tx ring"
	"d-desc-offset|C|F|bad_descriptor_errors|bad descriptor on an rx ring"
	"d-desc-overflow|C|F|bad_descriptor_errors|bad descriptor on an rx ring"
	"d-desc-region|C|F|bad_descriptor_errors|bad descriptor on an rx ring"
	"d-desc-len-huge|B|F|bad_descriptor_errors|bad descriptor on an rx ring"
	"d-desc-len-0|B|F|bad_descriptor_errors|bad descriptor on an rx ring"
	"d-chain-long|B|F|bad_descriptor_errors|bad descriptor on an rx ring"
	"d-chain-open|B|F|bad_descriptor_errors|incomplete chain on an rx ring"
	"d-tx-desc|C|F|bad_descriptor_errors|bad descriptor on a tx ring"
	"d-cookie|B|F|ring_overflow_errors|ring cookie overwritten"
	"d-truncate|B|U||"
	"d-punch|B|U||"
	"d-storm|B|U||"
	"d-no-return|B|U||"
	"d-vnet|B|U||"
	"d-no-kick|B|U||"
)

# use_role client|server: memif_evil's role, and the kernel link it faces.
use_role() {
	EV_ROLE=$1
	EV_SECRET=
	if [ "$1" = client ]; then
		EV_SOCK=/run/k93a.sock EV_ID=1 EV_DEV=m0 EV_PEER_IP=10.93.1.2
	else
		EV_SOCK=/run/k93b.sock EV_ID=2 EV_DEV=s0 EV_PEER_IP=10.93.2.2
	fi
}

# start_bad SCENARIO [ARG...]: memif_evil in the background, connected.
# shellcheck disable=SC2016	# wait_for evaluates its command
start_bad() {
	evil_bg bad "$@"
	wait_for 'in_bad_log connected' 10 0.05 ||
		{ echo "memif_evil: $(bad_log)"; return 1; }
}

# faulted SCENARIO COUNTER REASON
# shellcheck disable=SC2016	# wait_for evaluates its command
faulted() {
	local sc=$1 cnt=$2 want=$3 e0 e1 rc=0
	e0=$(counter "$cnt")
	kmsg_mark
	start_bad "$sc" --then-good || return 1
	# Some faults are found only when the kernel transmits.
	ping -c 2 -i 0.2 -W 1 -q "$EV_PEER_IP" >/dev/null 2>&1
	if ! wait_for 'link_info; [ "$L_REASON" = "local: $want" ]' 5 0.1; then
		echo "reason: $L_REASON; memif_evil: $(bad_log)"
		rc=1
	elif ! wait_for 'logged "$want"' 3 0.1; then
		echo "not logged; kernel log:"
		kmsg_since
		rc=1
	else
		e1=$(counter "$cnt")
		[ "$e1" -gt "$e0" ] || { echo "$cnt stayed at $e0"; rc=1; }
	fi
	wait_for 'in_bad_log "disconnect: $want"' 3 0.1 ||
		{ echo "memif_evil was not told: $(bad_log)"; rc=1; }
	return "$rc"
}

# survived SCENARIO: the link stays up; see the header for each.
# shellcheck disable=SC2016	# wait_for evaluates its command
survived() {
	local sc=$1 rc=0 out t0 t1 d0
	d0=$(rx_dropped)
	kmsg_mark
	start_bad "$sc" || return 1
	case $sc in
	d-truncate | d-punch)
		wait_for 'in_bad_log "$sc done"' 5 0.05 ||
			{ echo "memif_evil: $(bad_log)"; rc=1; }
		ping -c 2 -i 0.2 -W 1 -q "$EV_PEER_IP" >/dev/null 2>&1
		;;
	d-storm)
		t0=$EPOCHSECONDS
		out=$(ping -c 5 -i 0.2 -W 2 "$EV_PEER_IP" 2>&1) ||
			{ echo "no ping during the storm: $out"; rc=1; }
		t1=$EPOCHSECONDS
		log "$sc: 5 pings took $((t1 - t0)) s during the storm"
		wait_for 'in_bad_log "storm: "' 15 0.2 ||
			{ echo "storm did not end: $(bad_log)"; rc=1; }
		log "$sc: $(grep storm: "$TEST_TMPDIR/bad.log")"
		ping -c 1 -W 2 -q "$EV_PEER_IP" >/dev/null ||
			{ echo "no ping after the storm"; rc=1; }
		;;
	d-no-return)
		out=$(ping -c 8 -i 0.1 -W 1 -q "$EV_PEER_IP" 2>&1)
		[[ $out =~ ([0-9]+)\ received ]] || { echo "ping: $out"; rc=1; }
		log "$sc: ${BASH_REMATCH[1]} of 8 pings answered"
		[ "${BASH_REMATCH[1]:-8}" -lt 8 ] ||
			{ echo "all 8 pings answered, with 4 buffers"; rc=1; }
		;;
	d-no-kick)
		out=$(ping -c 5 -i 0.2 -W 2 -q "$EV_PEER_IP" 2>&1) ||
			{ echo "pings not answered: $out"; rc=1; }
		note "$sc: $(grep -o 'rtt.*' <<<"$out")"
		;;
	d-vnet)
		wait_for 'in_bad_log "vnet: sent 9"' 5 0.05 ||
			{ echo "memif_evil: $(bad_log)"; rc=1; }
		# All but the TSO6 frame with its checksum data (which the
		# stack takes and drops as IPv4 with a bad header checksum).
		wait_for '[ "$(rx_dropped)" -ge $((d0 + 8)) ]' 5 0.1 ||
			{ echo "rx_dropped $d0 -> $(rx_dropped)"; rc=1; }
		;;
	esac
	link_info
	[ "$L_STATE" = connected ] || { echo "state $L_STATE, $L_REASON"; rc=1; }
	if [ "$sc" = d-no-return ]; then
		timeout 5 ip link set dev "$EV_DEV" down ||
			{ echo "link down took too long"; rc=1; }
		ip link set dev "$EV_DEV" up
	fi
	bad_stop
	wait_for "has_oper_up 0" 5 0.05 || { echo "stayed UP"; rc=1; }
	return "$rc"
}

# rx_dropped: the kernel link's.
rx_dropped() {
	cat "/sys/class/net/$EV_DEV/statistics/rx_dropped"
}

n=0
for s in "${scenarios[@]}"; do
	IFS='|' read -r sc roles kind cnt want <<<"$s"
	[ "$roles" = B ] && n=$((n + 2)) || n=$((n + 1))
done
ktap_plan $((2 * n + 4))

memif_load
hostile_setup
memifctl add m0 role server socket /run/k93a.sock id 1
link_up - m0 10.93.1.1/24
memifctl add s0 role client socket /run/k93b.sock id 2
link_up - s0 10.93.2.1/24
for role in client server; do
	use_role "$role"
	check "$EV_DEV: a correct memif_evil $role connects and pings" good_pings
done

for s in "${scenarios[@]}"; do
	IFS='|' read -r sc roles kind cnt want <<<"$s"
	for role in client server; do
		r=${role:0:1}
		[ "$roles" = B ] || [ "$roles" = "${r^}" ] || continue
		use_role "$role"
		if [ "$kind" = F ]; then
			check "$sc ($role): $EV_DEV disconnects, '$want', $cnt" \
				faulted "$sc" "$cnt" "$want"
			check "$sc ($role): then memif_evil, correct, connects and pings" \
				recovered
		else
			check "$sc ($role): $EV_DEV stays up and sound" survived "$sc"
			check "$sc ($role): then a correct peer connects and pings" \
				good_pings
		fi
	done
done

check "m0 can be deleted" ip link del dev m0
check "s0 can be deleted" ip link del dev s0

ktap_finished
