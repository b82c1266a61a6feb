/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wl_syntax.h - the pieces of net_whitelist's entry syntax that the module
 * (netlog_wl.c) and aklctl (journald/aklctl.c, which checks entries before
 * it writes them) must read alike. Kernel and user space include it.
 */
#ifndef _AKL_WL_SYNTAX_H
#define _AKL_WL_SYNTAX_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <string.h>
#endif

/* "<x>" or "x": the inside, or NULL if empty or unbalanced. */
static inline char *akl_wl_unbracket(char *s)
{
	size_t len = strlen(s);

	if (len && s[0] == '<') {
		if (len < 3 || s[len - 1] != '>')
			return NULL;
		s[len - 1] = '\0';
		s++;
	}
	if (!*s || strpbrk(s, "<>"))
		return NULL;
	return s;
}

/* One or more ASCII digits, and nothing else. */
static inline bool akl_wl_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

#endif /* _AKL_WL_SYNTAX_H */
