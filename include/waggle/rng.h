/*
 * waggle/rng.h — keyed random numbers: every draw is a pure function of
 * (scenario seed, run, step, purpose, index), computed with Random123's
 * Philox4x32-10 counter-based generator.
 *
 * The key is the 64-bit seed; the 128-bit counter is
 *     { index low 32 bits, (index high 24 bits) | purpose << 24, step, run }.
 * One call yields four independent 32-bit words. There are no streams and
 * no state, so the result never depends on which thread asks, or in which
 * order: the foundation of byte-identical outputs at any thread count and of
 * common random numbers between what-if variants.
 *
 * This header needs no Random123 header: wg_rng is a plain function (rng.c).
 * The engine and the graph builders use the same generator inline, through
 * the private sim/base/philox.h (wg_philox), and get the same words.
 */
#ifndef WAGGLE_RNG_H
#define WAGGLE_RNG_H

#include <stdint.h>

/* Purposes: one per kind of decision, so no two decisions share a number. */
enum wg_purpose {
    WG_R_EDGE = 1,      /* transmission along arc `index` (word index % 4 of block index / 4) */
    WG_R_STIFLE,        /* stifling after a contact along arc `index` (same block scheme) */
    WG_R_PICK_ONE,      /* contact: one — which out-edge agent `index` tries */
    WG_R_AGENT,         /* per agent and step: media +, media -, valence, quality */
    WG_R_QUIET,         /* per agent and step: quit, forget; a talker's first two gaps (words 2, 3) */
    WG_R_FRACTIONAL,    /* per agent and step: fractional hazards +, - */
    WG_R_EVENT,         /* picks and outcomes of events: index = (event << 32) | item */
    WG_R_TIE,           /* tie-breaking keys of ranked picks */
    WG_R_SKIP,          /* gaps between contacts of talker `index` (low 32 bits; draw block above) */
    WG_R_DURATION,      /* per agent and step: the talking time D of a talker starting then */
    /* numbered apart from the list above, so that purposes added there keep their values */
    WG_R_SOURCE = 40,   /* per agent and step: which hit of the deciding valence reached it (media or word of mouth) */
    WG_R_PARENT,        /* traced runs only: index (receiver << 32) | talker, the key that picks a parent */
    WG_R_BOOTSTRAP,     /* compare's bootstrap (not a run): run field = resample, index = draw / 4 */
    /* numbered apart again, so that other models' purposes above keep theirs */
    WG_R_THRESHOLD = 48,/* per agent, step 0 of each run: its adoption thresholds (exposure threshold) */
    WG_R_ARRIVAL = 49,  /* arrivals by: random, step 0 of each run: the keyed order of arrival */
    WG_R_USER = 64      /* first purpose free for other modules (validation, fit) */
};

typedef struct wg_rand4 {
    uint32_t v[4];
} wg_rand4;

/* rng.c: the four words of Philox4x32-10 at key seed and the counter above
 * (purpose: its low 8 bits; index: its low 56 bits). A pure function; O(1),
 * about 20 ns (an out-of-line call: hot loops inside waggle use wg_philox). */
wg_rand4 wg_rng(uint64_t seed, uint32_t run, uint32_t step, uint32_t purpose, uint64_t index);

/* Threshold for "u < p" with u a uniform 32-bit word: exact at p = 0 and p = 1. */
static inline uint64_t wg_threshold(double p)
{
    if (!(p > 0.0)) return 0;
    if (p >= 1.0) return UINT64_C(1) << 32;
    return (uint64_t)(p * 4294967296.0);
}

/* A uniform double in [0, 1) from one word. */
static inline double wg_uniform(uint32_t u)
{
    return u * (1.0 / 4294967296.0);
}

/* A uniform integer in [0, n) from one word (Lemire's multiply-shift; bias < n / 2^32). */
static inline uint32_t wg_below(uint32_t u, uint32_t n)
{
    return (uint32_t)(((uint64_t)u * n) >> 32);
}

#endif
