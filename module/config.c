// SPDX-License-Identifier: GPL-2.0-only
/*
 * config.c - module parameters and the config records that report them
 *
 * At load, one record gives the module's version and every parameter's
 * effective value. Each later change of a parameter through sysfs writes
 * a record with the new value and who changed it. Parameter setters run
 * with the module's parameter lock held (kernel_param_lock()), which is
 * also what shuts them out at unload.
 *
 * DOC: when parameters can change
 *
 * A module's parameters are set from the insmod command line before its
 * init runs, and its sysfs files appear before init runs too. So a set()
 * sees one of four states, changed under the parameter lock:
 *
 * - CFG_ARGS, until init writes the load record: the value is stored
 *   only. It comes from the command line, or from a sysfs write that came
 *   before init started; either way, init reads it when it starts each
 *   subsystem, and the load record shows it.
 * - CFG_STARTING, from the load record until every subsystem runs: a
 *   write is refused with -EBUSY. Stored, it would be neither applied
 *   (the subsystem may already have read it) nor recorded.
 * - CFG_LIVE: a write is applied at once and recorded.
 * - CFG_CLOSED, from unload (or a failed init) on: refused with -EBUSY.
 *
 * DOC: lock
 *
 * Like auditctl -e 2: once the lock parameter is 1 (at load, or written
 * at run time), every later write of a parameter is refused with -EPERM
 * and recorded (event=refused, with who tried), and the module holds a
 * reference to itself, so that it cannot be unloaded, until reboot.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/utsname.h>

#include "actor.h"
#include "config.h"
#include "secure_log.h"

enum cfg_state {
	CFG_ARGS,
	CFG_STARTING,
	CFG_LIVE,
	CFG_CLOSED,
};

static enum cfg_state state = CFG_ARGS;
static unsigned int lock;
static bool pinned;

static void config_refused(const struct kernel_param *kp);

/* Once locked, the module keeps itself loaded. With the parameter lock. */
static void pin(void)
{
	if (lock && !pinned) {
		__module_get(THIS_MODULE);
		pinned = true;
		pr_notice("locked: parameters cannot change and the module cannot be unloaded until reboot\n");
	}
}

static int lock_apply(unsigned int old)
{
	pin();
	return 0;
}

AKL_PARAM_UINT(lock, lock, 0, 1, lock_apply);
MODULE_PARM_DESC(lock,
		 "1: refuse every parameter change (-EPERM, recorded) and unloading, until reboot (default 0)");

/* Context: a parameter's set(), with the parameter lock held. */
bool akl_config_live(void)
{
	return state == CFG_LIVE;
}

/**
 * akl_config_may_set() - may a parameter change now?
 * @kp: the parameter
 *
 * Context: a parameter's set(), with the parameter lock held.
 * Return: 0, or -EBUSY (with a message) while the module starts or stops,
 * or -EPERM (with a message and a record) once locked.
 */
int akl_config_may_set(const struct kernel_param *kp)
{
	switch (state) {
	case CFG_STARTING:
		pr_err("%s: the module is starting; parameters cannot change until it runs\n",
		       kp->name);
		return -EBUSY;
	case CFG_CLOSED:
		pr_err("%s: the module is unloading; parameters cannot change\n",
		       kp->name);
		return -EBUSY;
	default:
		break;
	}
	if (lock && state == CFG_LIVE) {
		pr_err("%s: parameters are locked (lock=1) until reboot\n",
		       kp->name);
		config_refused(kp);
		return -EPERM;
	}
	return 0;
}

static int uint_param_set(const char *val, const struct kernel_param *kp)
{
	struct akl_uint_param *p = kp->arg;
	unsigned int v, old = *p->val;
	int ret;

	ret = akl_config_may_set(kp);
	if (ret)
		return ret;
	ret = kstrtouint(val, 0, &v);
	if (ret || v < p->min || v > p->max) {
		pr_err("%s: '%s' is not a number from %u to %u; keeping %u\n",
		       kp->name, val, p->min, p->max, old);
		return -EINVAL;
	}
	*p->val = v;
	if (state != CFG_LIVE)
		return 0;
	if (p->apply && v != old) {
		ret = p->apply(old);
		if (ret) {
			*p->val = old;
			return ret;
		}
	}
	akl_config_changed(kp);
	return 0;
}

static int uint_param_get(char *buf, const struct kernel_param *kp)
{
	const struct akl_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", *p->val);
}

const struct kernel_param_ops akl_uint_param_ops = {
	.set = uint_param_set,
	.get = uint_param_get,
};

static int counter_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

/*
 * Counters are read-only, but a value may still be given at load: the
 * kernel's parser calls set() without checking that there is one.
 */
int akl_param_readonly_set(const char *val, const struct kernel_param *kp)
{
	pr_err("%s: read-only (a counter), not set at load\n", kp->name);
	return -EPERM;
}

