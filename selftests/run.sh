#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the memif selftests, each in its own freshly booted QEMU guest
# (selftests/vm/run-vm.sh), and check the guest's kernel log after each
# (selftests/vm/scan-kmsg.sh).  Prints TAP, then "N passed, N failed" (and
# ", N skipped" when some were skipped).  Exits 1 if any test failed.

set -eu

SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SELF_DIR/.." && pwd)
VM_DIR=$SELF_DIR/vm

usage() {
	cat <<EOF
usage: ${0##*/} [OPTIONS] [TEST...]

Run the tests of $test_dir_default (TEST_PROGS of
its Makefile if it has one, else every executable *.sh but lib.sh,
*_lib.sh, lib_*.sh and lib-*.sh), or only the TESTs named (with or without .sh), each in a fresh VM.

Options:
  --list          list the tests and exit
  --timeout S     per-test timeout (default: timeout= in the directory's
                  "settings" file, else 300)
  --vm-opt OPT    pass OPT to run-vm.sh (repeatable), e.g. --vm-opt --icount
                  (also: MEMIF_VM_OPTS="--smp 2 --mem 1024")
  --dir DIR       take the tests from DIR (default: MEMIF_SELFTEST_DIR or
                  the directory above)
  --logs DIR      where to put <test>.log (console) and <test>.kmsg (kernel
                  log) (default: MEMIF_LOG_DIR or $REPO_ROOT/build/logs)
  --retry N       run a test that failed once more, for at most N tests
                  (default 0); one that then passes counts as passed but
                  is reported flaky ("ok N T # flaky: ...", and at the end);
                  a failure with kernel problem reports, or a timeout, is
                  never retried, but for an int3 trap the kernel's text
                  patching did not claim (scan-kmsg.sh --help)
  -h, --help      this text
EOF
}

test_dir_default=$SELF_DIR/drivers/net/memif
test_dir=${MEMIF_SELFTEST_DIR:-$test_dir_default}
log_dir=${MEMIF_LOG_DIR:-$REPO_ROOT/build/logs}
timeout_opt=
list=0
retries=0
# shellcheck disable=SC2206	# word splitting wanted
vm_opts=(${MEMIF_VM_OPTS:-})

while [ "$#" -gt 0 ]; do
	case "$1" in
	--list) list=1; shift ;;
	--timeout) timeout_opt=${2:?--timeout needs seconds}; shift 2 ;;
	--vm-opt) vm_opts+=("${2:?--vm-opt needs an option}"); shift 2 ;;
	--dir) test_dir=${2:?--dir needs a directory}; shift 2 ;;
	--logs) log_dir=${2:?--logs needs a directory}; shift 2 ;;
	--retry) retries=${2:?--retry needs a count}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done

test_dir=$(cd "$test_dir" && pwd)
rel_dir=${test_dir#"$SELF_DIR"/}

# The tests: TEST_PROGS of the directory's Makefile when there is one (as
# in kselftest), else every executable *.sh but the helper libraries
# (lib.sh, *_lib.sh, lib_*.sh, lib-*.sh).
all_tests=()
if [ -f "$test_dir/Makefile" ] && grep -q '^TEST_PROGS' "$test_dir/Makefile"; then
	read -r -a all_tests <<< "$(
		sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$test_dir/Makefile" |
		sed -n 's/^TEST_PROGS[[:space:]]*[:+]\{0,1\}=//p' | tr '\n' ' ')"
else
	for f in "$test_dir"/*.sh; do
		case "${f##*/}" in
		lib.sh|*_lib.sh|lib[_-]*.sh) continue ;;
		esac
		if [ -f "$f" ] && [ -x "$f" ]; then
			all_tests+=("${f##*/}")
		fi
	done
fi

tests=()
if [ "$#" -eq 0 ]; then
	tests=("${all_tests[@]+"${all_tests[@]}"}")
