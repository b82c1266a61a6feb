/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hooks.h - kprobes, kretprobes and tracepoints from static tables
 */
#ifndef _AKL_HOOKS_H
#define _AKL_HOOKS_H

#include <linux/kprobes.h>
#include <linux/tracepoint.h>

enum akl_hook_kind {
	AKL_KPROBE,
	AKL_KRETPROBE,
	AKL_TRACEPOINT,
};

#define AKL_HOOK_NAMES 4

/**
 * struct akl_hook - one hook point, described statically
 * @names: symbols (or the tracepoint) to try in order, NULL-terminated:
 *	a function may be a .isra or .constprop clone on some builds
 * @kind: enum akl_hook_kind
 * @optional: absent on this kernel: a notice, not an error
 * @module: in this module, attached while it is loaded: absent is normal
 * @covered: another hook records what this one misses (a kretprobe out of
 *	instances): misses go to the kernel log, not into lost records
 * @maxactive: kretprobe instances, 0 for the default
 * @pre: kprobe handler
 * @entry: kretprobe entry handler
 * @ret: kretprobe return handler
 * @data_size: kretprobe per-instance data
 * @tp_func: tracepoint probe; it gets the hook as its data argument
 * @krp: the kprobe (krp.kp) or kretprobe, filled in when attached
 * @tp: the tracepoint, when attached
 * @attached: the symbol actually hooked, or NULL
 * @missed: misses already reported
 */
struct akl_hook {
	const char *names[AKL_HOOK_NAMES];
	enum akl_hook_kind kind;
	bool optional;
	const char *module;
	bool covered;
	int maxactive;
	kprobe_pre_handler_t pre;
	kretprobe_handler_t entry;
	kretprobe_handler_t ret;
	size_t data_size;
	void *tp_func;

	struct kretprobe krp;
	struct tracepoint *tp;
	const char *attached;
	unsigned long missed;
};

int akl_hook_attach(struct akl_hook *h);
void akl_hook_detach(struct akl_hook *h);
int akl_hooks_attach(struct akl_hook *hooks, unsigned int n);
void akl_hooks_detach(struct akl_hook *hooks, unsigned int n);
void akl_hooks_sync(void);
int akl_hooks_init(void);
void akl_hooks_exit(void);

#endif /* _AKL_HOOKS_H */
