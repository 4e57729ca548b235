#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: bench/guest.sh in two test VMs on Debian's 6.1 kernel, TCG
# with 2 vCPUs, then -icount shift=0,sleep=off with 1 vCPU (guest time
# counts instructions), and bench/report.py's table of both, with the
# JSON (build/bench/bench.json) and the plot (docs/bench.png).
#
# A benchmark, not a test: it fails only when a VM fails, never on a
# figure.  Environment: MEMIF_BENCH_SECONDS, _REPS, _ONLY (bench/guest.sh),
# BENCH_MODES ("tcg icount", or one of them), BENCH_PNG (docs/bench.png).
set -u
cd "$(dirname "$0")/.." || exit 1

scripts/deps.sh --bench || exit 1
make module tools || exit 1
mkdir -p build/bench
cc -O2 -g -Wall -Wextra -Werror -o bench/udp_sink bench/udp_sink.c || exit 1

modes=${BENCH_MODES:-tcg icount}
outs=()
for mode in $modes; do
	case "$mode" in
	tcg) opts=(--smp 2) ;;
	icount) opts=(--icount) ;;
	*) echo "bench: unknown mode $mode" >&2; exit 2 ;;
	esac
	out=build/bench/$mode.out
	echo "# bench: $mode"
	t0=$(date +%s)
	# The job's output is the console's: no --quiet.
	selftests/vm/run-vm.sh "${opts[@]}" --timeout 5400 --scan \
		--log "build/bench/$mode.log" --kmsg "build/bench/$mode.kmsg" \
		-e MEMIF_BENCH_MODE="$mode" -- bench/guest.sh > "$out"
	rc=$?
	grep -E '^(BENCH-FAIL|# )' "$out"
	echo "# bench: $mode took $(($(date +%s) - t0)) s, exit $rc"
	if [ "$rc" != 0 ] || ! grep -q '^BENCH-END' "$out"; then
		echo "bench: the $mode VM failed (build/bench/$mode.log)" >&2
		exit 1
	fi
	outs+=("$out")
done
# Debian's python3: matplotlib is its package.
/usr/bin/python3 bench/report.py --json build/bench/bench.json \
	--png "${BENCH_PNG:-docs/bench.png}" "${outs[@]}"
