#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command in a throw-away QEMU guest that boots the host's Debian
# kernel and sees the host's / (read-only, over virtio-9p) under a tmpfs
# overlay, so every host binary runs unchanged and the guest may write
# anywhere.  Nothing the guest writes reaches the host.
#
# The command runs with the host's bash, as root, in the caller's working
# directory; run-vm.sh exits with its exit status.  See usage() below.

set -eu

SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SELF_DIR/../.." && pwd)

usage() {
	cat <<EOF
usage: ${0##*/} [OPTIONS] [--] [COMMAND [ARG...]]

Boot a QEMU guest (TCG) with the host's kernel and root file system and run
COMMAND in it with bash, in the current directory.  Without COMMAND, start
an interactive shell on the console (quit QEMU with Ctrl-A x; the session
also ends after --timeout).

Options:
  --smp N         vCPUs (default: \$MEMIF_VM_SMP or 2)
  --mem MB        guest RAM in MiB (default: \$MEMIF_VM_MEM or 2048)
  --timeout S     kill the guest after S seconds, exit 124
                  (default: \$MEMIF_VM_TIMEOUT or 600)
  --log FILE      save the full console log to FILE
  --kmsg FILE     save the guest's kernel log (stream + final dmesg) to FILE
  --scan          scan the guest's kernel log for kernel reports with
                  scan-kmsg.sh; if there are any, print them and exit 122
                  when COMMAND itself succeeded
  --icount        deterministic-ish timing: -icount shift=0,sleep=off, 1 vCPU
  --quiet         do not copy the console to stdout
  --kver VER      kernel to boot, /boot/vmlinuz-VER (default: \$KVER, else
                  what scripts/kver.sh picks: the 6.1 lane on Debian 12)
  --kernel FILE   boot FILE instead of /boot/vmlinuz-VER (or
                  MEMIF_VM_KERNEL); needs --moddir
  --moddir DIR    the modules of --kernel, DIR/modules.dep etc., DIR's name
                  being its release (or MEMIF_VM_MODDIR); the guest sees it
                  as /lib/modules/RELEASE (the debug lane's kernel)
  --kmemleak      before COMMAND, scan for kmemleak's reports and clear
                  them (leaks from boot); after it, scan twice and add what
                  kmemleak reports to the kernel log as "kmemleak-report:"
                  lines (which --scan and scan-kmsg.sh report); needs a
                  kernel with CONFIG_DEBUG_KMEMLEAK
  --kvm           use KVM instead of TCG (or MEMIF_VM_ACCEL=kvm)
  --cwd DIR       working directory in the guest (default: current one)
  --tmpfs-tmp     mount an empty tmpfs on /tmp (default: /tmp is the host's,
                  copy-on-write like the rest of /)
  -e VAR=VALUE    set an environment variable for COMMAND (repeatable);
                  MEMIF_* variables of the caller (but MEMIF_VM_*) are
                  passed on automatically
  --append ARGS   extra kernel command line arguments
  -h, --help      this text

Exit status: COMMAND's, or 124 on timeout, 125 when the guest failed to
boot or died without reporting a status (e.g. kernel panic), 122 (see
--scan).  The guest initramfs is cached in \$MEMIF_VM_CACHE (default:
$REPO_ROOT/build/vm).
EOF
}

die() {
	echo "run-vm: $*" >&2
	exit 125
}

smp=${MEMIF_VM_SMP:-2}
mem=${MEMIF_VM_MEM:-2048}
timeout=${MEMIF_VM_TIMEOUT:-600}
accel=${MEMIF_VM_ACCEL:-tcg}
kver=${KVER:-}
kernel=${MEMIF_VM_KERNEL:-}
moddir=${MEMIF_VM_MODDIR:-}
kmemleak=0
log=
kmsg=
scan=0
icount=0
quiet=0
cwd=$PWD
append=
tmpfs_tmp=0
envs=()

need_arg() {
	[ "$#" -ge 2 ] || die "option $1 needs an argument"
}

while [ "$#" -gt 0 ]; do
	case "$1" in
	--smp) need_arg "$@"; smp=$2; shift 2 ;;
	--mem) need_arg "$@"; mem=$2; shift 2 ;;
	--timeout) need_arg "$@"; timeout=$2; shift 2 ;;
	--log) need_arg "$@"; log=$2; shift 2 ;;
	--kmsg) need_arg "$@"; kmsg=$2; shift 2 ;;
	--scan) scan=1; shift ;;
	--icount) icount=1; shift ;;
	--quiet) quiet=1; shift ;;
	--kver) need_arg "$@"; kver=$2; shift 2 ;;
	--kernel) need_arg "$@"; kernel=$2; shift 2 ;;
	--moddir) need_arg "$@"; moddir=$2; shift 2 ;;
	--kmemleak) kmemleak=1; shift ;;
	--kvm) accel=kvm; shift ;;
	--cwd) need_arg "$@"; cwd=$2; shift 2 ;;
	--tmpfs-tmp) tmpfs_tmp=1; shift ;;
	-e|--env) need_arg "$@"; envs+=("$2"); shift 2 ;;
	--append) need_arg "$@"; append="$append $2"; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) usage >&2; die "unknown option $1" ;;
	*) break ;;
	esac
