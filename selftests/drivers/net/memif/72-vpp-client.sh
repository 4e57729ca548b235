#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VPP (26.10, from ../shared/peers; skipped without it) as memif client
# ("slave") of a kernel server, as VPP creates it by default: zero-copy,
# its buffers in hugepages, so that its regions are VPP's buffer pools,
# MFD_HUGETLB memfds, which the kernel maps; then with no-zero-copy, one
# plain memfd.  Each time pings both ways, 0% loss, the payload checked by
# ping, 56 and 1400 bytes.
#
#   m0 (kernel server) 192.168.72.1 --[/run/k72.sock]-- memif1/0 (VPP) .2

source "$(dirname "$0")/peers_lib.sh"

require_root
require_cmd ip jq ping sysctl mountpoint
require_memif_ko
require_memifctl
require_vpp

SOCK=/run/k72.sock

# vpp_slave [ARG...]: VPP's memif1/0, a client of $SOCK id 0, up, with
# 192.168.72.2/24; ARGs go to "create interface memif".
vpp_slave() {
	vppctl create memif socket id 1 filename "$SOCK" >/dev/null &&
		vppctl create interface memif id 0 socket-id 1 slave "$@" \
			>/dev/null &&
		vppctl set interface state memif1/0 up &&
		vppctl set interface ip address memif1/0 192.168.72.2/24
}

# pings: both ways, 56 and 1400 bytes.
pings() {
	ping_ok - 192.168.72.2 20 56 && ping_ok - 192.168.72.2 20 1400 &&
		vpp_ping 192.168.72.1 10 && vpp_ping 192.168.72.1 10 1400
}

# hugepage_regions: m0 maps region 0 (the rings) and VPP's buffer pools,
# whole hugepages.
hugepage_regions() {
	local sizes
	sizes=$("$MEMIFCTL" -j show m0 | jq -r '[.[0].regions[].size] | join(" ")')
	note "zero-copy: m0 maps regions of $sizes bytes"
	# Region 0, then at least one multiple of 2 MiB.
	jq -e '.[0].regions | length >= 2 and
		(.[1:] | all(.size % 2097152 == 0))' \
		<<<"$("$MEMIFCTL" -j show m0)" >/dev/null
}

ktap_plan 7

memif_load
check "160 hugepages, hugetlbfs" hugepages_setup 160
memifctl add m0 role server socket "$SOCK" id 0
link_up - m0 192.168.72.1/24
wait_for "[ -S $SOCK ]" 5 0.1 || bail "m0 does not listen"

vpp_start "buffers { buffers-per-numa 16384 page-size default-hugepage default data-size 2048 }" ||
	bail "VPP did not start"
vpp_slave
check "zero-copy (VPP's default), buffers in hugepages: connected" \
	wait_oper_up - m0 1 15
check "zero-copy: m0 maps VPP's hugepage buffer pools" hugepage_regions
check "zero-copy: pings both ways, 0% loss, payload checked" pings
vpp_stop
wait_oper_up - m0 0 5

vpp_start || bail "VPP did not start again"
vpp_slave no-zero-copy
check "no-zero-copy: connected" wait_oper_up - m0 1 15
check "no-zero-copy: one region" \
	eval "[ \"\$($MEMIFCTL -j show m0 | jq '.[0].regions | length')\" = 1 ]"
check "no-zero-copy: pings both ways" pings

ktap_finished
