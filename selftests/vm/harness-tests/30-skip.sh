#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test: skips.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
require_cmd no-such-command-memif
ktap_plan 1
check "never reached" false
ktap_finished
