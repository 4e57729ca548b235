#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test: passes, but fakes a kernel WARN in the kernel log, which
# the harness must turn into a failure.
source "$(dirname "$0")/../../drivers/net/memif/lib.sh"
ktap_plan 1
echo "WARNING: CPU: 0 PID: 1 at drivers/net/memif/fake.c:1 fake_warn+0x0/0x10 [memif]" > /dev/kmsg
ktap_ok "fake WARNING written to /dev/kmsg"
ktap_finished
