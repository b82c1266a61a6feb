/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unit.h - what the unit tests share: their result lines
 */
#ifndef _AKL_UNIT_H
#define _AKL_UNIT_H

#include <stdbool.h>
#include <stdio.h>

static int failures;

/* One @@RESULT line, as tests/run parses them; a failure says @detail. */
static void result(bool ok, const char *name, const char *detail)
{
	printf("@@RESULT %s %s%s%s\n", ok ? "pass" : "fail", name,
	       ok ? "" : " ", ok ? "" : detail);
	if (!ok)
		failures++;
}

#endif /* _AKL_UNIT_H */
