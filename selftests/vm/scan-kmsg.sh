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

set -eu

ignores=()
[ -z "${MEMIF_KMSG_IGNORE:-}" ] || ignores+=("$MEMIF_KMSG_IGNORE")
while [ "$#" -gt 0 ]; do
	case "$1" in
	--ignore)
		[ "$#" -ge 2 ] || { echo "scan-kmsg: --ignore needs an ERE" >&2; exit 2; }
		ignores+=("$2")
		shift 2
		;;
	-h|--help)
		sed -n '3,17s/^# \{0,1\}//p' "$0"
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
for f in "$@"; do
	if [ "$f" = - ]; then
		name=stdin
		f=/dev/stdin
	else
		name=$f
		[ -r "$f" ] || { echo "scan-kmsg: cannot read $f" >&2; exit 2; }
	fi
	awk -v name="$name" -v pats="$patterns" -v ign="$ignore_re" '
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
				if (flags != "") {
					printf "%s:%d: kernel tainted %d (%s)\n", name, i, t, flags
					bad++
				}
				continue
			}
			# /dev/kmsg record: "prio,seq,usec,flags[,...];text"
			if (msg ~ /^[0-9]+,[0-9]+,[0-9]+,[^;]*;/)
				sub(/^[^;]*;/, "", msg)
			# "<prio>" of dmesg -r
			sub(/^<[0-9]+>/, "", msg)
			# "[    1.234567]" time stamp, "[    T123]" caller id
			while (msg ~ /^\[ *[0-9T.]+\] ?/)
				sub(/^\[ *[0-9T.]+\] ?/, "", msg)
			if (ign != "" && msg ~ ign)
				continue
			for (p = 1; p <= np; p++) {
				if (pat[p] != "" && msg ~ pat[p]) {
					printf "%s:%d: %s\n", name, i, line[i]
					bad++
					break
				}
			}
		}
		exit bad ? 1 : 0
	}' "$f" || found=1
done

if [ "$found" = 1 ]; then
	echo "scan-kmsg: kernel problem reports found" >&2
	exit 1
fi
exit 0
