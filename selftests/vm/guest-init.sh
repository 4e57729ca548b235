#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the memif test VM (see run-vm.sh).  Runs under busybox sh.
#
# Stage 1 (PID 1 in the initramfs):
#   mount proc/sys/devtmpfs, insmod virtio/9p/overlay, mount the host's /
#   (9p, read-only) under an overlayfs whose upper layer is a tmpfs, then
#   switch_root into it and re-exec this script as stage 2.
# Stage 2 (PID 1 in the overlay root):
#   mount the API filesystems, run the job with the host's bash, dump the
#   kernel log to ttyS2, write the exit status to ttyS1, power off.
#
# Serial ports (set up by run-vm.sh):
#   ttyS0  console: kernel messages and the job's stdout/stderr
#   ttyS1  status:  "memif-vm-rc=N" once the job has finished
#   ttyS2  kmsg:    /dev/kmsg streamed live, then the final full dmesg
#
# Kernel command line parameters read here:
#   memif_vm.job=DIR       host directory holding job.sh
#   memif_vm.tmp=0|1       mount a fresh tmpfs on /tmp (default: no, the
#                          overlay's /tmp shows the host's)
#   memif_vm.interactive=1 run an interactive shell on the console instead
#   memif_vm.moddir=DIR    host directory with the booted kernel's modules
#                          (a kernel not installed on the host): mounted on
#                          /lib/modules/$(uname -r)
#   memif_vm.kmemleak=1    clear kmemleak's reports before the job; after
#                          it, scan and add kmemleak's reports to the final
#                          kernel log as "kmemleak-report: " lines

BB=/bin/busybox
[ -x "$BB" ] || BB=/run/memif-vm/busybox

say() {
	echo "memif-vm: $*" > /dev/console
}

cmdline_get() {
	# cmdline_get KEY DEFAULT
	read -r _cmdline < /proc/cmdline
	for _w in $_cmdline; do
		case "$_w" in
		"$1"=*) echo "${_w#*=}"; return 0 ;;
		esac
	done
	echo "$2"
}

die_off() {
	say "FATAL: $*"
	echo "memif-vm-error=$*" > /dev/ttyS1 2>/dev/null
	if [ "$(cmdline_get memif_vm.interactive 0)" = 1 ]; then
		say "dropping to a rescue shell; exit it to power off"
		$BB setsid $BB cttyhack $BB sh
	fi
	$BB sync
	$BB poweroff -f
	echo o > /proc/sysrq-trigger
	while :; do $BB sleep 1; done
}

stage1() {
	export PATH=/bin
	$BB mount -t proc proc /proc
	$BB mount -t sysfs sysfs /sys
	$BB mount -t devtmpfs devtmpfs /dev
	exec < /dev/console > /dev/console 2>&1

	while read -r m; do
		[ -n "$m" ] || continue
		$BB insmod "/modules/$m" || die_off "insmod $m failed"
	done < /modules/load-order

	job=$(cmdline_get memif_vm.job "")
	[ -n "$job" ] || die_off "no memif_vm.job= on the kernel command line"

	$BB mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose \
		hostroot /lower || die_off "cannot mount the host root (9p)"
	$BB mount -t tmpfs -o mode=0755 rw /rw || die_off "tmpfs /rw"
	$BB mkdir -p /rw/upper /rw/work
	$BB mount -t overlay \
		-o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
		overlay /newroot || die_off "cannot mount the overlay root"

	$BB mount -t tmpfs -o mode=0755,nosuid,nodev run /newroot/run ||
		die_off "tmpfs /run"
	$BB mkdir -p /newroot/run/memif-vm
	$BB cp "/lower$job/job.sh" /newroot/run/memif-vm/job.sh ||
		die_off "cannot read the job $job/job.sh"
	$BB cp "$BB" /newroot/run/memif-vm/busybox
	$BB cp /init /newroot/run/memif-vm/init

	$BB mount --move /dev /newroot/dev
	$BB mount --move /proc /newroot/proc
	$BB mount --move /sys /newroot/sys
	# shellcheck disable=SC2093	# exec fails: fall through to die_off
	exec $BB switch_root /newroot /run/memif-vm/busybox sh \
		/run/memif-vm/init stage2
	die_off "switch_root failed"
}

# kmemleak: what it suspects at boot is not the job's doing: scan, then
# "clear" marks every object reported so far as not to be reported again.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_baseline() {
	if ! { echo scan > $KMEMLEAK && echo clear > $KMEMLEAK; } 2>/dev/null
	then
		echo "memif-vm: kmemleak is not available" > /dev/kmsg
	fi
}

