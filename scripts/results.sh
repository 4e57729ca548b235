# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by check.sh and check-debug.sh: adding up the results of
# several selftests/run.sh runs into $passed and $failed.

passed=0
failed=0
failures=()

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
		failures+=("$2: did not finish")
	fi
	mapfile -t -O "${#failures[@]}" failures < <(results_failed "$1" "$2")
}

# results_failed OUT WHAT: a line for each test that failed in run.sh's
# output OUT, then for each check inside it that failed ("# not ok ...")
# that line, the last three lines the test logged before it and up to
# three more of them that say LEAK or fail.
results_failed() {
	awk -v where="$2" '
		/^# # / {
			line = substr($0, 5, 160)
			if (line ~ /LEAK|fail/ && m < 3)
				hot[m++] = line
			else
				d[n++ % 3] = line
			next
		}
		/^# +not ok / {
			sub(/^# +/, "")
			inner[k++] = "  " $0
			for (i = 0; i < m; i++)
				inner[k++] = "    " hot[i]
			for (i = (n > 3 ? n - 3 : 0); i < n; i++)
				inner[k++] = "    " d[i % 3]
			n = m = 0
			next
		}
		/^# +ok / { n = m = 0; next }
		/^ok / { k = n = m = 0; next }
		/^not ok / {
			print where ": " $0
			for (i = 0; i < k; i++)
				print inner[i]
			k = n = m = 0
		}
	' "$1"
}

# results_summary: the failures results_add and the caller gathered, then
# the "N passed, N failed" line; false if anything failed.  A CI log's
# tail says what failed without its whole output.
results_summary() {
	local f
	if [ "${#failures[@]}" -gt 0 ]; then
		echo "# what failed:"
		for f in "${failures[@]}"; do
			echo "#   $f"
		done
	fi
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
