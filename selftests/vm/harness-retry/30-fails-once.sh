#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test of run.sh --retry: fails the first time, passes the
# second (its first log moved to $MEMIF_HARNESS_LOGS).
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 1
check "passes the second time" \
	test -e "$MEMIF_HARNESS_LOGS/30-fails-once.try1.log"
ktap_finished
