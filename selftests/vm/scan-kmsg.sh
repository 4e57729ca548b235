#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scan kernel logs for kernel problem reports (WARN, BUG, Oops, KASAN,
# UBSAN, KFENCE, lockdep, RCU stalls, hung tasks, refcount_t, leaked
# netdev references, debugobjects, kmemleak, ...).  Prints the offending lines and exits 1 if there
# are any, 0 if the logs are clean, 2 on usage errors.
#
# Understood formats, mixed freely: /dev/kmsg records ("6,123,456,-;msg"),
# "dmesg -r" ("<6>[    1.0] msg"), dmesg / console ("[    1.0] msg"), plain
# text.  When a file holds the guest's final dmesg (run-vm.sh writes
# "===== memif-vm: final dmesg =====" before it), only that part is read,
# and its "memif-vm-taint=N" line is checked for the taint flags of a
# warning or crash (B, D, L, M, W).
#
# usage: scan-kmsg.sh [--ignore ERE]... [FILE...]     (no FILE: stdin)
#        MEMIF_KMSG_IGNORE=ERE adds one more --ignore.
#        scan-kmsg.sh --unclaimed-int3 [FILE...]
#
# --unclaimed-int3 exits 0, naming it, when in every FILE with reports the
# first one is an "Oops: int3" whose Code: line (right after its RIP: line)
# shows no int3 (0xcc) before the trap's address, and all that follows is
# that oops's tail (Call Trace, more such oopses, the panic, taint D).  The
# kernel puts int3s into its own text while it patches it (jump labels,
# static calls), and claims the traps they cause; this one it did not
# claim, and the patch was done by the time the oops dumped the text.  Seen
# only with 6.12 under QEMU 7.2's multi-threaded TCG, at boot with no
# module loaded (sched_clock_cpu, run_timer_softirq), and once in
# netif_receive_skb_list_internal: a fault of that kernel and emulator, not
# of a driver that patches no text.  Exits 1 otherwise (another report, or
# none), 2 on usage errors.  A log that ends before the Code: line decides
# nothing, if another one does (the kmsg stream stops at the panic).
# 6.1 names the oops "int3: 0000" without "Oops:": never excused there.

set -eu

ignores=()
[ -z "${MEMIF_KMSG_IGNORE:-}" ] || ignores+=("$MEMIF_KMSG_IGNORE")
int3_mode=0
while [ "$#" -gt 0 ]; do
	case "$1" in
	--unclaimed-int3) int3_mode=1; shift ;;
	--ignore)
		[ "$#" -ge 2 ] || { echo "scan-kmsg: --ignore needs an ERE" >&2; exit 2; }
		ignores+=("$2")
		shift 2
		;;
	-h|--help)
		sed -n '3,33s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	--) shift; break ;;
	-?*) echo "scan-kmsg: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ "$#" -gt 0 ] || set -- -

ignore_re=
for re in "${ignores[@]+"${ignores[@]}"}"; do
	ignore_re="${ignore_re:+$ignore_re|}($re)"
done

