// SPDX-License-Identifier: GPL-2.0-only
/*
 * whitelist.c - lists of executables (and more) whose events are not logged
 *
 * A whitelist parameter holds entries separated by commas or newlines,
 * each "/absolute/path/of/executable" optionally followed by "|" and a
 * part that the list's kind parses (an argv prefix, an address, a port).
 * A new value is parsed whole into a new hash table keyed by the path; a
 * malformed entry refuses the value with -EINVAL and a message naming it,
 * and the old list stays. The new list replaces the old one with
 * rcu_assign_pointer(), so lookups in probe handlers take no lock and are
 * never blocked; the old list is freed after a grace period.
 */
#include <linux/jhash.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/string.h>

#include "config.h"
#include "whitelist.h"

static u32 akl_wl_hash(const char *path, u32 len)
{
	return jhash(path, len, 0x61636b6c);
}

/**
 * akl_wl_match() - is an event of this executable whitelisted?
 * @p: the whitelist parameter
 * @path: the executable's path
 * @len: its length
 * @accept: called with each entry for this path: does it cover the event?
 *	NULL: any entry does
 * @ctx: passed to @accept
 *
 * Context: any; takes rcu_read_lock().
 */
bool akl_wl_match(struct akl_wl_param *p, const char *path, u32 len,
		  bool (*accept)(const struct akl_wl_entry *e, void *ctx),
		  void *ctx)
{
	u32 hash = akl_wl_hash(path, len);
	struct akl_wl_entry *e;
	struct akl_wl *wl;
	bool hit = false;

	rcu_read_lock();
	wl = rcu_dereference(p->list);
	if (!wl || !wl->n)
		goto out;
	hlist_for_each_entry_rcu(e, &wl->buckets[hash >> (32 - wl->bits)], node) {
		if (e->hash != hash || e->path_len != len ||
		    memcmp(e->path, path, len))
			continue;
		if (!accept || accept(e, ctx)) {
			hit = true;
			break;
		}
	}
out:
	rcu_read_unlock();
	return hit;
}

static void wl_free(struct akl_wl *wl)
{
	if (!wl)
		return;
	kfree(wl->text);
	kfree(wl->specs);
	kvfree(wl->entries);
	kvfree(wl);
}

static void wl_free_rcu(struct rcu_head *rcu)
{
	wl_free(container_of(rcu, struct akl_wl, rcu));
}

static unsigned int count_entries(const char *s, size_t len)
{
	unsigned int n = 1;

	while (len--)
		if (s[len] == ',' || s[len] == '\n')
			n++;
	return n;
}

static int parse_entry(const struct akl_wl_kind *kind, char *spec,
		       struct akl_wl_entry *e)
{
	char *rest = strchr(spec, '|');

	if (rest)
		*rest++ = '\0';
	if (spec[0] != '/' || strlen(spec) >= PATH_MAX)
		return -EINVAL;
	e->path = spec;
	e->path_len = strlen(spec);
	e->hash = akl_wl_hash(spec, e->path_len);
	return kind->parse_rest ? kind->parse_rest(rest, e) :
				  (rest ? -EINVAL : 0);
}

static struct akl_wl *wl_parse(const struct kernel_param *kp, const char *val)
{
	const struct akl_wl_param *p = kp->arg;
	const struct akl_wl_kind *kind = p->kind;
	size_t len = strlen(val);
	unsigned int n, i = 0;
	struct akl_wl *wl;
	char *spec, *cur;
	int ret = -ENOMEM;

