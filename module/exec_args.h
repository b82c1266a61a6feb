/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exec_args.h - a failed exec's command line, from the caller's argv array
 */
#ifndef _AKL_EXEC_ARGS_H
#define _AKL_EXEC_ARGS_H

#include <linux/compiler.h>
#include <linux/types.h>

struct akl_rec;
struct akl_args;

struct akl_args *akl_args_alloc(void);
void akl_args_free(struct akl_args *a);
void akl_rec_argv_array(struct akl_rec *r, struct akl_args *a, char *win,
			const void __user *argv, bool compat);

#endif /* _AKL_EXEC_ARGS_H */