const struct kernel_param_ops akl_counter_param_ops = {
	.set = akl_param_readonly_set,
	.get = counter_param_get,
};

/*
 * A parameter's value as its get() gives it, as one field: "value", or,
 * for @named, one named after the parameter.
 */
static void rec_param(struct akl_rec *r, bool named,
		      const struct kernel_param *kp, char *page)
{
	int n = kp->ops->get(page, kp);

	if (n < 0)
		n = 0;
	while (n > 0 && page[n - 1] == '\n')
		n--;
	page[n] = '\0';
	if (named)
		akl_rec_named(r, kp->name, page, n);
	else
		akl_rec_word(r, AKL_K_VALUE, page, n);
}

/*
 * Config records are written from process context, where the parameters'
 * get() may sleep: they are built with akl_log_alloc(), not in the per-CPU
 * scratch that akl_log_begin() hands out with preemption off.
 */
static struct akl_rec *config_rec_alloc(void)
{
	return akl_log_alloc(AKL_T_CONFIG, AKL_PAYLOAD_MAX);
}

static void config_rec_store(struct akl_rec *r)
{
	akl_rec_actor(r, NULL);
	akl_log_store_free(r);
}

/* A set's record: the edit as written if any, else the value get() gives. */
static void config_set(const struct kernel_param *kp, const char *edit,
		       size_t len)
{
	char *page = (char *)__get_free_page(GFP_KERNEL);
	struct akl_rec *r = page ? config_rec_alloc() : NULL;

	if (!r) {
		pr_warn_ratelimited("no memory for the record of %s's change\n",
				    kp->name);
		akl_log_lost_add(1);
		free_page((unsigned long)page);
		return;
	}
	akl_rec_name(r, AKL_K_EVENT, "set");
	akl_rec_word(r, AKL_K_PARAM, kp->name, MODULE_NAME_LEN);
	if (edit)
		akl_rec_word(r, AKL_K_VALUE, edit, len);
	else
		rec_param(r, false, kp, page);
	config_rec_store(r);
	free_page((unsigned long)page);
}

/**
 * akl_config_changed() - record a parameter's new value and who set it
 * @kp: the parameter, with its new value in place
 *
 * Context: process, with the parameter lock held (a parameter's set()).
 */
void akl_config_changed(const struct kernel_param *kp)
{
	config_set(kp, NULL, 0);
}

/**
 * akl_config_edited() - record an edit of a parameter and who made it
 * @kp: the parameter, edited
 * @edit: the edit as written ("+/a,/b" or "-/a"), shown as the value
 * @len: its length
 *
 * Context: process, with the parameter lock held (a parameter's set()).
 */
void akl_config_edited(const struct kernel_param *kp, const char *edit,
		       size_t len)
{
	config_set(kp, edit, len);
}

/* A refused change, and who tried it. With the parameter lock. */
static void config_refused(const struct kernel_param *kp)
{
	struct akl_rec *r = config_rec_alloc();

	if (!r) {
		akl_log_lost_add(1);
		return;
	}
	akl_rec_name(r, AKL_K_EVENT, "refused");
	akl_rec_word(r, AKL_K_PARAM, kp->name, MODULE_NAME_LEN);
	akl_rec_name(r, AKL_K_REASON, "locked");
	config_rec_store(r);
}

static int load_record(void)
{
	char *page = (char *)__get_free_page(GFP_KERNEL);
	struct akl_rec *r = page ? config_rec_alloc() : NULL;
	const struct kernel_param *kp;
	unsigned int i;

	if (!r) {
		free_page((unsigned long)page);
		return -ENOMEM;
	}
	akl_rec_name(r, AKL_K_EVENT, "load");
	akl_rec_name(r, AKL_K_VERSION, AKL_VERSION);
	akl_rec_word(r, AKL_K_KERNEL, utsname()->release, __NEW_UTS_LEN);
	kernel_param_lock(THIS_MODULE);
	/* From here on the values read are the ones init applies. */
	state = CFG_STARTING;
	for (i = 0, kp = THIS_MODULE->kp; i < THIS_MODULE->num_kp; i++, kp++)
		rec_param(r, true, kp, page);
	kernel_param_unlock(THIS_MODULE);
	config_rec_store(r);
	free_page((unsigned long)page);
	return 0;
}

/* Writes the load record: before any other record source starts. */
int akl_config_init(void)
{
	return load_record();
}

/* Every subsystem runs: parameter changes now apply and are recorded. */
void akl_config_start(void)
{
	kernel_param_lock(THIS_MODULE);
	state = CFG_LIVE;
	pin();
	kernel_param_unlock(THIS_MODULE);
}

/* After this, every parameter write is refused. */
void akl_config_exit(void)
{
	kernel_param_lock(THIS_MODULE);
	state = CFG_CLOSED;
	kernel_param_unlock(THIS_MODULE);
}
