/*
 * philox.h — the keyed generator of waggle/rng.h, inline, for the hot loops
 * of the engine and the graph builders. Private to sim/ (not installed): it
 * is the only header that includes Random123, so callers outside the library
 * (bindings, tests) see plain C only and call wg_rng.
 *
 * Invariant: wg_philox(s, r, t, p, i) == wg_rng(s, r, t, p, i) for every
 * argument (rng.c is this function out of line; test_rng checks both against
 * Random123's known-answer vectors).
 */
#ifndef WAGGLE_PHILOX_H
#define WAGGLE_PHILOX_H

#include <Random123/philox.h>

#include "waggle/rng.h"

static inline wg_rand4 wg_philox(uint64_t seed, uint32_t run, uint32_t step, uint32_t purpose,
                                 uint64_t index)
{
    philox4x32_ctr_t c = {{(uint32_t)index, (uint32_t)((index >> 32) & 0xffffffu) | (purpose << 24),
                           step, run}};
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    philox4x32_ctr_t r = philox4x32(c, k);
    wg_rand4 out = {{r.v[0], r.v[1], r.v[2], r.v[3]}};
    return out;
}

#endif
