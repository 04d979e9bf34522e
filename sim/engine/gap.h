/*
 * gap.h — geometric gaps between live arcs, shared by the engine's contacts
 * (engine.c, design note 1a) and the reverse-reachable sets of rrset.c.
 * Private to sim/engine (not installed).
 *
 * When every arc of a list is live with the same probability p < 1, the gap
 * before the next live arc is G = floor(log U / log(1 - p)), U = (u + 0.5) /
 * 2^32 for a uniform word u: P(G >= k) = (1 - p)^k, so each arc is live
 * independently with probability p (up to the 2^-32 resolution of every
 * threshold), and a list of d arcs costs about d × p + 1 words instead of d.
 *
 * Invariant: gap_of(tab, u, inv) == floor(gap_formula(u, inv)) for every word
 * u, with or without a table (the table only saves the logarithm: G does not
 * increase with u, so a bucket of words with at most two gaps stores its
 * lower gap and the first word that takes it).
 */
#ifndef WAGGLE_GAP_H
#define WAGGLE_GAP_H

#include <math.h>
#include <stdint.h>

/* Gap tables: buckets of the top bits of a word. */
#define WG_GAP_BITS 11
#define WG_GAP_BUCKETS (1u << WG_GAP_BITS)
#define WG_GAP_NONE UINT32_MAX
/* 2^-32: maps a 32-bit word w to (w + 0.5) × 2^-32 in (0, 1). */
#define WG_TWO_M32 (1.0 / 4294967296.0)

/* The geometric gap for word u, 1 / log(1 - p) = inv < 0: P(gap >= k) =
 * P(U <= (1 - p)^k) = (1 - p)^k, U = (u + 0.5) 2^-32 uniform in (0, 1). */
static inline double gap_formula(uint32_t u, double inv)
{
    return log(((double)u + 0.5) * WG_TWO_M32) * inv;
}

/* Fill tab (WG_GAP_BUCKETS entries) for inv: entry = base | boundary << 32,
 * the gap being base + (u < boundary) for every u of the bucket, or base =
 * WG_GAP_NONE when the bucket holds more than two gaps. */
static inline void gap_table(uint64_t *tab, double inv)
{
    const unsigned shift = 32 - WG_GAP_BITS;
    for (uint32_t i = 0; i < WG_GAP_BUCKETS; i++) {
        uint32_t lo = i << shift, hi = lo + ((UINT32_C(1) << shift) - 1);
        double ghi = floor(gap_formula(lo, inv)), glo = floor(gap_formula(hi, inv));
        if (ghi - glo > 1 || !(ghi < (double)WG_GAP_NONE)) {
            tab[i] = WG_GAP_NONE;
            continue;
        }
        /* the first u in [lo, hi] whose gap is glo (the gap does not increase with u) */
        uint32_t a = lo, b = hi;
        while (a < b) {
            uint32_t mid = a + (b - a) / 2;
            if (floor(gap_formula(mid, inv)) <= glo) b = mid;
            else a = mid + 1;
        }
        tab[i] = (uint64_t)glo | (uint64_t)a << 32;
    }
}

/* The gap for word u: from the table when it has one (tab may be NULL), else
 * the formula; UINT64_MAX stands for "beyond every list". */
static inline uint64_t gap_of(const uint64_t *tab, uint32_t u, double inv)
{
    if (tab) {
        uint64_t ent = tab[u >> (32 - WG_GAP_BITS)];
        if ((uint32_t)ent != WG_GAP_NONE) return (uint32_t)ent + (u < (uint32_t)(ent >> 32));
    }
    double g = gap_formula(u, inv);
    return g >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)g;
}

#endif
