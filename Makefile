# SPDX-License-Identifier: GPL-2.0
#
# memif for Linux: out-of-tree build of memif.ko and its tools.
#
#   make               module and tools (memifctl, the iproute2 plugin)
#   make check         install test dependencies, build, run every selftest
#                      in a QEMU guest; ends with "N passed, N failed"
#   make demo          bring up a memif link against DPDK testpmd and ping
#   make lint          checkpatch --strict, sparse (C=1) and W=1
#   make install       install the tools (DESTDIR, PREFIX, IPLIBDIR apply)
#   make uninstall
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
	$(MAKE) -C tools/iproute2

check:
	scripts/check.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

# install: the tools, memifctl in $(PREFIX)/sbin (default /usr/local) and
# link_memif.so where Debian's ip looks for plugins ($(IPLIBDIR), see
# tools/iproute2/Makefile).
#
# The module is not installed yet (issue 6): its targets, install-module
# and uninstall-module, go next to install-tools and uninstall-tools, as
# further prerequisites of install and uninstall.
install: install-tools

install-tools: tools
	$(MAKE) -C tools/memifctl install
	$(MAKE) -C tools/iproute2 install

uninstall: uninstall-tools

uninstall-tools:
	$(MAKE) -C tools/memifctl uninstall
	$(MAKE) -C tools/iproute2 uninstall

clean:
	-$(MAKE) -C $(KDIR) M=$(PWD) clean
	$(MAKE) -C tools/memifctl clean
	$(MAKE) -C tools/iproute2 clean
	rm -rf build

.PHONY: all module tools check demo lint install install-tools uninstall \
	uninstall-tools clean
