/*
 * assert.c — the failure path of WG_ASSERT (waggle/common.h): a broken
 * invariant is a bug in waggle, never bad input, so it stops the process
 * at once, saying where and what.
 */
#include <stdio.h>
#include <stdlib.h>

#include "waggle/common.h"

void wg_assert_fail(const char *cond, const char *file, int line)
{
    fprintf(stderr, "waggle: %s:%d: invariant failed: %s\n", file, line, cond);
    fflush(stderr);
    abort();
}