else
	for t in "$@"; do
		t=${t##*/}
		[ "${t%.sh}" != "$t" ] || t=$t.sh
		found=0
		for a in "${all_tests[@]+"${all_tests[@]}"}"; do
			[ "$a" != "$t" ] || found=1
		done
		if [ "$found" = 0 ]; then
			echo "run.sh: no test $t in $test_dir" >&2
			exit 2
		fi
		tests+=("$t")
	done
fi

if [ "$list" = 1 ]; then
	for t in "${tests[@]+"${tests[@]}"}"; do
		echo "$t"
	done
	exit 0
fi
if [ "${#tests[@]}" -eq 0 ]; then
	echo "run.sh: no tests in $test_dir" >&2
	exit 2
fi

timeout=300
if [ -f "$test_dir/settings" ]; then
	v=$(sed -n 's/^timeout=\([0-9][0-9]*\)[[:space:]]*$/\1/p' \
		"$test_dir/settings" | tail -n1)
	[ -z "$v" ] || timeout=$v
fi
[ -z "$timeout_opt" ] || timeout=$timeout_opt
case "$timeout" in
''|*[!0-9]*) echo "run.sh: bad timeout $timeout" >&2; exit 2 ;;
esac
case "$retries" in
''|*[!0-9]*) echo "run.sh: bad retry count $retries" >&2; exit 2 ;;
esac
retries=$((10#$retries))
# Booting and powering off a TCG guest on a loaded host: be generous.
vm_timeout=$((timeout + 180))

mkdir -p "$log_dir"

# Print the job's part of a console log as TAP comments.
job_output() {
	tr -d '\r' < "$1" | sed -n '/^=== memif-vm: job start ===$/,/^=== memif-vm: job end rc=[0-9]* ===$/{
		/^=== memif-vm: job /d
		/^\[ *[0-9.]*\] memif-vm: job /d
		s/^/# /p
	}'
}

echo "TAP version 13"
echo "1..${#tests[@]}"
ko=${MEMIF_KO:-$REPO_ROOT/drivers/net/memif/memif.ko}
if [ -f "$ko" ]; then
	echo "# memif.ko: $ko"
else
	echo "# memif.ko: not built"
fi

# run_test T: test T in a fresh guest, its output as TAP comments; sets
# result (pass, skip, fail), directive, and retry_ok (1: a failure that
# --retry may run again).
run_test() {
	local t=$1 boot rc start elapsed scan_files reports scan int3
	start=$(date +%s)
	# A guest that dies before the test starts (TCG now and then trips
	# over a kernel's early boot: seen with 6.12, an int3 Oops in
	# run_timer_softirq before any module is loaded) is booted once more;
	# the first console log is kept as NAME.boot1.log.
	for boot in 1 2; do
		rc=0
		# In the background, so that a signal to us can stop the guest.
		"$VM_DIR/run-vm.sh" --quiet --log "$log" --kmsg "$kmsg" \
			--timeout "$vm_timeout" --cwd "$test_dir" \
			"${vm_opts[@]+"${vm_opts[@]}"}" -- \
			timeout -k 10 "$timeout" "./$t" 2> "$log_dir/$name.run-vm.err" &
		vm_pid=$!
		trap 'kill -TERM "$vm_pid" 2>/dev/null; wait "$vm_pid" || :; echo "Bail out! interrupted"; exit 130' INT TERM HUP
		wait "$vm_pid" || rc=$?
		trap - INT TERM HUP
		if [ "$boot" = 2 ] || [ "$rc" = 0 ] ||
			grep -q '^=== memif-vm: job start ===' "$log" 2>/dev/null; then
			break
		fi
		[ ! -e "$log" ] || mv "$log" "$log_dir/$name.boot1.log"
		echo "# the guest died before the test started (exit $rc, log $log_dir/$name.boot1.log): booting again"
	done
	elapsed=$(($(date +%s) - start))

	if grep -q '^=== memif-vm: job start ===' "$log" 2>/dev/null; then
		job_output "$log"
	else
		echo "# (the test did not start; end of the console log:)"
		tr -d '\r' < "$log" 2>/dev/null | tail -n 30 | sed 's/^/# /'
	fi
	sed 's/^/# /' "$log_dir/$name.run-vm.err"
	rm -f "$log_dir/$name.run-vm.err"

	# The kernel log: the final dmesg when the guest got that far, else
	# whatever was streamed plus the console.
	scan_files=("$kmsg")
	grep -q '^===== memif-vm: end =====' "$kmsg" 2>/dev/null ||
		scan_files+=("$log")
	reports=$("$VM_DIR/scan-kmsg.sh" "${scan_files[@]}" 2>&1) && scan=0 || scan=1

	directive=
	retry_ok=0
	if [ "$scan" = 1 ]; then
		echo "# kernel problem reports in the kernel log:"
		printf '%s\n' "$reports" | sed 's/^/#   /'
		result=fail
		directive=" # kernel reports"
		[ "$rc" != 124 ] || directive=" # TIMEOUT, kernel reports"
		# But for an int3 trap the kernel's text patching did not
		# claim (scan-kmsg.sh --help): the test may then run again.
		if [ "$rc" != 124 ] &&
			int3=$("$VM_DIR/scan-kmsg.sh" --unclaimed-int3 "${scan_files[@]}" 2>&1); then
			printf '%s\n' "$int3" | sed 's/^/# /'
			directive=" # kernel reports: an unclaimed int3 trap"
			retry_ok=1
		fi
	elif [ "$rc" = 0 ]; then
		result=pass
	elif [ "$rc" = 4 ]; then
		result=skip
		directive=" # SKIP"
	elif [ "$rc" = 124 ]; then
		result=fail
		directive=" # TIMEOUT"
	elif [ "$rc" = 125 ]; then
		result=fail
		directive=" # VM failure"
		retry_ok=1
	else
		result=fail
		directive=" # exit=$rc"
		retry_ok=1
	fi
	echo "# $t: ${elapsed}s, console log $log, kernel log $kmsg"
}

pass=0
fail=0
skipped=0
flaky=()
n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	name=${t%.sh}
	log=$log_dir/$name.log
	kmsg=$log_dir/$name.kmsg
	echo "# selftests: $rel_dir: $t"
	run_test "$t"
	# A test that failed on its own (not with a kernel report, which
	# stands, but for an unclaimed int3, nor by running out of time, which
	# would cost as much again) runs once more in a new guest when
	# retries are asked for (--retry): a TCG guest on a loaded host now
	# and then misses a deadline.  Only a pass then counts, as flaky,
	# named at the end, with the first logs kept as NAME.try1.log and
	# .kmsg.
	if [ "$result" = fail ] && [ "$retries" -gt 0 ] && [ "$retry_ok" = 1 ]; then
		retries=$((retries - 1))
		first=${directive# # }
		[ ! -e "$log" ] || mv "$log" "$log_dir/$name.try1.log"
		[ ! -e "$kmsg" ] || mv "$kmsg" "$log_dir/$name.try1.kmsg"
		echo "# $t failed ($first): running it once more (first logs: $log_dir/$name.try1.log)"
		run_test "$t"
		if [ "$result" = pass ]; then
			directive=" # flaky: failed once ($first), passed on retry"
			flaky+=("$t: failed once ($first), log $log_dir/$name.try1.log")
		else
			result=fail
			directive=" # failed twice: $first; then ${directive# # }"
		fi
	fi
	case "$result" in
	pass) pass=$((pass + 1)); echo "ok $n $t$directive" ;;
	skip) skipped=$((skipped + 1)); echo "ok $n $t$directive" ;;
	*) fail=$((fail + 1)); echo "not ok $n $t$directive" ;;
	esac
done

for f in "${flaky[@]+"${flaky[@]}"}"; do
	echo "# flaky: $f"
done
summary="$pass passed, $fail failed"
[ "$skipped" = 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ "$fail" = 0 ]