done

is_uint() {
	case "$1" in
	''|*[!0-9]*) return 1 ;;
	esac
}

if ! is_uint "$smp" || [ "$smp" -lt 1 ]; then die "bad --smp $smp"; fi
if ! is_uint "$mem" || [ "$mem" -lt 256 ]; then die "bad --mem $mem"; fi
if ! is_uint "$timeout" || [ "$timeout" -lt 1 ]; then
	die "bad --timeout $timeout"
fi
for e in "${envs[@]+"${envs[@]}"}"; do
	case "$e" in
	[A-Za-z_]*=*) ;;
	*) die "bad -e $e (want VAR=VALUE)" ;;
	esac
done
cwd=$(cd "$cwd" && pwd) || die "no directory $cwd"
interactive=0
[ "$#" -gt 0 ] || interactive=1
if [ "$icount" = 1 ]; then
	smp=1
	accel=tcg
fi

for t in qemu-system-x86_64 cpio timeout sha256sum; do
	command -v "$t" >/dev/null || die "$t not found (run scripts/deps.sh)"
done

# --- kernel ---------------------------------------------------------------
# guest_moddir: the kernel's modules when they are not in the host's
# /lib/modules; stage 2 of guest-init.sh mounts them there.
guest_moddir=
if [ -n "$kernel" ]; then
	[ -n "$moddir" ] || die "--kernel needs --moddir"
	moddir=$(cd "$moddir" && pwd) || die "no directory $moddir"
	case "$moddir" in
	*[[:space:]]*) die "--moddir must not contain white space" ;;
	esac
	kver=${moddir##*/}
	guest_moddir=$moddir
elif [ -n "$moddir" ]; then
	die "--moddir needs --kernel"
else
	if [ -z "$kver" ]; then
		kver=$("$SELF_DIR/../../scripts/kver.sh") || die "no kernel to boot"
	fi
	kernel=/boot/vmlinuz-$kver
	moddir=/lib/modules/$kver
fi
[ -r "$kernel" ] || die "cannot read $kernel"
[ -f "$moddir/modules.dep" ] || die "no $moddir/modules.dep"

# --- initramfs (cached) ---------------------------------------------------
# Modules needed before the root is mounted; their dependencies are added
# from modules.dep.  Built-in ones are skipped.
boot_modules="virtio_pci 9pnet_virtio 9p overlay"

find_busybox() {
	local b
	for b in /bin/busybox /usr/bin/busybox "$(command -v busybox || true)"; do
		if [ -z "$b" ] || [ ! -x "$b" ]; then
			continue
		fi
		# The initramfs has no libc: insist on a static binary.
		if ! ldd "$b" >/dev/null 2>&1; then
			echo "$b"
			return 0
		fi
	done
	return 1
}
busybox=$(find_busybox) || die "no static busybox; apt-get install busybox-static"

# Print the module files (relative to $moddir) for $boot_modules, with
# their dependencies, in load order.
module_load_order() {
	local m rel deps d seen=" "
	for m in $boot_modules; do
		m=${m//-/_}
		rel=$(awk -F: -v m="$m" '{
			n = $1; sub(/.*\//, "", n); sub(/\.ko(\.[a-z]+)?$/, "", n)
			gsub(/-/, "_", n)
			if (n == m) { print $1; exit }
		}' "$moddir/modules.dep")
		if [ -z "$rel" ]; then
			if grep -Eq "/${m//_/[_-]}\.ko\$" "$moddir/modules.builtin"; then
				continue
			fi
			echo "run-vm: module $m not found for $kver" >&2
			return 1
		fi
		# modules.dep lists the complete dependency closure, the
		# modules to load last first.
		deps=$(awk -F': *' -v f="$rel" '$1 == f { print $2; exit }' \
			"$moddir/modules.dep")
		for d in $(echo "$deps" | tr ' ' '\n' | tac) "$rel"; do
			case "$seen" in
			*" $d "*) ;;
			*) seen="$seen$d "; echo "$d" ;;
			esac
		done
	done
}

mods=$(module_load_order) || die "cannot resolve the boot modules"

cache=${MEMIF_VM_CACHE:-$REPO_ROOT/build/vm}
mkdir -p "$cache"
key=$(
	{
		echo "$kver $kernel"
		cat "$SELF_DIR/guest-init.sh"
		sha256sum "$busybox"
		for f in $mods; do
			stat -c '%n %s %Y' "$moddir/$f"
		done
	} | sha256sum | cut -c1-16
)
initrd=$cache/initramfs-$kver-$key.cpio

build_initramfs() {
	local stage f name out
	stage=$(mktemp -d "$cache/stage.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$stage'" RETURN
	mkdir -p "$stage"/{bin,dev,proc,sys,lower,rw,newroot,modules}
	cp "$busybox" "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	cp "$SELF_DIR/guest-init.sh" "$stage/init"
	chmod 0755 "$stage/init" "$stage/bin/busybox"
	: > "$stage/modules/load-order"
	for f in $mods; do
		name=${f##*/}
		out=$stage/modules/${name%.ko*}.ko
		case "$f" in
		*.ko) cp "$moddir/$f" "$out" ;;
		*.ko.xz) xz -dc "$moddir/$f" > "$out" ;;
		*.ko.zst) zstd -qdc "$moddir/$f" > "$out" ;;
		*.ko.gz) gzip -dc "$moddir/$f" > "$out" ;;
		*) die "unknown module format $f" ;;
		esac
		echo "${out##*/}" >> "$stage/modules/load-order"
	done
	(cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) > "$initrd.tmp.$$"
	mv -f "$initrd.tmp.$$" "$initrd"
}

