#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the selftests on a debug kernel (KASAN, UBSAN, lockdep,
# kmemleak, debugobjects, ...; scripts/debug-kernel.sh builds it from
# Debian's linux-source-6.1 or finds it in its cache), with memif.ko built
# for that kernel in build/lane-debug.  Each guest clears kmemleak's boot
# reports before the test and scans after it; any kernel report fails the
# test.  90-install (DKMS builds in the guest) is left out.
#
# Not part of make check: the kernel build takes long and the suite runs
# slower under KASAN (times: README.md).  Arguments: the tests to run
# (default: all but 90-install), MEMIF_DEBUG_JOBS (2) of them at a time.
# The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

fail_early() {
	echo "check-debug: $*"
	echo "0 passed, 1 failed"
	exit 1
}

scripts/deps.sh --debug-kernel || fail_early "installing dependencies failed"
make tools || fail_early "building the tools failed"

t0=$(date +%s)
kdir=$(scripts/debug-kernel.sh) || fail_early "the debug kernel did not build"
t1=$(date +%s)
release=$(cat "$kdir/release")
echo "# debug kernel $release in $kdir ($((t1 - t0)) s; first build: $(cat "$kdir/build-seconds") s)"

dir=build/lane-debug
if ! { rm -rf "$dir" && mkdir -p "$dir" &&
	cp -r Kbuild dkms.conf drivers include scripts "$dir"/ &&
	find "$dir" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod' -o -name '*.mod.c' \) -delete; }; then
	fail_early "cannot copy the sources to $dir"
fi
mkdir -p build/logs/debug
if ! make -C "$kdir/linux" M="$PWD/$dir" W=1 \
	MEMIF_DRV_VERSION="$(scripts/version.sh)" modules \
	> build/logs/debug/build.log 2>&1; then
	tail -n 30 build/logs/debug/build.log
	fail_early "memif.ko did not build for $release (build/logs/debug/build.log)"
fi

if [ "$#" = 0 ]; then
	mapfile -t tests < <(selftests/run.sh --list | grep -vx '90-install.sh')
else
	tests=("$@")
fi

# KASAN's shadow memory and kmemleak's metadata want more than the
# default 2 GiB.  no5lvl: with QEMU's 5-level paging this kernel's KASAN
# once reported a wild access in early boot, before any module loaded.
# Tests take up to 15 minutes there: an hour each at most.
stream() {
	MEMIF_VM_KERNEL=$kdir/bzImage \
	MEMIF_VM_MODDIR=$kdir/mods/lib/modules/$release \
	MEMIF_VM_MEM=${MEMIF_VM_MEM:-3072} \
	MEMIF_TIMEOUT_SCALE=${MEMIF_TIMEOUT_SCALE:-4} \
	MEMIF_KO=$PWD/$dir/drivers/net/memif/memif.ko \
		selftests/run.sh --timeout 3600 --logs build/logs/debug \
		--vm-opt --kmemleak --vm-opt --append --vm-opt no5lvl "$@"
}

# MEMIF_DEBUG_JOBS (2) guests at a time, each stream taking every
# JOBS-th test: a TCG guest keeps about one host CPU busy.
jobs=${MEMIF_DEBUG_JOBS:-2}
t2=$(date +%s)
# A stream with no test writes nothing: no earlier run's output may stay.
rm -f build/logs/debug/selftests-*.out
for ((j = 0; j < jobs; j++)); do
	mine=()
	for ((i = j; i < ${#tests[@]}; i += jobs)); do
		mine+=("${tests[i]}")
	done
	[ "${#mine[@]}" -gt 0 ] || continue
	stream "${mine[@]}" > "build/logs/debug/selftests-$j.out" 2>&1 &
done
wait
t3=$(date +%s)
# shellcheck source=scripts/results.sh
source scripts/results.sh
for ((j = 0; j < jobs; j++)); do
	out=build/logs/debug/selftests-$j.out
	[ -f "$out" ] || continue
	cat "$out"
	results_add "$out" "check-debug: stream $j"
done
echo "# check-debug: kernel $((t1 - t0)) s, selftests $((t3 - t2)) s ($jobs at a time)"
results_summary
