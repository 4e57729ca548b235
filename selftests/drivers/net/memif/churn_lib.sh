#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the churn tests (9x-churn-*.sh): leak snapshots of the
# guest's kernel before and after many cycles, and their comparison.
#
#	leak_snapshot "$TEST_TMPDIR/before"
#	... 1000 cycles ...
#	check "nothing leaked" leak_compare "$TEST_TMPDIR/before" "$TEST_TMPDIR/after"
#
# A snapshot is taken after the kernel has settled: page cache and
# reclaimable slabs dropped, every slab cache shrunk (which flushes the
# per-CPU slabs, whose free objects /proc/slabinfo would otherwise count
# as active), RCU callbacks and deferred fputs given time to run.  What
# is left is still noisy by a few hundred objects per cache and a few
# hundred kB of pages: the tolerances below are well above that noise and
# well below what one leaked object per cycle over 1000 cycles adds up to
# (take the "before" snapshot after some warm-up cycles, so that caches,
# per-namespace tables, ... have grown to their working size).

source "$(dirname "${BASH_SOURCE[0]}")/memif_lib.sh"

# Slab caches: objects allowed to appear, plus 1/LEAK_SLAB_DIV of the
# count before, plus a slab's worth per CPU (objects taken from a fresh
# slab count its free objects as active until it is flushed: kmalloc-8
# moves by 512).
LEAK_SLAB_TOL=${LEAK_SLAB_TOL:-400}
LEAK_SLAB_DIV=${LEAK_SLAB_DIV:-20}
# kB of unaccounted memory (mem:Other, see leak_snapshot).  A kernel with
# kmemleak (the debug lane's) also runs KASAN: both keep the stack trace
# of every allocation in the stack depot, whose pages are never freed and
# no counter shows.  It grows with each new call chain: 3.2 MB over 96's
# 100 clients.
if kmemleak_kernel; then
	LEAK_MEM_TOL=${LEAK_MEM_TOL:-8192}
else
	LEAK_MEM_TOL=${LEAK_MEM_TOL:-3072}
fi
# kB of shmem (memif regions are shmem files) and of vmalloc.
LEAK_SHMEM_TOL=${LEAK_SHMEM_TOL:-256}
LEAK_VMALLOC_TOL=${LEAK_VMALLOC_TOL:-1024}
# Open files (struct file), system-wide: file-nr is a per-CPU counter read
# without summing, off by up to 32 per CPU; slab:filp is exact.
LEAK_FILES_TOL=${LEAK_FILES_TOL:-100}
# Tasks but kworkers (see leak_snapshot): the test's own come and go.
LEAK_TASKS_TOL=${LEAK_TASKS_TOL:-8}

# live_netns: how many network namespaces but the initial one a process
# is in or a file (ip netns) holds.
live_netns() {
	local init
	init=$(stat -L -c %i /proc/1/ns/net)
	stat -L -c %i /proc/[0-9]*/ns/net /run/netns/* 2>/dev/null |
		sort -u | grep -cvx "$init"
}

# netns_settle: wait until the namespaces deleted are gone.  `ip netns
# del` returns at once; a kworker (cleanup_net) dismantles the namespace
# later: unregisters its devices, waits for RCU, frees what the
# subsystems kept for it, and keeps struct net itself until the next
# namespace is cleaned up (net_complete_free(): "an extra rcu_barrier()
# before final free").  Namespaces are cleaned up one batch after the
# other on an ordered workqueue.  So: create and drop a namespace of our
# own (unshare -n); once only it, of the namespaces no process or file
# holds, is still in memory, every one deleted before it is gone.  Up to
# 60 s; a namespace kept by something else (an open nsfs file, say)
# makes it wait that long, and it says so.
netns_settle() {
	wait_for netns_only_ours "$(scaled 60)" 0 ||
		log "$(netns_in_memory) namespaces in memory, $(($(live_netns) + 1)) expected, after $(scaled 60) s"
}

# netns_only_ours: drop a namespace of our own; true if, half a second
# later, no namespace but it and the live ones is in memory.
netns_only_ours() {
	local have
	unshare -n true
	sleep 0.5
	have=$(netns_in_memory)
	[ -z "$have" ] || [ "$have" -le $(($(live_netns) + 1)) ]
}

# netns_in_memory: struct nets allocated (none printed without the slab).
netns_in_memory() {
	echo 1 2>/dev/null > /sys/kernel/slab/net_namespace/shrink
	awk '$1 == "net_namespace" { print $2 }' /proc/slabinfo
}

# leak_settle: let freed objects go back where they came from.
leak_settle() {
	local f i
	netns_settle
	for i in 1 2; do
		sync
		echo 3 > /proc/sys/vm/drop_caches
		for f in /sys/kernel/slab/*/shrink; do
			echo 1 2>/dev/null > "$f"
		done
		sleep 0.5
	done
}

