#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test: hangs; must be reported as a timeout.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 1
sleep 1000
ktap_ok "not reached"
ktap_finished
