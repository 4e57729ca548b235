#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test of run.sh --retry: fakes an int3 Oops where the text
# holds the int3 (cc): a kernel report that must fail the test at once.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 1
printf '%s\n' 'Oops: int3: 0000 [#1] PREEMPT SMP NOPTI' \
	'RIP: 0010:sched_clock_cpu+0x9/0x190' \
	'Code: 1e fa 41 54 55 53 cc <90> e8 71 ad f0 ff' |
	while read -r l; do echo "$l" > /dev/kmsg; done
ktap_ok "faked an int3 trap"
ktap_finished