# leak_snapshot FILE: "KEY VALUE" lines: slab:<cache> active objects,
# mem:<field> kB, files (allocated file handles), memif_refcnt, memif
# tasks (tasks with memif code on their kernel stack).  mem:Other is the
# memory no counter of /proc/meminfo explains (neither free, page cache,
# slab, vmalloc, process memory, kernel stacks, page tables, per-CPU data
# nor the free pages on the per-CPU lists):
# pages the kernel holds a stray reference on end up there.
#
# Kernel stacks are vmalloc memory where CONFIG_VMAP_STACK is set (Debian's
# kernels), and /proc/meminfo counts them in both VmallocUsed and
# KernelStack.  Churn grows the workqueue pools by tens of kworkers that
# stay until they have idled 5 minutes, 16 kB of stack each: over 1 MB of
# VmallocUsed that is no leak (97 on 6.1, +1168 kB).  So mem:Vmalloc is
# VmallocUsed without the stacks (KernelStack where the kernel's config
# says they are vmapped, else those /proc/vmallocinfo shows), and
# mem:Other counts a vmapped stack once.  Tasks are counted instead:
# tasks (but kworkers, which come and go with the pools' load) has a
# tolerance.  vm:<caller> (kB per allocating function,
# /proc/vmallocinfo) is logged where it moved by 64 kB or more, to show
# what grew.
#
# STACK_CALLERS: the functions /proc/vmallocinfo names as the allocator of
# a kernel stack: alloc_thread_stack_node(), or the function the compiler
# inlined it into (kernel_clone() on Debian's 6.1 and 6.12).
STACK_CALLERS='alloc_thread_stack_node|dup_task_struct|copy_process|kernel_clone'
leak_snapshot() {
	local out=$1 k v rest other=0 n vm vstack kstack=0 t
	leak_settle
	vm=$(awk -v pk="$(($(getconf PAGESIZE) / 1024))" '{
		for (i = 3; i <= NF; i++)
			if ($i ~ /^pages=/) {
				f = $3 ~ /^pages=/ ? "?" : $3
				sub(/\+.*/, "", f)
				kb[f] += substr($i, 7) * pk
			}
	} END {
		for (f in kb)
			print "vm:" f, kb[f]
	}' /proc/vmallocinfo)
	if vmap_stack; then
		vstack=$(awk '$1 == "KernelStack:" { print $2 }' /proc/meminfo)
	else
		vstack=$(printf '%s\n' "$vm" |
			awk -v re="^vm:($STACK_CALLERS)([.][a-z]+[.][0-9]+)*$" \
			    '$1 ~ re { n += $2 } END { print n + 0 }')
	fi
	vstack=${vstack:-0}
	{
		awk 'NR > 2 { print "slab:" $1, $2, $5 }' /proc/slabinfo
		printf '%s\n' "$vm"
		while read -r k v rest; do
			k=${k%:}
			case "$k" in
			MemTotal) other=$((other + v)) ;;
			MemFree|Cached|Buffers|Slab|VmallocUsed|AnonPages|\
			PageTables|Percpu|SwapCached)
				other=$((other - v)) ;;
			KernelStack) kstack=$v ;;
			esac
			case "$k" in
			MemFree|AnonPages|Shmem|SUnreclaim|PageTables|KernelStack)
				echo "mem:$k $v" ;;
			VmallocUsed)
				echo "mem:Vmalloc $((v - vstack))" ;;
			esac
		done < /proc/meminfo
		# stacks outside vmalloc (none with CONFIG_VMAP_STACK)
		if [ "$kstack" -gt "$vstack" ]; then
			other=$((other - kstack + vstack))
		fi
		# free pages on the per-CPU lists, not counted in MemFree: tens
		# of MB with 2 GB of RAM
		n=$(awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo)
		echo "mem:PerCPUFree $n"
		echo "mem:Other $((other - n))"
		read -r n rest < /proc/sys/fs/file-nr
		echo "files $n"
		echo "memif_refcnt $(cat /sys/module/memif/refcnt 2>/dev/null || echo -)"
		echo "memif_tasks $(memif_tasks | wc -l)"
		n=0
		for t in /proc/[0-9]*/task/*/comm; do
			read -r k 2>/dev/null < "$t" || continue
			[[ "$k" == kworker/* ]] || n=$((n + 1))
		done
		echo "tasks $n"
	} > "$out"
}

# memif_tasks: the tasks (/proc/PID/stack) whose kernel stack is in memif
# code for 5 s, e.g. a worker stuck in a memif work item (one passing
# through, as a state announcement may, is not stuck).
memif_tasks() {
	local t i
	for ((i = 0; i < 10; i++)); do
		t=$(grep -ls '\[memif\]' /proc/[0-9]*/stack 2>/dev/null)
		[ -n "$t" ] || return 0
		sleep 0.5
	done
	printf '%s\n' "$t"
}

