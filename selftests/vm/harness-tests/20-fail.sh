#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test: fails (one sub-test fails).
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 2
check "true" true
check "this fails on purpose" false
ktap_finished
