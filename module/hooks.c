// SPDX-License-Identifier: GPL-2.0-only
/*
 * hooks.c - kprobes, kretprobes and tracepoints from static tables
 *
 * Subsystems describe their hook points in static tables of struct
 * akl_hook and attach or detach them, as a whole or one by one, through
 * the functions here: at load and at unload only. Attaching rewrites
 * kernel instructions that other CPUs may be running; parameters only
 * change what handlers do. Tracepoints are found by name, since their symbols
 * are not exported to modules.
 *
 * A kprobe is skipped when it fires while another kprobe runs on the same
 * CPU, and a kretprobe when it has no free instance: the kernel counts
 * these in nmissed. A periodic check turns new misses into "lost" records,
 * so that what a probe missed is never silent; a hook whose misses another
 * hook records (@covered) only says so in the kernel log.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "hooks.h"
#include "secure_log.h"

/* Attached hooks, for the missed-event check. */
#define MAX_ATTACHED 64
static struct akl_hook *attached[MAX_ATTACHED];
static DEFINE_MUTEX(hooks_lock);

static void check_missed(struct work_struct *work);
static DECLARE_DELAYED_WORK(missed_work, check_missed);

static unsigned long hook_nmissed(const struct akl_hook *h)
{
	if (h->kind == AKL_TRACEPOINT)
		return 0;
	return h->krp.kp.nmissed + (h->kind == AKL_KRETPROBE ? h->krp.nmissed : 0);
}

/* Reports misses since the last report. */
static void report_missed(struct akl_hook *h)
{
	unsigned long now = hook_nmissed(h);

	lockdep_assert_held(&hooks_lock);
	if (now == h->missed)
		return;
	if (h->covered) {
		pr_notice_ratelimited("%s: %lu calls missed, recorded by a fallback hook\n",
				      h->attached, now - h->missed);
	} else {
		pr_warn_ratelimited("%s: %lu events missed\n", h->attached,
				    now - h->missed);
		akl_log_lost_add(now - h->missed);
	}
	h->missed = now;
}

static void check_missed(struct work_struct *work)
{
	int i;

	mutex_lock(&hooks_lock);
	for (i = 0; i < MAX_ATTACHED; i++)
		if (attached[i])
			report_missed(attached[i]);
	mutex_unlock(&hooks_lock);
	akl_log_flush_lost();
	schedule_delayed_work(&missed_work, HZ);
}

struct tp_search {
	const char *name;
	struct tracepoint *tp;
};

static void match_tp(struct tracepoint *tp, void *priv)
{
	struct tp_search *s = priv;

	if (!strcmp(tp->name, s->name))
		s->tp = tp;
}

static int attach_one(struct akl_hook *h, const char *name)
{
	struct tp_search s = { .name = name };
	int ret;

	memset(&h->krp, 0, sizeof(h->krp));
	switch (h->kind) {
	case AKL_TRACEPOINT:
		for_each_kernel_tracepoint(match_tp, &s);
		if (!s.tp)
			return -ENOENT;
		ret = tracepoint_probe_register(s.tp, h->tp_func, h);
		if (!ret)
			h->tp = s.tp;
		return ret;
	case AKL_KPROBE:
		h->krp.kp.symbol_name = name;
		h->krp.kp.pre_handler = h->pre;
		return register_kprobe(&h->krp.kp);
	case AKL_KRETPROBE:
		h->krp.kp.symbol_name = name;
		h->krp.entry_handler = h->entry;
		h->krp.handler = h->ret;
		h->krp.data_size = h->data_size;
		/* Room for many callers at once (preempted, or sleeping). */
		h->krp.maxactive = h->maxactive ?:
				   max(64, 16 * (int)num_possible_cpus());
		return register_kretprobe(&h->krp);
	}
	return -EINVAL;
}

/**
 * akl_hook_attach() - attach one hook, trying each of its names
 * @h: the hook; attaching an attached hook does nothing
 *
 * Context: process; takes hooks_lock.
 * Return: 0, or the error of the last name tried; -ENOENT for an
 * optional hook that this kernel lacks is reported and returned too.
 */
int akl_hook_attach(struct akl_hook *h)
{
	int i, slot, ret = -ENOENT;

	mutex_lock(&hooks_lock);
	if (h->attached) {
		ret = 0;
		goto out;
	}
	for (slot = 0; slot < MAX_ATTACHED && attached[slot]; slot++)
		;
	if (slot == MAX_ATTACHED) {
		ret = -ENOSPC;
		goto out;
	}
	for (i = 0; i < AKL_HOOK_NAMES && h->names[i]; i++) {
		ret = attach_one(h, h->names[i]);
		if (!ret) {
			if (h->module)
				pr_info("%s: %s loaded, its events are logged\n",
					h->names[i], h->module);
			h->attached = h->names[i];
			h->missed = hook_nmissed(h);
			attached[slot] = h;
			goto out;
		}
	}
	if (h->module)
		pr_debug("%s: %s not loaded (%d)\n", h->names[0], h->module, ret);
	else if (h->optional)
		pr_notice("%s: not on this kernel (%d); its events are not logged\n",
			  h->names[0], ret);
	else
		pr_err("%s: cannot attach (%d)\n", h->names[0], ret);
out:
	mutex_unlock(&hooks_lock);
	return ret;
}

/**
 * akl_hook_detach() - detach one hook and report what it missed
 * @h: the hook; detaching a detached hook does nothing
 *
 * For a tracepoint, the caller must akl_hooks_sync() before freeing
 * anything its probe uses.
 *
 * Context: process; takes hooks_lock.
 */
void akl_hook_detach(struct akl_hook *h)
{
	int i;

	mutex_lock(&hooks_lock);
	if (!h->attached)
		goto out;
	switch (h->kind) {
	case AKL_TRACEPOINT:
		tracepoint_probe_unregister(h->tp, h->tp_func, h);
		h->tp = NULL;
		break;
	case AKL_KPROBE:
		unregister_kprobe(&h->krp.kp);
		break;
	case AKL_KRETPROBE:
		unregister_kretprobe(&h->krp);
		break;
	}
	report_missed(h);
	for (i = 0; i < MAX_ATTACHED; i++)
		if (attached[i] == h)
			attached[i] = NULL;
	h->attached = NULL;
out:
	mutex_unlock(&hooks_lock);
	akl_log_flush_lost();
}

/* Waits until no tracepoint probe detached before runs anymore. */
void akl_hooks_sync(void)
{
	tracepoint_synchronize_unregister();
}

/* Attaches a table: every mandatory hook, or none. */
int akl_hooks_attach(struct akl_hook *hooks, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = akl_hook_attach(&hooks[i]);
		if (ret && !hooks[i].optional) {
			akl_hooks_detach(hooks, i);
			return ret;
		}
	}
	return 0;
}

void akl_hooks_detach(struct akl_hook *hooks, unsigned int n)
{
	while (n--)
		akl_hook_detach(&hooks[n]);
	akl_hooks_sync();
}

int akl_hooks_init(void)
{
	schedule_delayed_work(&missed_work, HZ);
	return 0;
}

/* After every subsystem has detached its hooks. */
void akl_hooks_exit(void)
{
	cancel_delayed_work_sync(&missed_work);
}
