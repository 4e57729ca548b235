# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by check.sh and check-debug.sh: adding up the results of
# several selftests/run.sh runs into $passed and $failed.

passed=0
failed=0
failures=()
flaky_tests=()

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
	mapfile -t -O "${#flaky_tests[@]}" flaky_tests < <(
		sed -n 's/^ok [0-9]* \([^ ]*\) # flaky: .*/\1/p' "$1")
}

# results_flaky_twice: a test that passed only on a retry in two runs
# (both kernel lanes) counts as failed: it is not the host's load.
results_flaky_twice() {
	local t
	while read -r t; do
		passed=$((passed - 1))
		failed=$((failed + 1))
		failures+=("$t: flaky in two lanes, counted as failed")
	done < <(printf '%s\n' "${flaky_tests[@]+"${flaky_tests[@]}"}" |
		sort | uniq -d)
}

# results_failed OUT WHAT: a line for each test that failed in run.sh's
# output OUT, or passed only on a retry (flaky), then for each check
# inside it that failed ("# not ok ...") that line, up to three lines the
# test logged before it that say LEAK or fail and the last three it
# logged; for a test with no such check (a timeout, a bail-out), the last
# four lines of its output.
results_failed() {
	awk -v where="$2" '
		/^# / && !/^# +(not )?ok / { last[l++ % 4] = substr($0, 3, 160) }
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
		/^ok .* # flaky/ || /^not ok / {
			print where ": " $0
			for (i = 0; i < k; i++)
				print inner[i]
			if (!k)
				for (i = (l > 4 ? l - 4 : 0); i < l; i++)
					print "    " last[i % 4]
			k = n = m = l = 0
			next
		}
		/^ok / { k = n = m = l = 0; next }
	' "$1"
}

# results_summary: the failures results_add and the caller gathered, then
# the "N passed, N failed" line; false if anything failed.  A CI log's
# tail says what failed without its whole output.
results_summary() {
	local f
	if [ "${#failures[@]}" -gt 0 ]; then
		echo "# what failed, or passed only on a retry:"
		for f in "${failures[@]}"; do
			echo "#   $f"
		done
	fi
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
