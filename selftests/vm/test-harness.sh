#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the test bed: scan-kmsg.sh on canned logs (host only, quick),
# then run-vm.sh and run.sh in real guests: exit status, working directory,
# environment, timeouts, kernel reports (a fake WARNING written to
# /dev/kmsg and a real stack dump), and run.sh over harness-tests/, whose
# tests pass, fail, skip, warn, hang and exercise lib.sh with dpdk-testpmd,
# and with --retry over harness-retry/ (failing once, twice, and faking an
# unclaimed int3 trap and a claimed one).
#
# usage: selftests/vm/test-harness.sh [--quick]     (--quick: no VM)
# Prints TAP; exits 1 if anything failed.  Takes 5-6 minutes.

set -eu

SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SELF_DIR/../.." && pwd)
SCAN=$SELF_DIR/scan-kmsg.sh
RUN_VM=$SELF_DIR/run-vm.sh

quick=0
[ "${1:-}" != --quick ] || quick=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n $*"
}
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $*"
}
# expect_rc DESC WANT CMD...: CMD's exit status must be WANT.
expect_rc() {
	local desc=$1 want=$2 rc=0
	shift 2
	"$@" > "$tmp/out" 2>&1 || rc=$?
	if [ "$rc" = "$want" ]; then
		ok "$desc"
	else
		sed 's/^/# /' "$tmp/out" | tail -n 40
		not_ok "$desc (exit status $rc, want $want)"
	fi
}
# expect_out DESC ERE FILE: FILE must match ERE.
expect_out() {
	if grep -Eq -- "$2" "$3"; then
		ok "$1"
	else
		sed 's/^/# /' "$3" | tail -n 40
		not_ok "$1"
	fi
}

echo "TAP version 13"

# --- scan-kmsg.sh ----------------------------------------------------------

