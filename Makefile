# SPDX-License-Identifier: GPL-2.0-only
#
#   make              build module/activity_klog.ko for the running kernel
#   make KVER=...     ... for another installed kernel's headers
#   make install      install it into /lib/modules/$(KVER)/updates and depmod
#   make demo         boot it in a throwaway QEMU guest and show its records
#   make test         the whole test suite on the CI subset of kernels
#                     (DEFAULT_KERNELS in tests/lib-host.sh; installs what
#                     it needs; root)
#   make test-all     the same on every kernel of the matrix (ALL_KERNELS:
#                     5.10 to 7.x, generic, -rt and debug)
#   make test-debug   the guest tests and the stress test on the two debug
#                     kernels it builds (6.12-debug: KASAN/lockdep/kmemleak;
#                     6.12-rt-debug: PREEMPT_RT with lockdep)
#   make test-stress  the stress test alone on every kernel
#   make unit         the user-space unit tests only
#   make journald     journald/akl-journald, records to the systemd journal
#   make deb          .build/pkg/activity-klog-dkms_VERSION_all.deb (DKMS) and
#                     activity-klog_VERSION_ARCH.deb (forwarder, aklctl)
#   make rpm          .build/pkg/activity_klog-dkms-VERSION-1.noarch.rpm (DKMS)
#                     and activity_klog-VERSION-1.ARCH.rpm
#   make bench        the benchmark (QEMU, one boot): overhead on exec and
#                     socket loops vs no module, auditd, bpftrace and Falco's
#                     kmod, reader throughput under a flood (BENCHMARKS.md)
#   make bench-journald  how fast akl-journald forwards into journald (a
#                     systemd guest: a one-user flood drained from a standing
#                     start, then with the forwarder running; BENCHMARKS.md)
#   make profile      where one loop's time goes in a guest (PCFG=on|norder|
#                     wl|off|none, LOOP=udp|tcp|...): sampled instruction
#                     pointers of both vCPUs, named by the guest's kallsyms
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

bench-journald:
	tests/bench-journald

profile:
	tests/profile

demo:
	tests/demo

test:
	tests/run

test-all:
	KERNELS=all STRESS=$${STRESS:-all} SUITE_LIMIT=$${SUITE_LIMIT:-10800} tests/run

test-debug:
	KERNELS="6.12-debug 6.12-rt-debug" tests/run

test-stress:
	STRESS=all TESTS='t-90*' tests/run

unit:
	$(MAKE) -C tests/unit check
	$(MAKE) -C journald check

journald:
	$(MAKE) -C journald

# Packages are built from a copy of the files they ship (working tree, not
# HEAD), under .build/pkg/: the source tree is left as it was.
DEB_ARCH = $(shell dpkg --print-architecture)
VERSION := $(shell sed -n 's/^\#define AKL_VERSION "\(.*\)"/\1/p' module/config.h)
PKG := $(CURDIR)/.build/pkg
PKG_FILES = dkms.conf LICENSE README.md packaging module/Kbuild module/Makefile \
	$(filter-out %.mod.c,$(wildcard module/*.c)) $(wildcard module/*.h) \
	journald/Makefile journald/record.c journald/record.h journald/akl-journald.c \
	journald/aklctl.c journald/test_record.c journald/test_aklctl.sh \
	journald/activity-klog-journald.service journald/activity-klog.service \
	journald/60-activity-klog.rules journald/aklctl.8 journald/akl-journald.8

deb:
	rm -rf $(PKG)/deb && mkdir -p $(PKG)/deb
	tar -cf - $(PKG_FILES) debian | \
		tar -xf - -C $(PKG)/deb --transform 's,^,activity-klog-$(VERSION)/,'
	cd $(PKG)/deb/activity-klog-$(VERSION) && dpkg-buildpackage -us -uc
	mv $(PKG)/deb/activity-klog-dkms_$(VERSION)_all.deb \
		$(PKG)/deb/activity-klog_$(VERSION)_$(DEB_ARCH).deb $(PKG)/

rpm:
	rm -rf $(PKG)/rpm && mkdir -p $(PKG)/rpm/SOURCES
	tar -czf $(PKG)/rpm/SOURCES/activity_klog-$(VERSION).tar.gz \
		--transform 's,^,activity_klog-$(VERSION)/,' $(PKG_FILES)
	rpmbuild -bb --nodeps --define '_topdir $(PKG)/rpm' rpm/activity_klog.spec
	mv $(PKG)/rpm/RPMS/noarch/activity_klog-dkms-$(VERSION)-*.noarch.rpm \
		$(PKG)/rpm/RPMS/*/activity_klog-$(VERSION)-*.rpm $(PKG)/

.PHONY: deb rpm

clean:
	rm -rf .build
	rm -f module/*.o module/*.ko module/*.mod module/*.mod.c module/.*.cmd \
		module/modules.order module/Module.symvers
	$(MAKE) -C tests/unit clean
	$(MAKE) -C journald clean

.PHONY: all module install bench bench-journald profile demo test test-all test-debug test-stress unit journald clean
