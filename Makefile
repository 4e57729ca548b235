# SPDX-License-Identifier: GPL-2.0
#
# memif for Linux: out-of-tree build of memif.ko and its tools.
#
#   make               module and tools
#   make check         install test dependencies, build, run every selftest
#                      in a QEMU guest; ends with "N passed, N failed"
#   make demo          bring up a memif link against DPDK testpmd and ping
#   make lint          checkpatch --strict, sparse (C=1) and W=1
#
# KDIR selects the kernel build tree.  By default: the running kernel's,
# or, where that does not exist, the newest installed Debian headers that
# match an installed Debian kernel image.

KVER ?= $(shell uname -r)
KDIR ?= $(shell scripts/kdir.sh $(KVER))
PWD := $(CURDIR)

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

tools:
	$(MAKE) -C tools/memifctl

check:
	scripts/check.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(PWD) clean
	$(MAKE) -C tools/memifctl clean
	rm -rf build

.PHONY: all module tools check demo lint clean