# churn_setup: what every churn test starts with.
#
# memif logs every connect and disconnect; thousands of them through the
# serial console slow the guest down: keep the console to warnings and
# worse (the test bed reads the whole kernel log from /dev/kmsg anyway)
# until the test ends.
#
# ping floods start and stop many times here; each first and last socket
# that asks for timestamps flips the netstamp static key, which patches
# the receive path's code while packets go through it.  Under QEMU's TCG
# that was seen to trap (Oops: int3 in __netif_receive_skb_core, 6.12
# guest; the same as mptcp_net-next issue 471, an emulation problem):
# hold one timestamping socket open for the whole test, so that the key
# stays on.
churn_setup() {
	local level rest
	require_cmd unshare
	read -r level rest < /proc/sys/kernel/printk
	echo 5 > /proc/sys/kernel/printk
	defer eval "echo $level > /proc/sys/kernel/printk"
	bg_start tstamp 3600 python3 -c '
import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)  # SO_TIMESTAMP
print("holding", flush=True)
signal.pause()'
	bg_wait_log tstamp holding 30 || bail "the timestamping socket did not start"
}

# leak_compare BEFORE AFTER: print what grew, fail if anything grew past
# its tolerance.  Growth is printed for every slab cache that grew by 64
# objects or more, so that the margin can be seen in the logs; the lines
# of what grew past its tolerance ("LEAK ...") come last, where a log cut
# to its tail still shows them.
leak_compare() {
	awk -v stol="$LEAK_SLAB_TOL" -v sdiv="$LEAK_SLAB_DIV" \
	    -v mtol="$LEAK_MEM_TOL" -v shtol="$LEAK_SHMEM_TOL" \
	    -v vtol="$LEAK_VMALLOC_TOL" -v ftol="$LEAK_FILES_TOL" \
	    -v ttol="$LEAK_TASKS_TOL" \
	    -v ncpu="$(nproc)" '
		NR == FNR { before[$1] = $2; next }
		{
			k = $1; a = $2; b = (k in before) ? before[k] : 0
			d = a - b; tol = ""
			if (k ~ /^slab:/) tol = stol + int(b / sdiv) + ncpu * $3
			else if (k == "mem:Other") tol = mtol
			else if (k == "mem:Shmem") tol = shtol
			else if (k == "mem:Vmalloc") tol = vtol
			else if (k == "files") tol = ftol
			else if (k == "tasks") tol = ttol
			else if (k == "memif_refcnt") tol = 0
			else if (k == "memif_tasks") { tol = 0; b = 0; d = a }
			if (tol == "") {
				if (k ~ /^mem:/ || (k ~ /^vm:/ && (d >= 64 || d <= -64)))
					printf "%s %d -> %d kB (%+d)\n", k, b, a, d
				next
			}
			if (k == "memif_refcnt" && a != b) {
				leak[++bad] = sprintf("LEAK %s %s -> %s", k, b, a)
				next
			}
			if (d > tol) {
				leak[++bad] = sprintf("LEAK %s %d -> %d (%+d, tolerance %d)",
						      k, b, a, d, tol)
			} else if (k !~ /^slab:/ || d >= 64) {
				printf "%s %d -> %d (%+d, tolerance %d)\n", k, b, a, d, tol
			}
		}
		END {
			for (i = 1; i <= bad; i++)
				print leak[i]
			exit (bad > 0)
		}' "$1" "$2"
}

