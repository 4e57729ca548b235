# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by check.sh and check-debug.sh: adding up the results of
# several selftests/run.sh runs into $passed and $failed.

passed=0
failed=0

# results_add OUT WHAT: add the "N passed, N failed" line that ends
# run.sh's output OUT; without it, say that WHAT did not finish and count
# one failure.
results_add() {
	local last
	last=$(tail -n 1 "$1" 2>/dev/null)
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
	else
		echo "$2: selftests/run.sh did not finish"
		failed=$((failed + 1))
	fi
}
