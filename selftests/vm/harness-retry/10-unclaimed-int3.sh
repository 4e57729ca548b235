#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test of run.sh --retry: the first time, fakes an int3 trap
# the kernel's text patching did not claim (an int3 Oops whose Code: line
# shows 66, not cc, before the marked byte); the second time (its first
# log moved to $MEMIF_HARNESS_LOGS), passes.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 1
if [ ! -e "$MEMIF_HARNESS_LOGS/10-unclaimed-int3.try1.log" ]; then
	printf '%s\n' 'Oops: int3: 0000 [#1] PREEMPT SMP NOPTI' \
		'RIP: 0010:sched_clock_cpu+0x9/0x190' \
		'Code: 1e fa 41 54 55 53 66 <90> e8 71 ad f0 ff' |
		while read -r l; do echo "$l" > /dev/kmsg; done
fi
ktap_ok "faked an unclaimed int3 the first time"
ktap_finished
