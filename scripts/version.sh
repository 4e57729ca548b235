#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print memif's version: the release in dkms.conf, and where the tree is a
# git work tree, "+g" and the commit, with ".dirty" for local changes:
# 0.4.0+g1234abc.dirty.  The module (modinfo) and memifctl --version both
# print it.
top=$(cd "$(dirname "$0")/.." && pwd)
v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
[ -n "$v" ] || v=0
if [ -e "$top/.git" ] && command -v git >/dev/null 2>&1; then
	c=$(git -C "$top" rev-parse --short=7 HEAD 2>/dev/null) && v="$v+g$c"
	[ -z "$c" ] || git -C "$top" diff --quiet HEAD 2>/dev/null || v="$v.dirty"
fi
echo "$v"
