// SPDX-License-Identifier: GPL-2.0-only
/*
 * exec32 - a 32-bit program (built with -m32) that execs, for the compat
 * execve path: exec32 PATH ARGS... runs execv(PATH, ARGS) and, if that
 * fails, prints "ERRNO <number>".
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 64;
	execv(argv[1], argv + 1);
	printf("ERRNO %d\n", errno);
	return 2;
}
