#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test of run.sh --retry: fails both times.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 1
check "this fails on purpose" false
ktap_finished