# Matched against the message text, prefixes removed.  Anchored patterns
# keep userspace traps ("traps: x[1] general protection fault ip:...")
# and mitigation notes ("RETBleed: WARNING: ...") from matching; "BUG: "
# may follow a prefix ("watchdog: BUG: soft lockup - CPU#0 stuck ...").
read -r -d '' patterns <<'EOF' || true
(^|: )BUG: 
^BUG [^ ]+ \((Not tainted|Tainted)
kernel BUG at
^WARNING:
^Oops
^general protection fault
^stack segment
^invalid opcode:
^double fault
^Kernel panic
^Unable to handle kernel
^kernel tried to execute NX-protected page
^unchecked MSR access error
KASAN:
KFENCE:
UBSAN:
KMSAN:
^refcount_t:
^ *Call Trace:
possible circular locking
possible recursive locking
inconsistent lock state
lock held when returning to user space
bad unlock balance
turning off the locking correctness validator
DEBUG_LOCKS_WARN_ON
lockdep is turned off
trying to register non-static key
suspicious RCU usage
^INFO: task .* blocked for more than
rcu: INFO: .*stall
detected stalls? on CPU
self-detected stall
hard LOCKUP
unregister_netdevice: waiting for .* to become free
suspected memory leak
list_(add|del) corruption
^ODEBUG: (.*object type:|selftest [^p]|Out of memory|out of memory)
object .* is (NOT )?on stack .*annotated
^leaked reference\.$
^kmemleak: .*(disabled|[Ff]ailed|pool empty|Cannot allocate)
^kmemleak-report: (unreferenced object|FAILED)
EOF

found=0
int3_found=0
for f in "$@"; do
	if [ "$f" = - ]; then
		name=stdin
		f=/dev/stdin
	else
		name=$f
		[ -r "$f" ] || { echo "scan-kmsg: cannot read $f" >&2; exit 2; }
	fi
	rc=0
	awk -v name="$name" -v pats="$patterns" -v ign="$ignore_re" \
		-v int3_mode="$int3_mode" '
	BEGIN {
		np = split(pats, pat, "\n")
		start = 0; nl = 0
	}
	{
		sub(/\r+$/, "")
		line[++nl] = $0
		if ($0 ~ /^===== memif-vm: final dmesg =====$/)
			start = nl
	}
	# text(i): line i without its prefixes: of a /dev/kmsg record
	# ("prio,seq,usec,flags[,...];text"), of dmesg -r ("<prio>"), time
	# stamps ("[    1.234567]") and caller ids ("[    T123]")
	function text(i,    msg) {
		msg = line[i]
		if (msg ~ /^[0-9]+,[0-9]+,[0-9]+,[^;]*;/)
			sub(/^[^;]*;/, "", msg)
		sub(/^<[0-9]+>/, "", msg)
		while (msg ~ /^\[ *[0-9T.]+\] ?/)
			sub(/^\[ *[0-9T.]+\] ?/, "", msg)
		return msg
	}
	# is_report(i): line i is a report
	function is_report(i,    p, m) {
		m = text(i)
		if (ign != "" && m ~ ign)
			return 0
		for (p = 1; p <= np; p++)
			if (pat[p] != "" && m ~ pat[p])
				return 1
		return 0
	}
	# int3(i, say): report i is an int3 oops whose Code: line shows no
	# int3 before the trap: 1 (printed if say), 0 if not, 2 if the log
	# ends first
	function int3(i, say,    j, m, n, b) {
		if (text(i) !~ /^Oops: int3/)
			return 0
		for (j = i + 1; j <= i + 6; j++) {
			if (j > nl)
				return 2
			if (text(j) ~ /^RIP: /)
				break
			if (is_report(j))
				return 0
		}
		if (j > i + 6)
			return 0
		if (j + 1 > nl)
			return 2
		m = text(j + 1)
		if (m !~ /^Code: / || index(m, "<") == 0)
			return 0
		n = split(substr(m, 1, index(m, "<") - 1), b, " ")
		if (n < 2 || b[n] == "cc")
			return 0
		if (say)
			printf "%s:%d: int3 trap at %s not claimed by the " \
				"kernel'"'"'s text patching (the text holds %s there, " \
				"not int3, once dumped)\n", name, i, substr(text(j), 6), b[n]
		return 1
	}
	# excused(i): in the tail of an unclaimed int3 oops, report i is
	# part of it: 1; 2 if undecided; 0 if it is another report
	function excused(i,    m) {
		m = text(i)
		if (m ~ /^ *Call Trace:/ || m ~ /^Kernel panic/)
			return 1
		return int3(i, 0)
	}
	END {
		bad = 0
		for (i = start + 1; i <= nl; i++) {
			msg = line[i]
			if (msg ~ /^memif-vm-taint=[0-9]+$/) {
				t = substr(msg, 16) + 0
				flags = ""
				if (int(t / 16) % 2) flags = flags "M"
				if (int(t / 32) % 2) flags = flags "B"
				if (int(t / 128) % 2) flags = flags "D"
				if (int(t / 512) % 2) flags = flags "W"
				if (int(t / 16384) % 2) flags = flags "L"
				if (int3_mode && flags != "" && verdict)
					exit flags == "D" ? verdict + 2 : 1
				if (flags != "") {
					printf "%s:%d: kernel tainted %d (%s)\n", name, i, t, flags
					bad++
				}
				continue
			}
			if (!is_report(i))
				continue
			if (int3_mode) {
				r = verdict ? excused(i) : int3(i, 1)
				if (!r)
					exit 1
				if (!verdict)
					verdict = r
				continue
			}
			printf "%s:%d: %s\n", name, i, line[i]
			bad++
		}
		if (int3_mode && verdict)
			exit verdict + 2
		exit bad ? 1 : 0
	}' "$f" || rc=$?
	# 3: an unclaimed int3, 4: a log ending inside one
	case "$rc" in
	0|4) ;;
	3) int3_found=1 ;;
	*) found=1 ;;
	esac
done

if [ "$int3_mode" = 1 ]; then
	[ "$found" = 0 ] && [ "$int3_found" = 1 ]
	exit
fi
if [ "$found" = 1 ]; then
	echo "scan-kmsg: kernel problem reports found" >&2
	exit 1
fi
exit 0