if [ ! -s "$initrd" ]; then
	build_initramfs
	# Drop initramfs images of older versions of this script.
	find "$cache" -maxdepth 1 -name "initramfs-$kver-*.cpio" \
		! -name "${initrd##*/}" -mmin +60 -delete 2>/dev/null || true
fi

# --- the job --------------------------------------------------------------
job=$(mktemp -d "${TMPDIR:-/tmp}/memif-vm.XXXXXX")
case "$job" in
*[[:space:]]*) rm -rf "$job"; die "TMPDIR must not contain white space" ;;
esac
cleanup() {
	rm -rf "$job"
}
trap cleanup EXIT

{
	echo "# generated by run-vm.sh"
	for name in $(compgen -e); do
		case "$name" in
		MEMIF_VM_*) ;;
		MEMIF_*) printf 'export %s=%q\n' "$name" "${!name}" ;;
		esac
	done
	for e in "${envs[@]+"${envs[@]}"}"; do
		printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"
	done
	printf 'cd -- %q || exit 125\n' "$cwd"
	if [ "$interactive" = 0 ]; then
		printf '%q ' "$@"
		echo
	fi
} > "$job/job.sh"

# A fresh tmpfs on /tmp would hide the host's /tmp (scripts, the job's
# directory): only on request, and never when the job's directory is there.
case "$cwd/" in
/tmp/*) tmpfs_tmp=0 ;;
esac

cmdline="console=ttyS0,115200 panic=-1 oops=panic panic_on_warn=0"
cmdline="$cmdline log_buf_len=8M mitigations=off no_timer_check"
# A TCG vCPU thread may be starved by a loaded host: report stalls, lockups
# and hung tasks only after a minute (the defaults are 20-120 s).
cmdline="$cmdline rcupdate.rcu_cpu_stall_timeout=60 watchdog_thresh=30"
cmdline="$cmdline sysctl.kernel.hung_task_timeout_secs=60"
cmdline="$cmdline memif_vm.job=$job memif_vm.tmp=$tmpfs_tmp"
cmdline="$cmdline memif_vm.interactive=$interactive"
[ -z "$guest_moddir" ] || cmdline="$cmdline memif_vm.moddir=$guest_moddir"
[ "$kmemleak" = 0 ] || cmdline="$cmdline memif_vm.kmemleak=1"
cmdline="$cmdline$append"

console_log=${log:-$job/console.log}
if [ -n "$log" ]; then
	mkdir -p "$(dirname "$log")"
	: > "$log"
fi

# Commas in QEMU option values are written twice.
qesc() {
	printf '%s' "${1//,/,,}"
}

qemu=(qemu-system-x86_64 -nodefaults -nographic -no-reboot -no-user-config)
if [ "$accel" = kvm ]; then
	[ -w /dev/kvm ] || die "--kvm: /dev/kvm is not usable"
	qemu+=(-machine "q35,accel=kvm" -cpu host)
else
	qemu+=(-machine "q35,accel=tcg" -cpu max)
fi
[ "$icount" = 0 ] || qemu+=(-icount "shift=0,sleep=off")
qemu+=(-smp "$smp" -m "$mem")
qemu+=(-kernel "$kernel" -initrd "$initrd" -append "$cmdline")
qemu+=(-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap")
qemu+=(-device "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot")
if [ "$quiet" = 1 ]; then
	qemu+=(-chardev "file,id=con,path=$(qesc "$console_log")")
elif [ "$interactive" = 1 ]; then
	# mux: Ctrl-A x quits, Ctrl-A c is the monitor.
	qemu+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$(qesc "$console_log"),logappend=off")
	qemu+=(-mon "chardev=con,mode=readline")
else
	qemu+=(-chardev "stdio,id=con,signal=off,logfile=$(qesc "$console_log"),logappend=off")
fi
qemu+=(-serial chardev:con)
qemu+=(-serial "file:$(qesc "$job/status")" -serial "file:$(qesc "$job/kmsg")")

start=$(date +%s)
set +e
if [ "$interactive" = 1 ]; then
	timeout --foreground -k 10 "$timeout" "${qemu[@]}"
	qrc=$?
else
	# timeout(1) runs QEMU in its own process group: forward our
	# signals, so that Ctrl-C or a killed test runner stops the guest.
	timeout -k 10 "$timeout" "${qemu[@]}" < /dev/null &
	qpid=$!
	trap 'kill -TERM "$qpid" 2>/dev/null' INT TERM HUP
	while :; do
		wait "$qpid"
		qrc=$?
		# wait returns > 128 when interrupted by a trapped signal.
		kill -0 "$qpid" 2>/dev/null || break
	done
	trap - INT TERM HUP
fi
set -e
elapsed=$(($(date +%s) - start))

if [ -n "$kmsg" ]; then
	mkdir -p "$(dirname "$kmsg")"
	tr -d '\r' < "$job/kmsg" > "$kmsg" 2>/dev/null || : > "$kmsg"
fi

rc=$(tr -d '\r' < "$job/status" 2>/dev/null |
	sed -n 's/^memif-vm-rc=\([0-9][0-9]*\)$/\1/p' | tail -n1)
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "run-vm: TIMEOUT: guest killed after ${timeout}s" >&2
	rc=124
elif [ -z "$rc" ]; then
	err=$(tr -d '\r' < "$job/status" 2>/dev/null |
		sed -n 's/^memif-vm-error=//p' | tail -n1)
	if [ -n "$err" ]; then
		echo "run-vm: guest setup failed: $err" >&2
	else
		echo "run-vm: guest died without an exit status (qemu rc=$qrc, ${elapsed}s); end of console:" >&2
		tr -d '\r' < "$console_log" | tail -n 30 >&2
	fi
	rc=125
fi

if [ "$scan" = 1 ]; then
	files=("$job/kmsg")
	# Without the final dmesg (hang, panic) the console has the rest.
	grep -q '^===== memif-vm: end =====' "$job/kmsg" 2>/dev/null ||
		files+=("$console_log")
	if ! "$SELF_DIR/scan-kmsg.sh" "${files[@]}" >&2; then
		echo "run-vm: kernel reports found (command exit status $rc)" >&2
		[ "$rc" != 0 ] || rc=122
	fi
fi
exit "$rc"
