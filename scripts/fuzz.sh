#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz: build the fuzz targets of tools/fuzz (the module's own
# validate.c in userspace, with libFuzzer, ASan and UBSan), run each for
# FUZZ_SECONDS (default 60) or, if set, FUZZ_RUNS inputs, and report the
# executions and the coverage libFuzzer saw; then replay the corpora in a
# coverage build and report llvm-cov's line coverage of validate.c and
# validate.h.  A crash, a sanitizer report or a violated property fails.
#
# The corpora grow in build/fuzz/corpus/ from run to run; crashing inputs
# are kept in build/fuzz/crashes/ (replay: build/fuzz/fuzz_ring FILE).
#
# usage: scripts/fuzz.sh [TARGET...]   (TARGET: msg, ring; default both)
set -eu
cd "$(dirname "$0")/.."
out=$PWD/build/fuzz
secs=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:-}
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(msg ring)

command -v clang >/dev/null || {
	echo "fuzz: clang is missing (scripts/deps.sh installs it)" >&2
	exit 1
}
make -s -C tools/fuzz O="$out"
mkdir -p "$out/seeds/msg" "$out/seeds/ring" "$out/crashes" "$out/cov"
"$out/mkseeds" "$out/seeds/msg" "$out/seeds/ring"

if [ -n "$runs" ]; then
	limit=(-runs="$runs")
else
	limit=(-max_total_time="$secs")
fi

rc=0
for t in "${targets[@]}"; do
	bin=$out/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz: no target $t" >&2; exit 2; }
	corpus=$out/corpus/$t
	log=$out/fuzz_$t.log
	mkdir -p "$corpus"
	echo "fuzz: $t: ${limit[*]}"
	if ! "$bin" "${limit[@]}" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$out/crashes/$t-" \
		"$corpus" "$out/seeds/$t" > "$log" 2>&1; then
		echo "fuzz: $t: FAILED (log: $log)"
		grep -E "property violated|ERROR:|SUMMARY:|runtime error|Test unit written" \
			"$log" | head -n 20 | sed 's/^/#   /'
		rc=1
		continue
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
	cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/cov \1, ft \2, corpus \3/p' \
		<<<"$done_line")
	echo "fuzz: $t: ok: $execs executions, $rate/s; $cov"
done

# Line coverage: the corpora replayed in the coverage build.
profdata=$(command -v llvm-profdata || command -v llvm-profdata-14 || true)
llvmcov=$(command -v llvm-cov || command -v llvm-cov-14 || true)
if [ -n "$profdata" ] && [ -n "$llvmcov" ]; then
	rm -f "$out"/cov/*.profraw
	objs=()
	for t in "${targets[@]}"; do
		LLVM_PROFILE_FILE="$out/cov/$t.profraw" "$out/fuzz_$t.cov" \
			-artifact_prefix="$out/cov/$t-" \
			-runs=0 "$out/corpus/$t" "$out/seeds/$t" \
			> "$out/cov/$t.log" 2>&1 || true
		# llvm-cov: the first binary, then -object for each other.
		[ "${#objs[@]}" = 0 ] || objs+=(-object)
		objs+=("$out/fuzz_$t.cov")
	done
	srcs=(drivers/net/memif/validate.c drivers/net/memif/validate.h)
	if "$profdata" merge -o "$out/cov/all.profdata" "$out"/cov/*.profraw &&
		"$llvmcov" report "${objs[@]}" \
			-instr-profile="$out/cov/all.profdata" "${srcs[@]}" \
			> "$out/cov/report.txt" &&
		"$llvmcov" export -format=lcov "${objs[@]}" \
			-instr-profile="$out/cov/all.profdata" "${srcs[@]}" \
			> "$out/cov/validate.lcov"; then
		echo "fuzz: coverage of the corpora (llvm-cov; build/fuzz/cov/):"
		# Per source line and branch, whichever copy of an inline
		# function of validate.h ran it.
		awk -F'[:,]' '
		/^SF:/ { f = $2; sub(/.*\//, "", f); files[f] = 1; next }
		/^DA:/ {
			k = f SUBSEP $2
			if (!(k in line)) { line[k] = 0; lines[f]++ }
			if ($3 > 0 && !line[k]) { line[k] = 1; hit[f]++ }
		}
		/^BRDA:/ {
			k = f SUBSEP $2 SUBSEP $3 SUBSEP $4
			if (!(k in br)) { br[k] = 0; brs[f]++ }
			if ($5 != "-" && $5 > 0 && !br[k]) { br[k] = 1; taken[f]++ }
		}
		END {
			for (f in files)
				printf "fuzz:   %s: lines %d of %d, branches %d of %d\n",
					f, hit[f], lines[f], taken[f], brs[f]
		}' "$out/cov/validate.lcov" | sort
	else
		echo "fuzz: llvm-cov failed; no line coverage"
	fi
else
	echo "fuzz: no llvm-profdata/llvm-cov; no line coverage"
fi

if [ "$rc" = 0 ]; then
	echo "fuzz: no crash"
else
	echo "fuzz: FAILED"
fi
exit "$rc"
