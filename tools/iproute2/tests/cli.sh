#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Command line checks of link_memif.so through the system's ip, with no
# memif module: help, and every kind of bad option, which the plugin must
# refuse before ip sends anything (ip exits 1 for that, 2 when the kernel
# refuses a request).
#
# Usage: cli.sh PLUGIN_DIR [IP]
#
# Requests that reach the kernel would only be sent by a broken plugin;
# even so, as root they are made in a network namespace of their own
# (unshare -n), and without one those checks are skipped.  The requests
# that must reach the kernel, to show that good options pass, change
# "lo", which the kernel refuses for any kind (EOPNOTSUPP) before it
# would look for a module.
set -u
dir=${1:?usage: cli.sh PLUGIN_DIR [IP]}
ip_bin=${2:-ip}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skipped=0

[ -f "$dir/link_memif.so" ] || { echo "no $dir/link_memif.so"; exit 1; }
IP_LIB_DIR=$dir
export IP_LIB_DIR

run=
if [ "$(id -u)" = 0 ]; then
	if unshare -n true 2>/dev/null; then
		run="unshare -n"
	else
		run=none
	fi
fi

# ipx ARGS...: ip, in a namespace of its own when root
ipx()
{
	# shellcheck disable=SC2086	# $run is a command and its option
	$run "$ip_bin" "$@"
}

report()
{
	echo "FAIL: ip $1: $2"
	sed 's/^/	/' "$tmp/out" "$tmp/err"
	fail=$((fail + 1))
}

# help_ok STATUS STREAM ARGS...: ip ARGS exits STATUS, prints the usage
# on STREAM (out or err), with the ranges of every option.
help_ok()
{
	want=$1
	stream=$2
	shift 2
	"$ip_bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		report "$*" "exit $got, want $want"
		return
	fi
	for p in "Usage: ip link add" "type memif" "role { client | server }" \
		"at most 107 bytes" "/run/vpp/memif.sock" "0-4294967295" \
		"at most 23 bytes" "mode { ethernet | ip }" "2-16384" \
		"128-65535" "offloads { on | off }" \
		"numtxqueues N numrxqueues N" "1-255" \
		"max-memory SIZE" "1M-64G; default 1G" "socket-uid USER" \
		"socket-gid GROUP" "socket-mode MODE" "peer-uid USER" \
		"peer-gid GROUP" "mode 0755"; do
		if ! grep -qF -- "$p" "$tmp/$stream"; then
			report "$*" "no \"$p\" in std$stream"
			return
		fi
	done
	pass=$((pass + 1))
}

# refused MESSAGE ARGS...: "ip ARGS" exits 1 (nothing sent) with exactly
# one line, "Error: memif: " and MESSAGE (a fixed string), on stderr and
# nothing on stdout.
refused()
{
	msg=$1
	shift
	if [ "$run" = none ]; then
		skipped=$((skipped + 1))
		return
	fi
	ipx "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != 1 ]; then
		report "$*" "exit $got, want 1"
	elif [ -s "$tmp/out" ] || [ "$(wc -l <"$tmp/err")" != 1 ]; then
		report "$*" "want one line on stderr, nothing on stdout"
	elif ! grep -qF -- "Error: memif: $msg" "$tmp/err"; then
		report "$*" "no \"Error: memif: $msg\""
	else
		pass=$((pass + 1))
	fi
}

# bad MESSAGE OPTIONS...: refused both by "ip link add" and "ip link set"
bad()
{
	msg=$1
	shift
	refused "$msg" link add memiftest0 type memif "$@"
	refused "$msg" link set dev lo type memif "$@"
}

# accepted OPTIONS...: the plugin lets them through to the kernel, which
# refuses to give lo memif settings (exit 2).
accepted()
{
	if [ "$run" = none ]; then
		skipped=$((skipped + 1))
		return
	fi
	ipx link set dev lo type memif "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != 2 ] || grep -q "memif" "$tmp/err"; then
		report "link set dev lo type memif $*" \
			"exit $got, want 2 and the kernel's message"
	else
		pass=$((pass + 1))
	fi
}

A10=aaaaaaaaaa
SOCK108=/$A10$A10$A10$A10$A10$A10$A10$A10$A10$A10$A10
SOCK108=${SOCK108%???}