# leak_check DESC BEFORE AFTER: leak_compare as a TAP check; the numbers
# are logged either way.  Something freed asynchronously (after an RCU
# grace period, by a kworker, ...) may still be on its way when AFTER is
# taken; leak_settle waits only for deleted namespaces.  So growth past a
# tolerance is measured again, from a new AFTER, up to LEAK_RECHECKS (3)
# times 5 s later; a leak stays, what was on its way does not (the LEAK
# lines of each earlier measurement are logged).
LEAK_RECHECKS=${LEAK_RECHECKS:-3}
leak_check() {
	local out rc try
	for ((try = 0; ; try++)); do
		rc=0
		out=$(leak_compare "$2" "$3") || rc=$?
		if [ "$rc" = 0 ] || [ "$try" -ge "$LEAK_RECHECKS" ]; then
			break
		fi
		printf '%s\n' "$out" | grep '^LEAK' |
			sed "s/^/not settled yet (check $((try + 1))): /" | log_file -
		sleep "$(scaled 5)"
		leak_snapshot "$3"
	done
	[ "$try" = 0 ] || log "measured again $try time(s)"
	printf '%s\n' "$out" | log_file -
	if [ "$rc" != 0 ]; then
		memif_tasks | log_file -
	fi
	ktap_result "$1" "$rc"
}

# elapsed START: seconds since START (an $EPOCHREALTIME), one decimal.
elapsed() {
	local us
	us=$(($(__usec "$EPOCHREALTIME") - $(__usec "$1")))
	printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

# logged CMD [ARG...]: run CMD, its output as TAP comments even when it is
# run by check (which shows output only on failure).
exec {__churn_out}>&1
logged() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	[ -z "$out" ] || printf '%s\n' "$out" | log_file - >&"$__churn_out"
	return "$rc"
}

# Pairs of kernel links for the churn tests: N servers in one netns and
# their N clients in another, on the socket files $PAIR_SOCK-<i / 16>.sock
# (ids i % 16); pair i is 10.97.i.1/24 (s<i>) and 10.97.i.2/24 (c<i>).

# side NS ROLE: the N links of ROLE (server/client) in NS, addressed, up.
side() {
	local ns=$1 role=$2 dev=s host=1 i
	[ "$role" = server ] || { dev=c; host=2; }
	for ((i = 0; i < N; i++)); do
		echo "link add $dev$i type memif role $role socket $PAIR_SOCK-$((i / 16)).sock id $((i % 16))"
		echo "addr add 10.97.$i.$host/24 dev $dev$i"
		echo "link set dev $dev$i up"
	done | ip -n "$ns" -batch -
}

# n_carrier NS: how many memif links in NS are UP.
n_carrier() {
	ns_exec "$1" "$MEMIFCTL" -j show | jq '[.[] | select(.operstate == "UP")] | length'
}

# n_links NS
n_links() {
	ns_exec "$1" "$MEMIFCTL" -j show | jq length
}

# all_carrier NS [NS]: all N links of each NS are UP within 60 s.
all_carrier() {
	local ns
	for ns in "$@"; do
		wait_for "[ \"\$(n_carrier $ns)\" = $N ]" 60 0.5 ||
			{ echo "$ns: $(n_carrier "$ns") of $N connected"; return 1; }
	done
}

# none_waiting NS: no link in NS is UP within 10 s, all N waiting.
none_waiting() {
	local n
	wait_for "[ \"\$(n_carrier $1)\" = 0 ]" 10 0.5 ||
		{ echo "$1: $(n_carrier "$1") still connected"; return 1; }
	n=$(ns_exec "$1" "$MEMIFCTL" -j show |
		jq '[.[] | select(.state == "waiting for peer")] | length')
	[ "$n" = "$N" ] || { echo "$1: $n of $N waiting for peer"; return 1; }
}

# floods FROM TO_HOST: ping floods from netns FROM over pairs 0..3.
floods() {
	local i
	for i in 0 1 2 3; do
		ns_exec "$1" ping -f -q -w 120 "10.97.$i.$2" > /dev/null 2>&1 &
	done
}

# no_sockets: the socket files of the pairs are gone within 5 s.
no_sockets() {
	wait_for "! ls $PAIR_SOCK-* >/dev/null 2>&1" 5 || { ls "$PAIR_SOCK"-*; return 1; }
}
