// SPDX-License-Identifier: GPL-2.0-only
/*
 * insns-plugin.c - a QEMU TCG plugin that counts the guest's instructions
 * per translation block, for tests/profile (INSNS=1): where a loop's
 * instructions go, exactly, instead of sampled.
 *
 * Every block executed adds its instruction count to a counter kept for
 * its start address (kernel addresses; user space is one counter). A
 * repeated string instruction re-enters its block once per iteration, so
 * a "rep movsb" of 400 bytes counts 400, as QEMU's -icount does.
 *
 * Control: the plugin's argument "dir=DIR". When the file DIR/ctl appears,
 * holding a NAME, the counters are written to DIR/NAME ("ADDR COUNT" lines,
 * hexadecimal address, decimal count) and DIR/ctl is removed: the host
 * takes a snapshot when the loop starts and one when it ends, and their
 * difference is the loop's. The counters are not atomic: exact with
 * -icount (one host thread runs the vCPUs in turn), nearly so without.
 *
 * Built by tests/profile: cc -shared -fPIC -O2 -o insns-plugin.so
 * insns-plugin.c -lpthread. The declarations below are QEMU's plugin API,
 * version 1 (QEMU 5.2 to 8.x), which the qemu-system binary exports.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define SLOTS_BITS	20
#define SLOTS		(1u << SLOTS_BITS)
#define KERNEL_START	0xffff800000000000ull

struct slot {
	uint64_t addr;	/* 0: free; 1: user space; 2: the table was full */
	uint64_t count;
};

static struct slot *slots;
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static char dir[4096];

static struct slot *slot_of(uint64_t addr)
{
	uint64_t h = (addr * 0x9e3779b97f4a7c15ull) >> (64 - SLOTS_BITS);
	unsigned int i;

	for (i = 0; i < SLOTS / 2; i++) {
		struct slot *s = &slots[(h + i) & (SLOTS - 1)];

		if (s->addr == addr)
			return s;
		if (!s->addr) {
			s->addr = addr;
			return s;
		}
	}
	return addr == 2 ? NULL : slot_of(2);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t addr = qemu_plugin_tb_vaddr(tb);
	struct slot *s;

	if (addr < KERNEL_START)
		addr = 1;
	pthread_mutex_lock(&slots_lock);
	s = slot_of(addr);
	pthread_mutex_unlock(&slots_lock);
	if (s)
		qemu_plugin_register_vcpu_tb_exec_inline(tb,
			QEMU_PLUGIN_INLINE_ADD_U64, &s->count,
			qemu_plugin_tb_n_insns(tb));
}

static void dump(const char *name)
{
	char path[8192];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	for (i = 0; i < SLOTS; i++) {
		uint64_t addr = __atomic_load_n(&slots[i].addr, __ATOMIC_RELAXED);
		uint64_t count = __atomic_load_n(&slots[i].count, __ATOMIC_RELAXED);

		if (addr && count)
			fprintf(f, "%llx %llu\n", (unsigned long long)addr,
				(unsigned long long)count);
	}
	fclose(f);
}

static void *control(void *arg)
{
	char ctl[8192], name[256];

	(void)arg;
	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	for (;;) {
		FILE *f = fopen(ctl, "r");

		if (f) {
			if (fscanf(f, "%255s", name) == 1 && !strchr(name, '/'))
				dump(name);
			fclose(f);
			unlink(ctl);
		}
		usleep(20000);
	}
	return NULL;
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			int argc, char **argv)
{
	pthread_t t;
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "dir=", 4))
			snprintf(dir, sizeof(dir), "%s", argv[i] + 4);
	if (!dir[0]) {
		fprintf(stderr, "insns-plugin: no dir=DIR argument\n");
		return -1;
	}
	slots = calloc(SLOTS, sizeof(*slots));
	if (!slots || pthread_create(&t, NULL, control, NULL))
		return -1;
	pthread_detach(t);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
