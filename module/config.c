// SPDX-License-Identifier: GPL-2.0-only
/*
 * config.c - module parameters and the config records that report them
 *
 * At load, one record gives the module's version and every parameter's
 * effective value. Each later change of a parameter through sysfs writes
 * a record with the new value and who changed it. Parameter setters run
 * with the module's parameter lock held (kernel_param_lock()), which is
 * also what shuts them out at unload.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/utsname.h>

#include "actor.h"
#include "config.h"
#include "secure_log.h"

/* Set once every subsystem runs; parameter changes are then applied live. */
static bool live;
/* Set at unload: subsystems are stopping, parameters are refused. */
static bool closed;

bool akl_config_live(void)
{
	return live;
}

/* Context: a parameter's set(), with the parameter lock held. */
bool akl_config_closed(void)
{
	if (closed)
		pr_err("the module is unloading; parameters cannot change\n");
	return closed;
}

static int uint_param_set(const char *val, const struct kernel_param *kp)
{
	struct akl_uint_param *p = kp->arg;
	unsigned int v, old = *p->val;
	int ret;

	if (akl_config_closed())
		return -EBUSY;
	ret = kstrtouint(val, 0, &v);
	if (ret || v < p->min || v > p->max) {
		pr_err("%s: '%s' is not a number from %u to %u; keeping %u\n",
		       kp->name, val, p->min, p->max, old);
		return -EINVAL;
	}
	*p->val = v;
	if (!live)
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

/* A parameter's value as its get() gives it, as one field. */
static void rec_param(struct akl_rec *r, const char *key,
		      const struct kernel_param *kp, char *page)
{
	int n = kp->ops->get(page, kp);

	if (n < 0)
		n = 0;
	while (n > 0 && page[n - 1] == '\n')
		n--;
	page[n] = '\0';
	akl_rec_word(r, key, page, n);
}

/*
 * Config records are written from process context, where the parameters'
 * get() may sleep: they are built in a buffer of their own, not in the
 * per-CPU scratch that akl_log_begin() hands out with preemption off.
 */
static struct akl_rec *config_rec_alloc(void)
{
	struct akl_rec *r = kmalloc(sizeof(*r), GFP_KERNEL);
	char *buf = kvmalloc(AKL_PAYLOAD_MAX, GFP_KERNEL);

	if (!r || !buf) {
		kfree(r);
		kvfree(buf);
		return NULL;
	}
	akl_rec_init(r, buf, AKL_PAYLOAD_MAX, AKL_T_CONFIG);
	return r;
}

static void config_rec_store(struct akl_rec *r)
{
	akl_rec_actor(r);
	akl_rec_finish(r);
	akl_log_store(r);
	kvfree(r->buf);
	kfree(r);
}

/**
 * akl_config_changed() - record a parameter's new value and who set it
 * @kp: the parameter, with its new value in place
 *
 * Context: process, with the parameter lock held (a parameter's set()).
 */
void akl_config_changed(const struct kernel_param *kp)
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
	akl_rec_printf(r, "event=set param=%s", kp->name);
	rec_param(r, "value", kp, page);
	config_rec_store(r);
	free_page((unsigned long)page);
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
	akl_rec_printf(r, "event=load version=%s", AKL_VERSION);
	akl_rec_word(r, "kernel", utsname()->release, __NEW_UTS_LEN);
	kernel_param_lock(THIS_MODULE);
	for (i = 0, kp = THIS_MODULE->kp; i < THIS_MODULE->num_kp; i++, kp++)
		rec_param(r, kp->name, kp, page);
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
	live = true;
	kernel_param_unlock(THIS_MODULE);
}

/* After this, every parameter write is refused. */
void akl_config_exit(void)
{
	kernel_param_lock(THIS_MODULE);
	live = false;
	closed = true;
	kernel_param_unlock(THIS_MODULE);
}
