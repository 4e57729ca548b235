# SPDX-License-Identifier: GPL-2.0
#
# memif for Linux: out-of-tree build of memif.ko and its tools.
#
#   make               module and tools (memifctl, the iproute2 plugin)
#   make selftests     helpers of the selftests that need building
#   make check         install test dependencies, build, run every selftest
#                      in a QEMU guest, on 6.1 then on 6.12 (KVER=...: one
#                      kernel only); ends with "N passed, N failed"
#   make check-debug   the selftests on a debug kernel (KASAN, UBSAN,
#                      lockdep, kmemleak...) built from Debian's 6.1 source
#                      and cached in ~/.cache/memif/debug-kernel
#   make demo          bring up a memif link against DPDK testpmd and ping
#   make lint          checkpatch --strict, sparse (C=1) and W=1
#   make bench         memif against tap, vhost-net and veth in two test
#                      VMs (TCG, -icount): table, build/bench/bench.json,
#                      docs/bench.png
#   make fuzz          fuzz the module's checks of peer input (validate.c)
#                      in userspace with libFuzzer, FUZZ_SECONDS (60) per
#                      target, or FUZZ_RUNS inputs; a crash fails it
#   make install       module (then depmod), uapi header, tools (DESTDIR,
#                      PREFIX, IPLIBDIR, KVER apply); DKMS: see dkms.conf
#   make uninstall
#
# KVER selects the kernel to build for and to test on (scripts/kver.sh: by
# default the running kernel if its headers are installed, else the newest
# Debian 6.1 kernel installed); KDIR its build tree.

# Given by the user (make check KVER=...: that kernel's lane only)?
KVER_ORIGIN := $(origin KVER)
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

selftests:
	$(MAKE) -C selftests/drivers/net/memif

check:
	MEMIF_KVER_ORIGIN='$(KVER_ORIGIN)' scripts/check.sh

check-debug:
	scripts/check-debug.sh

demo:
	scripts/demo.sh

lint:
	scripts/lint.sh

bench:
	scripts/bench.sh

fuzz:
	FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_RUNS='$(FUZZ_RUNS)' scripts/fuzz.sh

# install: the module in /lib/modules/$(KVER)/updates/drivers/net/memif,
# by kbuild's modules_install (which signs or compresses it as the kernel
# wants), then depmod, so
# that modprobe memif and `ip link add ... type memif` load it), the uapi
# header in $(PREFIX)/include/linux, memifctl and its man page under
# $(PREFIX) (default /usr/local), link_memif.so where Debian's ip looks for
# plugins ($(IPLIBDIR), see tools/iproute2/Makefile).  DESTDIR is honoured
# (depmod then is left to the packager).  DKMS: see dkms.conf.
PREFIX ?= /usr/local
INCLUDEDIR ?= $(PREFIX)/include
MODDIR = $(DESTDIR)/lib/modules/$(KVER)/updates/drivers/net/memif
DEPMOD ?= depmod
export PREFIX

install: install-module install-header install-tools

install-module: module
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=updates modules_install
	$(if $(DESTDIR),,$(DEPMOD) -a $(KVER))

install-header:
	install -D -m 0644 include/uapi/linux/if_memif.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/if_memif.h

install-tools: tools
	$(MAKE) -C tools/memifctl install
	$(MAKE) -C tools/iproute2 install

uninstall: uninstall-module uninstall-header uninstall-tools

uninstall-module:
	rm -f $(MODDIR)/memif.ko $(MODDIR)/memif.ko.xz $(MODDIR)/memif.ko.zst
	-rmdir -p --ignore-fail-on-non-empty $(MODDIR)
	$(if $(DESTDIR),,$(DEPMOD) -a $(KVER))

uninstall-header:
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/if_memif.h

uninstall-tools:
	$(MAKE) -C tools/memifctl uninstall
	$(MAKE) -C tools/iproute2 uninstall

clean-module:
	$(MAKE) -C $(KDIR) M=$(PWD) clean

clean: clean-module
	$(MAKE) -C tools/memifctl clean
	$(MAKE) -C tools/iproute2 clean
	$(MAKE) -C selftests/drivers/net/memif clean
	rm -rf build

.PHONY: all module tools selftests check check-debug demo lint fuzz bench install \
	install-module install-header install-tools uninstall uninstall-module \
	uninstall-header uninstall-tools clean-module clean