	/* One trailing newline, as echo writes it, is not an entry. */
	if (len && val[len - 1] == '\n')
		len--;
	if (len > AKL_WL_TEXT_MAX) {
		pr_err("%s: longer than %lu bytes; keeping the old list\n",
		       kp->name, AKL_WL_TEXT_MAX);
		return ERR_PTR(-EINVAL);
	}
	n = len ? count_entries(val, len) : 0;
	if (n > kind->max_entries) {
		pr_err("%s: more than %u entries; keeping the old list\n",
		       kp->name, kind->max_entries);
		return ERR_PTR(-EINVAL);
	}
	wl = kvzalloc(struct_size(wl, buckets, roundup_pow_of_two(n + 1) * 2),
		      GFP_KERNEL);
	if (!wl)
		return ERR_PTR(-ENOMEM);
	wl->bits = ilog2(roundup_pow_of_two(n + 1) * 2);
	wl->text = kmemdup_nul(val, len, GFP_KERNEL);
	wl->specs = kmemdup_nul(val, len, GFP_KERNEL);
	wl->entries = kvcalloc(n ?: 1, kind->entry_size, GFP_KERNEL);
	if (!wl->text || !wl->specs || !wl->entries)
		goto err;
	cur = len ? wl->specs : NULL;
	while ((spec = strsep(&cur, ",\n"))) {
		struct akl_wl_entry *e = wl->entries + i * kind->entry_size;
		char *shown = kmemdup_nul(spec, strlen(spec), GFP_KERNEL);

		ret = shown ? parse_entry(kind, spec, e) : -ENOMEM;
		if (ret) {
			pr_err("%s: entry %u '%s' is malformed; keeping the old list\n",
			       kp->name, i + 1, shown ?: "");
			kfree(shown);
			goto err;
		}
		kfree(shown);
		hlist_add_head(&e->node, &wl->buckets[e->hash >> (32 - wl->bits)]);
		i++;
	}
	wl->n = i;
	return wl;
err:
	wl_free(wl);
	return ERR_PTR(ret);
}

static int wl_param_set(const char *val, const struct kernel_param *kp)
{
	struct akl_wl_param *p = kp->arg;
	struct akl_wl *wl, *old;
	int ret;

	ret = akl_config_may_set(kp);
	if (ret)
		return ret;
	wl = wl_parse(kp, val);
	if (IS_ERR(wl))
		return PTR_ERR(wl);
	/* Writers are serialised by the module's parameter lock. */
	old = rcu_replace_pointer(p->list, wl, true);
	if (old)
		call_rcu(&old->rcu, wl_free_rcu);
	if (akl_config_live())
		akl_config_changed(kp);
	return 0;
}

static int wl_param_get(char *buf, const struct kernel_param *kp)
{
	struct akl_wl_param *p = kp->arg;
	struct akl_wl *wl = rcu_dereference_protected(p->list, true);

	return sysfs_emit(buf, "%s\n", wl ? wl->text : "");
}

/**
 * akl_wl_param_free() - free a whitelist parameter's list at unload
 * @p: the parameter
 *
 * Once no lookup can run: the caller has detached its hooks, and
 * akl_config_exit() has shut out parameter writes. Reads are not shut
 * out: the sysfs file stays readable until the module is gone, and its
 * get() runs under the parameter lock; so the list is unpublished under
 * that lock, and freed after it. Also waits for lists replaced earlier,
 * which call_rcu() frees with this module's code.
 *
 * Context: process, without the parameter lock (module exit, or the
 * kernel's freeing of parameters after a failed load).
 */
void akl_wl_param_free(struct akl_wl_param *p)
{
	struct akl_wl *wl;

	kernel_param_lock(THIS_MODULE);
	wl = rcu_replace_pointer(p->list, NULL,
				 lockdep_is_held(&THIS_MODULE->param_lock));
	kernel_param_unlock(THIS_MODULE);
	wl_free(wl);
	rcu_barrier();
}

/* The kernel frees parameters this way too, after a failed load. */
static void wl_param_free_op(void *arg)
{
	akl_wl_param_free(arg);
}

const struct kernel_param_ops akl_wl_param_ops = {
	.set = wl_param_set,
	.get = wl_param_get,
	.free = wl_param_free_op,
};
