#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict on every source file of the module and the
# uapi header, sparse (C=2) and W=1 on the module; checkpatch and -Werror
# on the iproute2 plugin; shellcheck on the scripts.  Any finding fails.
# checkpatch.pl comes from Debian's linux-source tarball, unpacked once
# into build/.
set -eu
cd "$(dirname "$0")/.."
KDIR=${KDIR:-$(scripts/kdir.sh)}
rc=0

src=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' | sort -V | tail -1)
# The newest tarball's checkpatch: stricter rules come with newer kernels.
cp_dir=build/checkpatch-$(basename "${src:-none}" .tar.xz)
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	[ -n "$src" ] || { echo "lint: no /usr/src/linux-source-*.tar.xz" >&2; exit 1; }
	mkdir -p "$cp_dir"
	top=$(basename "$src" .tar.xz)
	tar -xJf "$src" -C "$cp_dir" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi

echo "lint: checkpatch --strict"
files=(include/uapi/linux/if_memif.h)
for f in drivers/net/memif/*.[ch]; do
	[ "${f%.mod.c}" != "$f" ] || files+=("$f")
done
if ! "$cp_dir/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--ignore FILE_PATH_CHANGES -f "${files[@]}"; then
	rc=1
fi

# The iproute2 plugin and the parser built into it are userspace: there
# is no BIT() and no <linux/compiler_attributes.h> to take __always_unused
# and friends from.
echo "lint: checkpatch --strict, tools/iproute2"
if ! "$cp_dir/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--ignore FILE_PATH_CHANGES,BIT_MACRO,PREFER_DEFINED_ATTRIBUTE_MACRO \
	-f tools/iproute2/*.[ch] tools/common/*.[ch]; then
	rc=1
fi

# The fuzz targets: userspace too, and they must name libFuzzer's entry
# point and define READ_ONCE() and __packed as the kernel does.
echo "lint: checkpatch --strict, tools/fuzz"
if ! "$cp_dir/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--ignore FILE_PATH_CHANGES,CAMELCASE,VOLATILE,MACRO_ARG_REUSE \
	--ignore PREFER_DEFINED_ATTRIBUTE_MACRO \
	-f tools/fuzz/*.[ch] tools/fuzz/include/linux/*.h; then
	rc=1
fi

echo "lint: shellcheck"
if ! shellcheck -x scripts/*.sh .ci/run selftests/run.sh selftests/vm/*.sh \
	selftests/vm/harness-tests/*.sh selftests/vm/harness-retry/*.sh \
	selftests/drivers/net/memif/*.sh \
	tools/iproute2/tests/*.sh bench/*.sh; then
	rc=1
fi

echo "lint: tools/iproute2 with -Wall -Wextra -Werror"
# In a private copy, as the module below: the plugin in the tree stays.
ttree=$PWD/build/lint-tools
rm -rf "$ttree"
mkdir -p "$ttree/tools"
cp -r include "$ttree"/
cp -r tools/common tools/iproute2 "$ttree/tools/"
make -s -C "$ttree/tools/iproute2" clean
if ! make -s -C "$ttree/tools/iproute2" WERROR=1; then
	rc=1
fi

echo "lint: W=1 and sparse"
# A private copy, rebuilt from scratch: the module in the tree stays as it is.
tree=$PWD/build/lint-tree
rm -rf "$tree"
mkdir -p "$tree/drivers/net/memif"
cp -r Kbuild include "$tree"/
cp drivers/net/memif/Makefile drivers/net/memif/*.[ch] "$tree/drivers/net/memif/"
rm -f "$tree"/drivers/net/memif/*.mod.c
out=$(make -C "$KDIR" M="$tree" W=1 C=2 MEMIF_DRV_VERSION=lint modules 2>&1) || rc=1
if grep -E "warning:|error:" <<<"$out"; then
	rc=1
fi
[ "$rc" = 0 ] && echo "lint: clean"
exit "$rc"
