/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * whitelist.h - lists of executables (and more) whose events are not logged
 */
#ifndef _AKL_WHITELIST_H
#define _AKL_WHITELIST_H

#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>

/* What every entry starts with: the executable's path, hashed. */
struct akl_wl_entry {
	struct hlist_node node;
	u32 hash;
	u32 path_len;
	const char *path;
};

/**
 * struct akl_wl_kind - what one whitelist's entries are
 * @entry_size: size of an entry, which starts with struct akl_wl_entry
 * @max_entries: most entries accepted
 * @parse_rest: parses what follows "path|" (NULL when there is no '|')
 *	into the entry; returns 0 or -EINVAL
 */
struct akl_wl_kind {
	size_t entry_size;
	unsigned int max_entries;
	int (*parse_rest)(char *rest, struct akl_wl_entry *e);
};

struct akl_wl {
	struct rcu_head rcu;
	char *text;		/* the list as set, for reading it back */
	char *specs;		/* the entries' text that they point into */
	void *entries;
	unsigned int n;
	unsigned int bits;
	struct hlist_head buckets[];
};

/* A module parameter holding a whitelist (kp->arg points to one). */
struct akl_wl_param {
	const struct akl_wl_kind *kind;
	struct akl_wl __rcu *list;
};

extern const struct kernel_param_ops akl_wl_param_ops;

/* The parameter _name, its list in akl_wl_##_name. */
#define AKL_PARAM_WHITELIST(_name, _kind)				\
	static struct akl_wl_param akl_wl_##_name = { .kind = &(_kind) }; \
	module_param_cb(_name, &akl_wl_param_ops, &akl_wl_##_name, 0644)

/* The max length of one write of a whitelist parameter (one page). */
#define AKL_WL_TEXT_MAX	(PAGE_SIZE - 1)
/* The max length of a list built by edits ("+..." writes). */
#define AKL_WL_SIZE_MAX	((unsigned long)SZ_1M)

u32 akl_wl_hash(const char *path, u32 len);
bool akl_wl_match(struct akl_wl_param *p, const char *path, u32 len, u32 hash,
		  bool (*accept)(const struct akl_wl_entry *e, void *ctx),
		  void *ctx);
bool akl_wl_empty(struct akl_wl_param *p);
void akl_wl_param_free(struct akl_wl_param *p);

#endif /* _AKL_WHITELIST_H */