# The plugin is found and documents every option.
help_ok 0 out link help memif
help_ok 1 err link add type memif help
help_ok 1 err link add memiftest0 type memif role server help
help_ok 1 err link set dev lo type memif help

# role
bad 'role must be client or server (got "boss")' role boss
bad 'role must be client or server (got "Client")' role Client
bad 'role must be client or server (got "")' role ""
# socket
bad "socket must be 1 to 107 bytes long (got 108)" socket "$SOCK108"
bad "socket must be 1 to 107 bytes long (got 0)" socket ""
bad 'socket must be an absolute path or @name (got "run/x.sock")' \
	socket run/x.sock
bad "socket: the abstract name after '@' is empty" socket @
# id
bad 'id must be an integer between 0 and 4294967295 (got "abc")' id abc
bad 'id must be an integer between 0 and 4294967295 (got "4294967296")' \
	id 4294967296
bad 'id must be an integer between 0 and 4294967295 (got "-1")' id -1
bad 'id must be an integer between 0 and 4294967295 (got "1.5")' id 1.5
# secret
bad "secret must be at most 23 bytes long (got 24)" \
	secret 123456789012345678901234
# mode
bad 'mode must be ethernet or ip (got "eth")' mode eth
bad 'mode must be ethernet or ip (got "IP")' mode IP
# ring-size
for v in 1000 0 1 32768 65536 abc 1k -2; do
	bad "ring-size must be a power of two between 2 and 16384 (got \"$v\")" \
		ring-size "$v"
done
# buffer-size
for v in 127 0 65536 2k ""; do
	bad "buffer-size must be between 128 and 65535 (got \"$v\")" \
		buffer-size "$v"
done
# offloads
for v in 1 0 On yes ""; do
	bad "offloads must be on or off (got \"$v\")" offloads "$v"
done
# max-memory
for v in 1T 1023K 0 1048575 x "" 1GB 1.5G; do
	bad "max-memory must be between 1M and 64G (got \"$v\")" \
		max-memory "$v"
done
# user and group ids, socket mode
bad 'socket-uid: no such user "memiftest-nx"' socket-uid memiftest-nx
bad 'socket-gid: no such group "memiftest-nx"' socket-gid memiftest-nx
bad 'peer-uid must be a user name, an integer between 0 and 4294967294 or none (got "4294967295")' \
	peer-uid 4294967295
bad 'peer-gid must be a group name, an integer between 0 and 4294967294 or none (got "")' \
	peer-gid ""
for v in 1777 0778 rw ""; do
	bad "socket-mode must be an octal number between 0 and 0777 (got \"$v\")" \
		socket-mode "$v"
done
# structure
bad '"id" given more than once' id 1 id 2
bad '"role" given more than once' role client mode ip role server
bad '"offloads" given more than once' offloads on offloads on
bad 'missing value after "offloads"' id 1 offloads
bad 'missing value after "socket"' socket
bad 'missing value after "ring-size"' id 1 ring-size
bad 'unknown option "name"' name m0
bad 'unknown option "ring_size"' ring_size 16
bad 'unknown option "2048"' ring-size 1024 2048
# queues: ip's numtxqueues/numrxqueues, whatever the value
bad '"queues" is for memifctl; with ip, give "numtxqueues N numrxqueues N" before "type memif"' \
	queues 2
bad '"queues" is for memifctl' queues 0
bad '"queues" is for memifctl' id 1 queues 4

# Good options reach the kernel.
accepted role server socket @x id 3 secret s3 mode ip ring-size 2048 \
	buffer-size 4096
accepted role slave socket /run/x.sock id 0xffffffff ring-size 16384 \
	buffer-size 65535 mode ethernet
accepted secret ""
accepted offloads on
accepted offloads off ring-size 64
accepted role master socket "${SOCK108%a}"
accepted max-memory 64G socket-uid root socket-gid 0 socket-mode 0660 \
	peer-uid 1000 peer-gid root
accepted max-memory 1m socket-uid none socket-gid none socket-mode 777 \
	peer-uid none peer-gid none

echo "cli: $pass passed, $fail failed${skipped:+, $skipped skipped}" |
	sed 's/, 0 skipped$//'
[ "$fail" = 0 ]
