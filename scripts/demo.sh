#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: install what is needed, build, boot the test VM and run
# scripts/demo-guest.sh in it.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
make all
exec selftests/vm/run-vm.sh --scan --timeout 600 -- bash scripts/demo-guest.sh
