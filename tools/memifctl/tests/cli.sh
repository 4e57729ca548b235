#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Command line checks of memifctl that change nothing on the system: usage
# errors, help, version, and lookups of links that are not memif links
# (set looks the link up before it asks for any change).
# Usage: cli.sh MEMIFCTL_BINARY
set -u
bin=${1:?usage: cli.sh MEMIFCTL_BINARY}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# expect STATUS PATTERN ARGS...: exit status STATUS and PATTERN (a fixed
# string) in stdout or stderr ("" matches anything)
expect()
{
	want=$1
	pattern=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: memifctl $*: exit $got, want $want"
		sed 's/^/	/' "$tmp/out" "$tmp/err"
		fail=$((fail + 1))
	elif [ -n "$pattern" ] &&
	     ! cat "$tmp/out" "$tmp/err" | grep -qF -- "$pattern"; then
		echo "FAIL: memifctl $*: no \"$pattern\" in output"
		sed 's/^/	/' "$tmp/out" "$tmp/err"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

expect 0 "memifctl " --version
expect 0 "Usage: memifctl" --help
expect 0 "memifctl set NAME" --help
expect 0 "ethtool -S" --help
expect 0 "[offloads on|off]" --help
expect 0 "offloads O" --help
expect 0 "[max-memory BYTES]" --help
expect 0 "1M to 64G" --help
expect 0 "socket-mode M" --help
expect 0 "peer-gid G" --help
expect 0 "Usage: memifctl" -h
expect 0 "Usage: memifctl" help
expect 2 "missing command"
expect 2 "missing command" -j
expect 2 'unknown option "-x"' -x show
expect 2 'unknown command "frob"' frob
expect 2 "missing NAME" add
expect 2 "Usage: memifctl add NAME" add
expect 2 "ring-size must be a power of two between 2 and 16384" \
	add memiftest0 ring-size 1000
expect 2 'role must be client or server (got "peer")' \
	add memiftest0 role peer
expect 2 'unknown option "type"' add memiftest0 type memif
expect 2 'missing value after "socket"' add memiftest0 socket
expect 2 '"id" given more than once' add memiftest0 id 1 id 2
expect 2 "queues must be between 1 and 255" add memiftest0 queues 0
expect 2 'offloads must be on or off (got "1")' add memiftest0 offloads 1
expect 2 'offloads must be on or off (got "On")' add memiftest0 offloads On
expect 2 'missing value after "offloads"' add memiftest0 offloads
expect 2 '"offloads" given more than once' \
	add memiftest0 offloads on id 1 offloads on
expect 2 'max-memory must be between 1M and 64G (got "1T")' \
	add memiftest0 max-memory 1T
expect 2 'socket-mode must be an octal number between 0 and 0777 (got "999")' \
	add memiftest0 socket-mode 999
expect 2 'socket-uid: no such user "memiftest-nx"' \
	add memiftest0 socket-uid memiftest-nx
expect 2 'peer-gid: no such group "memiftest-nx"' \
	add memiftest0 peer-gid memiftest-nx
expect 2 'invalid interface name "a/b"' add a/b
expect 2 'invalid interface name "0123456789abcdef"' add 0123456789abcdef
expect 2 'invalid interface name ""' add ""
expect 2 "missing NAME" set
expect 2 "Usage: memifctl set NAME" set
expect 2 "nothing to change" set memiftest0
expect 2 "queues cannot be changed" set memiftest0 queues 2
expect 2 "queues cannot be changed" set memiftest0 ring-size 64 queues 1
expect 2 "ring-size must be a power of two between 2 and 16384" \
	set memiftest0 ring-size 1000
expect 2 "ring-size must be a power of two between 2 and 16384" \
	set memiftest0 ring-size 32768
expect 2 "buffer-size must be between 128 and 65535" \
	set memiftest0 buffer-size 127
expect 2 'id must be an integer between 0 and 4294967295 (got "-1")' \
	set memiftest0 id -1
expect 2 'role must be client or server (got "peer")' \
	set memiftest0 role peer
expect 2 'mode must be ethernet or ip (got "tun")' set memiftest0 mode tun
expect 2 "secret must be at most 23 bytes long (got 24)" \
	set memiftest0 secret 123456789012345678901234
expect 2 "socket must be 1 to 107 bytes long (got 0)" set memiftest0 socket ""
expect 2 'unknown option "type"' set memiftest0 type memif
expect 2 'missing value after "id"' set memiftest0 id
expect 2 '"id" given more than once' set memiftest0 id 1 id 2
expect 2 'offloads must be on or off (got "no")' set memiftest0 offloads no
expect 2 'offloads must be on or off (got "")' set memiftest0 offloads ""
expect 2 '"offloads" given more than once' \
	set memiftest0 offloads off offloads off
expect 2 'max-memory must be between 1M and 64G (got "512K")' \
	set memiftest0 max-memory 512K
expect 2 'peer-uid must be a user name, an integer between 0 and 4294967294 or none (got "4294967295")' \
	set memiftest0 peer-uid 4294967295
expect 2 '"socket-gid" given more than once' \
	set memiftest0 socket-gid 0 socket-gid 0
expect 2 'invalid interface name "a/b"' set a/b id 1
expect 2 "missing NAME" del
expect 2 'unexpected argument "b"' del a b
expect 2 'unexpected argument "b"' show a b
expect 2 'invalid interface name "x y"' show "x y"

# Lookups: read-only.
expect 1 'device "memiftest-nx" does not exist' show memiftest-nx
expect 1 'device "memiftest-nx" does not exist' del memiftest-nx
expect 1 "lo is not a memif device" show lo
expect 1 "lo is not a memif device" -j show lo
expect 1 "lo is not a memif device" del lo
expect 1 "lo is not a memif device" set lo ring-size 64
expect 1 "lo is not a memif device" set lo offloads off
expect 1 'device "memiftest-nx" does not exist' set memiftest-nx offloads on
# an empty secret is accepted: it removes the secret
expect 1 'device "memiftest-nx" does not exist' set memiftest-nx secret ""
expect 1 "lo is not a memif device" set lo max-memory 2g socket-uid root \
	socket-gid none socket-mode 660 peer-uid 0 peer-gid root

# show: a JSON array, whatever links there are.
expect 0 "[" -j show
expect 0 "[" show --json
if "$bin" -j show >"$tmp/json" 2>/dev/null; then
	if command -v python3 >/dev/null 2>&1; then
		if python3 -c 'import json, sys
sys.exit(not isinstance(json.load(open(sys.argv[1])), list))' \
			"$tmp/json"; then
			pass=$((pass + 1))
		else
			echo "FAIL: memifctl -j show: not a JSON array"
			fail=$((fail + 1))
		fi
	fi
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
