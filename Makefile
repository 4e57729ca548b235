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
# KVER selects the kernel to build for and to test on (scripts/kver.sh: by
# default the running kernel if its headers are installed, else the newest
# Debian 6.1 kernel installed); KDIR its build tree.

KVER ?= $(shell scripts/kver.sh)
KDIR ?= $(shell scripts/kdir.sh $(KVER))
export KVER
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
