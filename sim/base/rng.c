/*
 * rng.c — waggle's keyed generator as a plain function, for callers that
 * cannot (or need not) include Random123: see waggle/rng.h. The library's
 * hot loops call the inline wg_philox of philox.h instead; both are the
 * same function of their arguments.
 */
#include "philox.h"

wg_rand4 wg_rng(uint64_t seed, uint32_t run, uint32_t step, uint32_t purpose, uint64_t index)
{
    return wg_philox(seed, run, step, purpose, index);
}