# Real reports, in the formats the scanner sees.
bad_lines=(
	'4,1234,5678,-;WARNING: CPU: 1 PID: 42 at drivers/net/memif/memif.c:100 memif_xmit+0x10/0x20 [memif]'
	'<4>[   12.345678] WARNING: CPU: 0 PID: 1 at net/core/dev.c:1 dev_x+0x1/0x2'
	'[   12.345678] ------------[ cut here ]------------'$'\n''[   12.345679] kernel BUG at net/core/skbuff.c:120!'
	'[    1.000000] BUG: KASAN: slab-use-after-free in memif_rx+0x1/0x2 [memif]'
	'[    1.000000] BUG: KFENCE: out-of-bounds read in memif_poll+0x1/0x2'
	'[    1.000000] BUG: unable to handle page fault for address: ffff888000000000'
	'[    1.000000] BUG: sleeping function called from invalid context at mm/slab.h:1'
	'[    1.000000] BUG: scheduling while atomic: ip/123/0x00000002'
	'[    1.000000] BUG kmalloc-64 (Tainted: G           OE     ): Redzone overwritten'
	'[    1.000000] Oops: 0002 [#1] PREEMPT SMP NOPTI'
	'[    1.000000] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI'
	'[    1.000000] stack segment: 0000 [#1] PREEMPT SMP NOPTI'
	'[    1.000000] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI'
	'[    1.000000] UBSAN: array-index-out-of-bounds in drivers/net/memif/memif.c:10:5'
	'[    1.000000] refcount_t: underflow; use-after-free.'
	'[    1.000000] Call Trace:'
	'[    1.000000] WARNING: possible circular locking dependency detected'
	'[    1.000000] WARNING: suspicious RCU usage'
	'[    1.000000] INFO: trying to register non-static key.'
	'[    1.000000] INFO: task ip:123 blocked for more than 60 seconds.'
	'[    1.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
	'[    1.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [ksoftirqd/0:15]'
	'[    1.000000] unregister_netdevice: waiting for memif0 to become free. Usage count = 2'
	'[    1.000000] Kernel panic - not syncing: Fatal exception in interrupt'
	'[    1.000000] ODEBUG: free active (active state 0) object: 0000000012345678 object type: timer_list hint: memif_timer+0x0/0x10 [memif]'
	'[    1.000000] leaked reference.'
	'[    1.000000] ODEBUG: object 00000000deadbeef is on stack 00000000cafe0000, but NOT annotated.'
	'[    1.000000] kmemleak: Memory pool empty, consider increasing CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE'
	'[    1.000000] kmemleak: Kernel memory leak detector disabled'
	'kmemleak-report: unreferenced object 0xffff888003a1b400 (size 512):'
	'kmemleak-report: FAILED: cannot scan (kmemleak disabled?)'
	'memif-vm-taint=512'
	'memif-vm-taint=4224'
)
i=0
for l in "${bad_lines[@]}"; do
	i=$((i + 1))
	printf '%s\n' "[    0.100000] Linux version 6.1.0" "$l" "[    2.0] ok" \
		> "$tmp/bad$i"
	d=${l//$'\n'/ }
	expect_rc "scan-kmsg flags: ${d:0:90}" 1 "$SCAN" "$tmp/bad$i"
done

# Innocuous lines that look alike.
cat > "$tmp/good" <<'EOF'
[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)
[    0.500000] RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!
[    1.175245] PCI: Using host bridge windows from ACPI; if necessary, use "pci=nocrs" and report a bug
[    1.437086] AMD-Vi: AMD IOMMUv2 functionality not available on this system - This is not a bug.
<4>[    1.872531] Unstable clock detected, switching default tracing clock to "global"
[    5.000000] traps: testpmd[123] general protection fault ip:7f0000 sp:7ffd0000 error:0 in libc.so.6[7f0000+100000]
[    5.000000] traps: a.out[124] trap invalid opcode ip:401000 sp:7ffd0000 error:0 in a.out[401000+1000]
[    5.100000] hrtimer: interrupt took 21851660 ns
[    0.200000] kmemleak: Kernel memory leak detector initialized (mem pool available: 15000)
[    0.200000] ODEBUG: selftest passed
6,500,5000000,-;memif: loaded (out-of-tree)
memif-vm-taint=12288
EOF
expect_rc "scan-kmsg passes innocuous lines" 0 "$SCAN" "$tmp/good"
expect_rc "scan-kmsg --ignore" 0 "$SCAN" --ignore 'memif_xmit' "$tmp/bad1" "$tmp/good"
expect_rc "scan-kmsg MEMIF_KMSG_IGNORE" 0 env MEMIF_KMSG_IGNORE='memif_xmit' "$SCAN" "$tmp/bad1"
printf '%s\n' '[    1.0] WARNING: CPU: 0 PID: 1 at x' \
	'===== memif-vm: final dmesg =====' '<6>[    0.0] Linux' \
	'memif-vm-taint=0' '===== memif-vm: end =====' > "$tmp/final"
expect_rc "scan-kmsg reads only the final dmesg when there is one" 0 "$SCAN" "$tmp/final"
expect_rc "scan-kmsg reads stdin" 1 "$SCAN" < "$tmp/bad1"
expect_rc "scan-kmsg: unreadable file is an error" 2 "$SCAN" "$tmp/nonexistent"

# --unclaimed-int3: an int3 trap the kernel's text patching did not claim.
# int3_log FILE CODE [FIRST [AFTER]]: a panic on an int3 trap whose Code:
# line has CODE before the marked byte, after the line FIRST and with AFTER
# after the Code: line if given.
int3_log() {
	{
		echo '[    1.0] Linux version 6.12.118+deb12-amd64'
		[ -z "${3:-}" ] || echo "$3"
		echo '[    1.7] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI'
		echo '[    1.7] CPU: 0 UID: 0 PID: 0 Comm: swapper/0 Not tainted'
		echo '[    1.7] RIP: 0010:sched_clock_cpu+0x9/0x190'
		echo "[    1.7] Code: 1e fa 41 54 55 53 $2 <90> e8 71 ad f0 ff"
		[ -z "${4:-}" ] || echo "$4"
		echo '[    1.7] Call Trace:'
		echo '[    1.7] Oops: int3: 0000 [#2] PREEMPT SMP NOPTI'
		echo '[    1.7] RIP: 0010:sched_clock_cpu+0x9/0x190'
		echo "[    1.7] Code: 1e fa 41 54 55 53 $2 <90> e8 71 ad f0 ff"
		echo '[    1.7] Kernel panic - not syncing: Fatal exception in interrupt'
	} > "$1"
}
U=("$SCAN" --unclaimed-int3)
int3_log "$tmp/unclaimed" 66
int3_log "$tmp/int3" cc
int3_log "$tmp/warn-first" 66 '[    1.5] WARNING: CPU: 0 PID: 1 at x'
int3_log "$tmp/warn-after" 66 '' '[    1.7] WARNING: CPU: 1 PID: 1 at x'
head -n 4 "$tmp/unclaimed" > "$tmp/cut"
# Another report between an int3 oops and the RIP and Code lines.
sed '2a [    1.6] BUG: KASAN: slab-use-after-free in memif_rx+0x1/0x2' \
	"$tmp/unclaimed" > "$tmp/no-code"
expect_rc "scan-kmsg flags an unclaimed int3 as a report" 1 "$SCAN" "$tmp/unclaimed"
expect_rc "scan-kmsg --unclaimed-int3: no int3 in the text once dumped" 0 \
	"${U[@]}" "$tmp/unclaimed"
expect_rc "scan-kmsg --unclaimed-int3: as /dev/kmsg records" 0 \
	"${U[@]}" <(sed 's/^\[ *[0-9.]*\] /4,1,2,-;/' "$tmp/unclaimed")
expect_rc "scan-kmsg --unclaimed-int3: a log cut before Code:, another says" 0 \
	"${U[@]}" "$tmp/cut" "$tmp/unclaimed"
expect_rc "scan-kmsg --unclaimed-int3: a log cut before Code: alone, no" 1 \
	"${U[@]}" "$tmp/cut"
expect_rc "scan-kmsg --unclaimed-int3: the int3 is in the text, no" 1 \
	"${U[@]}" "$tmp/int3"
expect_rc "scan-kmsg --unclaimed-int3: a warning before it, no" 1 \
	"${U[@]}" "$tmp/warn-first"
expect_rc "scan-kmsg --unclaimed-int3: a warning after it, no" 1 \
	"${U[@]}" "$tmp/warn-after"
expect_rc "scan-kmsg --unclaimed-int3: another report before RIP:, no" 1 \
	"${U[@]}" "$tmp/no-code"
expect_rc "scan-kmsg --unclaimed-int3: one log of two, no" 1 \
	"${U[@]}" "$tmp/unclaimed" "$tmp/int3"
expect_rc "scan-kmsg --unclaimed-int3: no report at all, no" 1 \
	"${U[@]}" "$tmp/good"

if [ "$quick" = 1 ]; then
	echo "1..$n"
	echo "$((n - failed)) passed, $failed failed"
	[ "$failed" = 0 ]
	exit
fi

# --- run-vm.sh -------------------------------------------------------------

vm() {
	"$RUN_VM" --quiet --log "$tmp/console" "$@"
}

expect_rc "run-vm: exit status is passed on" 7 vm -- bash -c 'exit 7'
# shellcheck disable=SC2016	# expanded in the guest
expect_rc "run-vm: cwd, -e and MEMIF_* environment" 0 \
	env MEMIF_FOO=foo "$RUN_VM" --quiet --log "$tmp/console" \
	--cwd "$REPO_ROOT/selftests" -e BAR='b a r' -- \
	bash -c '[ "$PWD" = "$1" ] && [ "$MEMIF_FOO" = foo ] && [ "$BAR" = "b a r" ]' \
	_ "$REPO_ROOT/selftests"
expect_rc "run-vm --scan: a fake WARNING in /dev/kmsg fails" 122 vm --scan -- \
	bash -c 'echo "WARNING: CPU: 0 PID: 1 at fake.c:1 fake+0x0/0x1" > /dev/kmsg'
expect_out "run-vm --scan prints the report" \
	'WARNING: CPU: 0 PID: 1 at fake\.c:1' "$tmp/out"
expect_rc "run-vm --scan: a real stack dump (sysrq l) fails" 122 vm --scan -- \
	bash -c 'echo l > /proc/sysrq-trigger; sleep 1'
expect_out "run-vm --scan prints the Call Trace" 'Call Trace:' "$tmp/out"
expect_rc "run-vm --scan: clean run, failing command keeps its status" 3 \
	vm --scan -- bash -c 'exit 3'
start=$(date +%s)
expect_rc "run-vm --timeout: a hung guest is killed, exit 124" 124 \
	vm --timeout 20 -- sleep 600
elapsed=$(($(date +%s) - start))
if [ "$elapsed" -lt 45 ]; then
	ok "run-vm --timeout took ${elapsed}s"
else
	not_ok "run-vm --timeout took ${elapsed}s"
fi
expect_rc "run-vm: a kernel panic ends the guest, exit 125" 125 vm -- \
	bash -c 'echo c > /proc/sysrq-trigger; sleep 60'
expect_out "run-vm: the panic is on the console" 'Kernel panic' "$tmp/console"

# --- run.sh ----------------------------------------------------------------

expect_rc "run.sh over harness-tests fails" 1 \
	"$REPO_ROOT/selftests/run.sh" --dir "$SELF_DIR/harness-tests" \
	--logs "$tmp/logs" --timeout 60
cp "$tmp/out" "$tmp/run.out"
expect_out "run.sh: TAP header" '^TAP version 13$' "$tmp/run.out"
expect_out "run.sh: plan" '^1\.\.6$' "$tmp/run.out"
expect_out "run.sh: pass" '^ok 1 10-pass\.sh$' "$tmp/run.out"
expect_out "run.sh: fail" '^not ok 2 20-fail\.sh' "$tmp/run.out"
expect_out "run.sh: skip" '^ok 3 30-skip\.sh # SKIP' "$tmp/run.out"
expect_out "run.sh: kernel WARNING fails a passing test" \
	'^not ok 4 40-kernel-warning\.sh # kernel reports$' "$tmp/run.out"
expect_out "run.sh: timeout" '^not ok 5 50-timeout\.sh # TIMEOUT$' "$tmp/run.out"
expect_out "run.sh: lib.sh, testpmd, iperf3" '^ok 6 60-helpers\.sh$' "$tmp/run.out"
expect_out "run.sh: summary is the last line" \
	'^2 passed, 3 failed, 1 skipped$' <(tail -n1 "$tmp/run.out")
expect_out "run.sh: per-test console log" 'job start' "$tmp/logs/10-pass.log"

expect_rc "run.sh: a subset by name" 0 \
	"$REPO_ROOT/selftests/run.sh" --dir "$SELF_DIR/harness-tests" \
	--logs "$tmp/logs" 10-pass 30-skip.sh
expect_out "run.sh: subset summary" '^1 passed, 0 failed, 1 skipped$' \
	<(tail -n1 "$tmp/out")

# --retry over harness-retry/, whose tests see where the first logs go.
expect_rc "run.sh --retry: what failed twice, or with a report, fails" 1 \
	env MEMIF_HARNESS_LOGS="$tmp/rlogs" "$REPO_ROOT/selftests/run.sh" \
	--dir "$SELF_DIR/harness-retry" --logs "$tmp/rlogs" --timeout 60 \
	--retry 3
cp "$tmp/out" "$tmp/retry.out"
expect_out "run.sh --retry: the unclaimed int3 named" \
	'int3 trap at 0010:sched_clock_cpu.* not claimed' "$tmp/retry.out"
expect_out "run.sh --retry: after an unclaimed int3, passed on retry: flaky" \
	'^ok 1 10-unclaimed-int3\.sh # flaky: failed once \(kernel reports: an unclaimed int3 trap\), passed on retry$' \
	"$tmp/retry.out"
expect_out "run.sh --retry: an int3 the text holds fails at once" \
	'^not ok 2 20-int3\.sh # kernel reports$' "$tmp/retry.out"
expect_out "run.sh --retry: failed, then passed: flaky" \
	'^ok 3 30-fails-once\.sh # flaky: failed once \(exit=1\), passed on retry$' \
	"$tmp/retry.out"
expect_out "run.sh --retry: failed twice: both said" \
	'^not ok 4 40-fails-twice\.sh # failed twice: exit=1; then exit=1$' \
	"$tmp/retry.out"
expect_out "run.sh --retry: the first logs kept" 'job start' \
	"$tmp/rlogs/30-fails-once.try1.log"
expect_out "run.sh --retry: summary" '^2 passed, 2 failed$' \
	<(tail -n1 "$tmp/retry.out")

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