# After the job: an object is reported only once it is old enough (5 s)
# and unreferenced in two scans; then print the reports, one
# "kmemleak-report: " line each (scan-kmsg.sh matches them).
kmemleak_report() {
	if ! echo scan > $KMEMLEAK 2>/dev/null; then
		echo "kmemleak-report: FAILED: cannot scan (kmemleak disabled?)"
		return
	fi
	$BB sleep 6
	echo scan > $KMEMLEAK
	$BB sed 's/^/kmemleak-report: /' $KMEMLEAK
}

stage2() {
	BB=/run/memif-vm/busybox
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

	$BB mkdir -p /dev/pts /dev/shm
	$BB mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
	$BB mount -t tmpfs -o mode=1777,nosuid,nodev shm /dev/shm
	if [ "$(cmdline_get memif_vm.tmp 0)" = 1 ]; then
		$BB mount -t tmpfs -o mode=1777,nosuid,nodev tmp /tmp
	fi
	$BB mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	$BB mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	$BB mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
	$BB mount -t bpf bpf /sys/fs/bpf 2>/dev/null
	$BB mkdir -p /dev/mqueue
	$BB mount -t mqueue mqueue /dev/mqueue 2>/dev/null
	# "ip netns add" bind-mounts onto /run/netns/NAME and wants shared
	# propagation; make everything shared like systemd does.
	$BB mount --make-rshared /
	$BB mkdir -p /run/netns /run/lock /run/user /var/tmp
	$BB ln -sf /proc/self/fd /dev/fd 2>/dev/null
	$BB ln -sf /proc/self/fd/0 /dev/stdin 2>/dev/null
	$BB ln -sf /proc/self/fd/1 /dev/stdout 2>/dev/null
	$BB ln -sf /proc/self/fd/2 /dev/stderr 2>/dev/null
	moddir=$(cmdline_get memif_vm.moddir "")
	if [ -n "$moddir" ]; then
		rel=$($BB uname -r)
		$BB mkdir -p "/lib/modules/$rel"
		$BB mount --bind "$moddir" "/lib/modules/$rel" ||
			die_off "cannot mount $moddir on /lib/modules/$rel"
	fi
	$BB hostname memif-vm
	$BB ip link set lo up
	# Kernel reports are collected from ttyS2; keep the console for the job.
	$BB stty -F /dev/ttyS1 raw -echo 2>/dev/null
	$BB stty -F /dev/ttyS2 raw -echo 2>/dev/null

	# Stream the kernel log (from boot on) so that it survives a hang.
	$BB cat /dev/kmsg > /dev/ttyS2 &
	kmsg_pid=$!

	kmemleak=$(cmdline_get memif_vm.kmemleak 0)
	[ "$kmemleak" = 0 ] || kmemleak_baseline

	export HOME=/root TERM=linux LANG=C.UTF-8 SHELL=/bin/bash
	echo "memif-vm: job start" > /dev/kmsg
	if [ "$(cmdline_get memif_vm.interactive 0)" = 1 ]; then
		echo "=== memif-vm: interactive shell; exit to power off ===" \
			> /dev/console
		$BB setsid $BB cttyhack /bin/bash -l
		rc=$?
	else
		echo "=== memif-vm: job start ===" > /dev/ttyS0
		/bin/bash /run/memif-vm/job.sh < /dev/null > /dev/ttyS0 2>&1
		rc=$?
		echo "=== memif-vm: job end rc=$rc ===" > /dev/ttyS0
	fi
	echo "memif-vm: job end rc=$rc" > /dev/kmsg

	# Kill leftover processes so that nothing writes to the console late.
	kill "$kmsg_pid" 2>/dev/null
	wait "$kmsg_pid" 2>/dev/null
	{
		echo "===== memif-vm: final dmesg ====="
		$BB dmesg -r
		[ "$kmemleak" = 0 ] || kmemleak_report
		echo "memif-vm-taint=$(cat /proc/sys/kernel/tainted)"
		echo "===== memif-vm: end ====="
	} > /dev/ttyS2
	echo "memif-vm-rc=$rc" > /dev/ttyS1
	$BB sync
	$BB poweroff -f
	echo o > /proc/sysrq-trigger
	while :; do $BB sleep 1; done
}

case "${1:-stage1}" in
stage2) stage2 ;;
*) stage1 ;;
esac
