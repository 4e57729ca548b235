#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test: passes.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 2
check "true" true
check_fail "false fails" false
ktap_finished
