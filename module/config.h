/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * config.h - module parameters and the config records that report them
 */
#ifndef _AKL_CONFIG_H
#define _AKL_CONFIG_H

#include <linux/moduleparam.h>

#define AKL_VERSION "1.0.0"

/**
 * struct akl_uint_param - an unsigned parameter with a range
 * @val: the variable
 * @min: smallest value accepted
 * @max: largest value accepted
 * @apply: if set, called after a run-time change with the old value; an
 *	error restores the old value and is returned to the writer
 */
struct akl_uint_param {
	unsigned int *val;
	unsigned int min;
	unsigned int max;
	int (*apply)(unsigned int old);
};

extern const struct kernel_param_ops akl_uint_param_ops;

/* A run-time writable parameter limited to [_min, _max]. */
#define AKL_PARAM_UINT(_name, _var, _min, _max, _apply)			\
	static struct akl_uint_param akl_param_##_name = {		\
		.val = &(_var), .min = (_min), .max = (_max),		\
		.apply = (_apply),					\
	};								\
	module_param_cb(_name, &akl_uint_param_ops, &akl_param_##_name, 0644)

extern const struct kernel_param_ops akl_counter_param_ops;
int akl_param_readonly_set(const char *val, const struct kernel_param *kp);

/* A read-only parameter showing an atomic_long_t counter. */
#define AKL_PARAM_COUNTER(_name, _counter)				\
	module_param_cb(_name, &akl_counter_param_ops, &(_counter), 0444)

bool akl_config_live(void);
int akl_config_may_set(const struct kernel_param *kp);
void akl_config_changed(const struct kernel_param *kp);
void akl_config_edited(const struct kernel_param *kp, const char *edit,
		       size_t len);
int akl_config_init(void);
void akl_config_start(void);
void akl_config_exit(void);

#endif /* _AKL_CONFIG_H */
