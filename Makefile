# SPDX-License-Identifier: GPL-2.0-only
#
#   make              build module/activity_klog.ko for the running kernel
#   make KVER=...     ... for another installed kernel's headers
#   make install      install it into /lib/modules/$(KVER)/updates and depmod
#   make demo         boot it in a throwaway QEMU guest and show its records
#   make test         the whole test suite (installs what it needs; root)
#   make unit         the user-space unit tests only
#   make bench        measure the overhead on exec and socket loops (QEMU)
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module modules

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

bench:
	tests/bench

demo:
	tests/demo

test:
	tests/run

unit:
	$(MAKE) -C tests/unit check

clean:
	rm -rf .build
	rm -f module/*.o module/*.ko module/*.mod module/*.mod.c module/.*.cmd \
		module/modules.order module/Module.symvers
	$(MAKE) -C tests/unit clean

.PHONY: all module install bench demo test unit clean
