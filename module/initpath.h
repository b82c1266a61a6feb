/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * initpath.h - paths as the host's init sees them
 */
#ifndef _AKL_INITPATH_H
#define _AKL_INITPATH_H

#include <linux/types.h>

struct file;

bool akl_is_file_at_init(const char *path, const struct file *file);
void akl_init_path_id(const char *path, dev_t *dev, u64 *ino);

#endif /* _AKL_INITPATH_H */
