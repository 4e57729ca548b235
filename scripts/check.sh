#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is needed (apt), build, run the host-side checks
# (lint, memifctl's unit tests, the iproute2 plugin's command line checks)
# and every selftest, each in its own QEMU guest.  The last line is
# "N passed, N failed" over all of them.
#
# Lanes: the selftests run on the default kernel (scripts/kver.sh: Debian
# 12's 6.1), then again on the newest installed 6.12 kernel, with the
# module built for it warning-free (W=1) in build/lane-<release>.  The
# second lane leaves out 90-install, which builds in the guest (slow under
# TCG) and already installs through DKMS for both kernels in the first, and
# the long churn tests but 97-churn-rmmod, to keep CI within its time.
# With KVER given (make check KVER=...), only that kernel's lane runs.
#
# A test that fails is run once more (at most two a lane: run.sh --retry);
# one that then passes counts as passed and is named as flaky before the
# last line, with what failed; flaky in both lanes, it counts as failed.
# Arguments are passed to selftests/run.sh (e.g. test names).
set -u
cd "$(dirname "$0")/.." || exit 1

# shellcheck source=scripts/results.sh
source scripts/results.sh

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
		failures+=("host: $name (log: $log)")
	fi
}

scripts/deps.sh || { echo "check: installing dependencies failed"; echo "0 passed, 1 failed"; exit 1; }
if ! make all selftests; then
	echo "check: the build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

host_check lint scripts/lint.sh
host_check memifctl-unit make -C tools/memifctl test
host_check iproute2-plugin make -C tools/iproute2 test
host_check vm-harness selftests/vm/test-harness.sh
host_check fuzz-smoke env FUZZ_RUNS=2000 scripts/fuzz.sh

# lane NAME LOGDIR [ENV=VALUE...] -- [RUN_ARG...]: the selftests in one
# lane; its totals are added to ours.
lane() {
	local name=$1 logs=$2 out last
	shift 2
	local envs=()
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	out=$logs/selftests.out
	mkdir -p "$logs"
	echo "# lane $name"
	env "${envs[@]}" selftests/run.sh --logs "$logs" --retry 2 "$@" |
		tee "$out"
	results_add "$out" "check: lane $name"
}

# build_lane KVER DIR: the module alone, built for KVER in a copy of the
# sources at DIR, with W=1; -Werror makes any warning fail it.
build_lane() {
	local k=$1 dir=$2
	rm -rf "$dir" && mkdir -p "$dir" &&
		cp -r Kbuild dkms.conf drivers include scripts "$dir"/ &&
		find "$dir" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
			-o -name '*.mod' -o -name '*.mod.c' \) -delete &&
		make -C "/lib/modules/$k/build" M="$PWD/$dir" W=1 \
			KCFLAGS=-Werror MEMIF_DRV_VERSION="$(scripts/version.sh)" \
			modules
}

main_kver=$(scripts/kver.sh)
lane "$main_kver" build/logs -- "$@"

# KVER given by the user: make passes where it came from, as make exports
# the default it computed too.
case "${MEMIF_KVER_ORIGIN:-${KVER:+environment}}" in
"command line" | environment | override) one_lane=1 ;;
*) one_lane=0 ;;
esac
if [ "$one_lane" = 0 ] && other=$(scripts/kver.sh 6.12) &&
	[ "$other" != "$main_kver" ]; then
	dir=build/lane-$other
	host_check "build-$other" build_lane "$other" "$dir"
	if [ "$#" = 0 ]; then
		mapfile -t tests < <(selftests/run.sh --list |
			grep -vxE '90-install.sh|9[4568]-churn-.*')
	else
		tests=("$@")
	fi
	if [ -f "$dir/drivers/net/memif/memif.ko" ]; then
		lane "$other" "build/logs/$other" KVER="$other" \
			MEMIF_KO="$PWD/$dir/drivers/net/memif/memif.ko" -- \
			"${tests[@]}"
	fi
else
	echo "# no second kernel lane (KVER given, or no 6.12 kernel installed)"
fi

results_flaky_twice
results_summary
