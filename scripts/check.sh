#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is needed (apt), build, run the host-side checks
# (lint, memifctl's unit tests, the iproute2 plugin's command line checks)
# and every selftest, each in its own QEMU guest.  The last line is
# "N passed, N failed" over all of them.
#
# Arguments are passed to selftests/run.sh (e.g. test names).
set -u
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0

host_check() {
	local name=$1 log=build/logs/host-$1.log
	shift
	mkdir -p build/logs
	if "$@" > "$log" 2>&1; then
		echo "ok - host: $name"
		passed=$((passed + 1))
	else
		echo "not ok - host: $name (log: $log)"
		sed 's/^/# /' "$log" | tail -n 30
		failed=$((failed + 1))
	fi
}

scripts/deps.sh || { echo "check: installing dependencies failed"; echo "0 passed, 1 failed"; exit 1; }
if ! make all; then
	echo "check: the build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

host_check lint scripts/lint.sh
host_check memifctl-unit make -C tools/memifctl test
host_check iproute2-plugin make -C tools/iproute2 test
host_check vm-harness selftests/vm/test-harness.sh

out=build/logs/selftests.out
selftests/run.sh "$@" | tee "$out"
last=$(tail -n 1 "$out")
if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
	passed=$((passed + BASH_REMATCH[1]))
	failed=$((failed + BASH_REMATCH[2]))
else
	echo "check: selftests/run.sh did not finish"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
