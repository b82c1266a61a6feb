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
 *
 * A value starting with '+' adds its entries to the list, one starting
 * with '-' removes its entries (each one's every copy, compared as
 * written; one that is not in the list refuses the edit). One write is at
 * most a page, but edits build a list of up to AKL_WL_SIZE_MAX bytes and
 * the kind's max_entries: each edit parses the whole new list, in process
 * context, and publishes it as a plain write does. A read shows a list
 * longer than one write as its first entries, then ",...(+N more)".
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

/* The hash of an executable's path that the lists are keyed by */
u32 akl_wl_hash(const char *path, u32 len)
{
	return jhash(path, len, 0x61636b6c);
}

/**
 * akl_wl_match() - is an event of this executable whitelisted?
 * @p: the whitelist parameter
 * @path: the executable's path
 * @len: its length
 * @hash: akl_wl_hash() of it (the process table keeps it)
 * @accept: called with each entry for this path: does it cover the event?
 *	NULL: any entry does
 * @ctx: passed to @accept
 *
 * Context: any; takes rcu_read_lock().
 * Return: true if an entry for @path covers the event.
 */
bool akl_wl_match(struct akl_wl_param *p, const char *path, u32 len, u32 hash,
		  bool (*accept)(const struct akl_wl_entry *e, void *ctx),
		  void *ctx)
{
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

/**
 * akl_wl_empty() - whether a whitelist has no entries
 * @p: the whitelist parameter
 *
 * Context: any; takes rcu_read_lock().
 * Return: true if it has none (not set, or set empty).
 */
bool akl_wl_empty(struct akl_wl_param *p)
{
	struct akl_wl *wl;
	bool empty;

	rcu_read_lock();
	wl = rcu_dereference(p->list);
	empty = !wl || !wl->n;
	rcu_read_unlock();
	return empty;
}

static void wl_free(struct akl_wl *wl)
{
	if (!wl)
		return;
	kvfree(wl->text);
	kvfree(wl->specs);
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

/* An entry's text as written: where it starts in wl->text, its length. */
static const char *entry_text(const struct akl_wl *wl,
			      const struct akl_wl_entry *e, size_t *len)
{
	const char *t = wl->text + (e->path - wl->specs);

	*len = strcspn(t, ",\n");
	return t;
}

static struct akl_wl_entry *wl_entry(const struct akl_wl *wl,
				     const struct akl_wl_kind *kind,
				     unsigned int i)
{
	return wl->entries + i * kind->entry_size;
}

/**
 * wl_parse() - a new list from its text
 * @kp: the parameter
 * @val: the list, entries separated by ',' or '\n'; copied
 * @len: its length
 * @skip: how many entries at the start are already known good; a bad
 *	entry is named by its number after them (its number in the write)
 * @what: "" or "added " (for the messages)
 *
 * Context: process (allocates with GFP_KERNEL).
 * Return: the list, or an ERR_PTR (-EINVAL, with a message naming the
 * bad entry; -ENOMEM).
 */
static struct akl_wl *wl_parse(const struct kernel_param *kp, const char *val,
			       size_t len, unsigned int skip, const char *what)
{
	const struct akl_wl_param *p = kp->arg;
	const struct akl_wl_kind *kind = p->kind;
	unsigned int n, i = 0;
	struct akl_wl *wl;
	char *spec, *cur;
	int ret;

	if (len > AKL_WL_SIZE_MAX) {
		pr_err("%s: longer than %lu bytes in all; keeping the old list\n",
		       kp->name, AKL_WL_SIZE_MAX);
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
	wl->text = kvmalloc(len + 1, GFP_KERNEL);
	wl->specs = kvmalloc(len + 1, GFP_KERNEL);
	wl->entries = kvcalloc(n ?: 1, kind->entry_size, GFP_KERNEL);
	if (!wl->text || !wl->specs || !wl->entries) {
		wl_free(wl);
		return ERR_PTR(-ENOMEM);
	}
	memcpy(wl->text, val, len);
	wl->text[len] = '\0';
	memcpy(wl->specs, val, len);
	wl->specs[len] = '\0';
	cur = len ? wl->specs : NULL;
	while ((spec = strsep(&cur, ",\n"))) {
		struct akl_wl_entry *e = wl_entry(wl, kind, i);
		/* The entry as written: parsing cuts it up in specs. */
		const char *shown = wl->text + (spec - wl->specs);

		ret = parse_entry(kind, spec, e);
		if (ret) {
			pr_err("%s: %sentry %u '%.*s' is malformed; keeping the old list\n",
			       kp->name, what, i + 1 - min(i, skip),
			       (int)strcspn(shown, ",\n"), shown);
			wl_free(wl);
			return ERR_PTR(ret);
		}
		hlist_add_head(&e->node, &wl->buckets[e->hash >> (32 - wl->bits)]);
		i++;
	}
	wl->n = i;
	return wl;
}

/* The old list's text, a separator, the new entries: parsed. */
static struct akl_wl *wl_add(const struct kernel_param *kp,
			     const struct akl_wl *old, const char *val,
			     size_t len)
{
	size_t old_len = old ? strlen(old->text) : 0;
	struct akl_wl *wl;
	char *text;

	if (!old_len)
		return wl_parse(kp, val, len, 0, "added ");
	if (old_len + 1 + len > AKL_WL_SIZE_MAX) {
		pr_err("%s: longer than %lu bytes in all; keeping the old list\n",
		       kp->name, AKL_WL_SIZE_MAX);
		return ERR_PTR(-EINVAL);
	}
	text = kvmalloc(old_len + 1 + len, GFP_KERNEL);
	if (!text)
		return ERR_PTR(-ENOMEM);
	memcpy(text, old->text, old_len);
	text[old_len] = ',';
	memcpy(text + old_len + 1, val, len);
	wl = wl_parse(kp, text, old_len + 1 + len, old->n, "added ");
	kvfree(text);
	return wl;
}

/* Is this entry's text (as written) one of @rm's? Marks the one found. */
static bool rm_find(const struct akl_wl_kind *kind, const struct akl_wl *rm,
		    unsigned long *found, const struct akl_wl_entry *e,
		    const char *t, size_t len)
{
	const struct akl_wl_entry *r;
	bool hit = false;

	hlist_for_each_entry(r, &rm->buckets[e->hash >> (32 - rm->bits)], node) {
		const char *rt;
		size_t rlen;

		rt = entry_text(rm, r, &rlen);
		if (r->hash == e->hash && rlen == len && !memcmp(rt, t, len)) {
			/* Entries sit in order in rm->entries. */
			set_bit(((const void *)r - rm->entries) / kind->entry_size,
				found);
			hit = true;
		}
	}
	return hit;
}

/*
 * The old list without the entries listed (each one's every copy, compared
 * as written). An entry that is not in the list refuses the edit.
 */
static struct akl_wl *wl_remove(const struct kernel_param *kp,
				const struct akl_wl *old, const char *val,
				size_t len)
{
	const struct akl_wl_param *p = kp->arg;
	const struct akl_wl_kind *kind = p->kind;
	struct akl_wl *rm, *wl = ERR_PTR(-ENOMEM);
	unsigned long *found;
	size_t out_len = 0;
	unsigned int i;
	char *text;

	rm = wl_parse(kp, val, len, 0, "removed ");
	if (IS_ERR(rm))
		return rm;
	found = bitmap_zalloc(rm->n, GFP_KERNEL);
	text = kvmalloc(old ? strlen(old->text) + 1 : 1, GFP_KERNEL);
	if (!found || !text)
		goto out;
	for (i = 0; old && i < old->n; i++) {
		const struct akl_wl_entry *e = wl_entry(old, kind, i);
		const char *t;
		size_t tlen;

		t = entry_text(old, e, &tlen);
		if (rm_find(kind, rm, found, e, t, tlen))
			continue;
		if (out_len)
			text[out_len++] = ',';
		memcpy(text + out_len, t, tlen);
		out_len += tlen;
	}
	i = find_first_zero_bit(found, rm->n);
	if (i < rm->n) {
		const char *t;
		size_t tlen;

		t = entry_text(rm, wl_entry(rm, kind, i), &tlen);
		pr_err("%s: removed entry %u '%.*s' is not in the list; keeping the old list\n",
		       kp->name, i + 1, (int)tlen, t);
		wl = ERR_PTR(-EINVAL);
		goto out;
	}
	wl = wl_parse(kp, text, out_len, 0, "");
out:
	kvfree(text);
	bitmap_free(found);
	wl_free(rm);
	return wl;
}

static int wl_param_set(const char *val, const struct kernel_param *kp)
{
	struct akl_wl_param *p = kp->arg;
	struct akl_wl *wl, *old;
	size_t len = strlen(val);
	int ret;

	ret = akl_config_may_set(kp);
	if (ret)
		return ret;
	/* One trailing newline, as echo writes it, is not an entry. */
	if (len && val[len - 1] == '\n')
		len--;
	if (len > AKL_WL_TEXT_MAX) {
		pr_err("%s: longer than %lu bytes; keeping the old list\n",
		       kp->name, AKL_WL_TEXT_MAX);
		return -EINVAL;
	}
	if (len == 1 && (val[0] == '+' || val[0] == '-')) {
		pr_err("%s: '%c' and no entry; keeping the old list\n",
		       kp->name, val[0]);
		return -EINVAL;
	}
	/* Writers are serialised by the module's parameter lock. */
	old = rcu_dereference_protected(p->list, true);
	if (len && val[0] == '+')
		wl = wl_add(kp, old, val + 1, len - 1);
	else if (len && val[0] == '-')
		wl = wl_remove(kp, old, val + 1, len - 1);
	else
		wl = wl_parse(kp, val, len, 0, "");
	if (IS_ERR(wl))
		return PTR_ERR(wl);
	old = rcu_replace_pointer(p->list, wl, true);
	if (old)
		call_rcu(&old->rcu, wl_free_rcu);
	if (!akl_config_live())
		return 0;
	/* An edit is recorded as written: the list may not fit a record. */
	if (len && (val[0] == '+' || val[0] == '-'))
		akl_config_edited(kp, val, len);
	else
		akl_config_changed(kp);
	return 0;
}

/* Room kept at the end of a page for ",...(+N more)\n". */
#define MORE_ROOM	32

/*
 * The list as set (after edits, their entries joined by ','). A list that
 * does not fit a page shows as many whole entries as fit, then
 * ",...(+N more)" with N the number of entries not shown.
 */
static int wl_param_get(char *buf, const struct kernel_param *kp)
{
	struct akl_wl_param *p = kp->arg;
	struct akl_wl *wl = rcu_dereference_protected(p->list, true);
	size_t len, cut = 0, room = PAGE_SIZE - MORE_ROOM;
	unsigned int shown = 0;

	if (!wl)
		return sysfs_emit(buf, "\n");
	len = strlen(wl->text);
	/* As before edits existed: one write's worth (no room for '\n'). */
	if (len <= AKL_WL_TEXT_MAX)
		return sysfs_emit(buf, "%s\n", wl->text);
	/* Whole entries: up to the last separator that leaves room. */
	while (shown < wl->n) {
		size_t next = cut + (shown ? 1 : 0);

		next += strcspn(wl->text + next, ",\n");
		if (next > room)
			break;
		cut = next;
		shown++;
	}
	return sysfs_emit(buf, "%.*s%s...(+%u more)\n", (int)cut, wl->text,
			  shown ? "," : "", wl->n - shown);
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
