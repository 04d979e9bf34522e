/*
 * test_rng.c — the keyed generator: the public wg_rng (a plain function,
 * rng.c) and the inline wg_philox of the engine (sim/base/philox.h) against
 * Random123's known-answer vectors for Philox4x32-10, the same words from
 * both on many arguments, the counter layout of waggle/rng.h, and the word
 * helpers at their edges.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "waggle/rng.h"
/* The public header must stand without Random123 (bindings do not have it). */
#if defined(_philox_dot_h_)
#error "waggle/rng.h includes Random123"
#endif
#include "../sim/base/philox.h"

/* Random123's kat_vectors for philox4x32 with 10 rounds: counter, key, words. */
typedef struct kat {
    uint32_t ctr[4], key[2], out[4];
} kat;

static const kat KATS[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

/* The arguments of wg_rng that make Philox's counter ctr and key key
 * (rng.h: {index low, index high 24 | purpose << 24, step, run}, key = seed). */
static wg_rand4 draw_kat(const kat *k, int inline_version)
{
    uint64_t seed = (uint64_t)k->key[1] << 32 | k->key[0];
    uint64_t index = (uint64_t)(k->ctr[1] & 0xffffffu) << 32 | k->ctr[0];
    uint32_t purpose = k->ctr[1] >> 24;
    return inline_version ? wg_philox(seed, k->ctr[3], k->ctr[2], purpose, index)
                          : wg_rng(seed, k->ctr[3], k->ctr[2], purpose, index);
}

static void test_known_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof KATS / sizeof KATS[0]; i++)
        for (int inl = 0; inl < 2; inl++) {
            wg_rand4 r = draw_kat(&KATS[i], inl);
            for (int w = 0; w < 4; w++) assert_int_equal(r.v[w], KATS[i].out[w]);
        }
}

/* 20 000 argument sets, themselves drawn: the function and the inline agree. */
static void test_function_is_inline(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < 20000; i++) {
        wg_rand4 a = wg_philox(12345, 0, 0, WG_R_USER, i), b = wg_philox(12345, 1, 0, WG_R_USER, i);
        uint64_t seed = (uint64_t)a.v[0] << 32 | a.v[1];
        uint64_t index = (uint64_t)b.v[0] << 32 | b.v[1];
        uint32_t purpose = b.v[2] % 256;
        wg_rand4 x = wg_rng(seed, a.v[2], a.v[3], purpose, index);
        wg_rand4 y = wg_philox(seed, a.v[2], a.v[3], purpose, index);
        for (int w = 0; w < 4; w++) assert_int_equal(x.v[w], y.v[w]);
    }
}

/* Only the low 56 bits of the index and the low 8 of the purpose reach the
 * counter; every one of those bits, and run, step and both seed halves, does. */
static void test_counter_layout(void **state)
{
    (void)state;
    const uint64_t seed = UINT64_C(0x0123456789abcdef), index = UINT64_C(0x00a1b2c3d4e5f607);
    const wg_rand4 base = wg_rng(seed, 7, 9, WG_R_EDGE, index);
    wg_rand4 r = wg_rng(seed, 7, 9, WG_R_EDGE, index | UINT64_C(0xff) << 56);
    assert_memory_equal(r.v, base.v, sizeof r.v);
    r = wg_rng(seed, 7, 9, WG_R_EDGE + 256, index);
    assert_memory_equal(r.v, base.v, sizeof r.v);
    for (int bit = 0; bit < 56; bit++) {
        r = wg_rng(seed, 7, 9, WG_R_EDGE, index ^ UINT64_C(1) << bit);
        assert_memory_not_equal(r.v, base.v, sizeof r.v);
    }
    for (int bit = 0; bit < 8; bit++) {
        r = wg_rng(seed, 7, 9, WG_R_EDGE ^ (1u << bit), index);
        assert_memory_not_equal(r.v, base.v, sizeof r.v);
    }
    for (int bit = 0; bit < 64; bit++) {
        r = wg_rng(seed ^ UINT64_C(1) << bit, 7, 9, WG_R_EDGE, index);
        assert_memory_not_equal(r.v, base.v, sizeof r.v);
    }
    r = wg_rng(seed, 8, 9, WG_R_EDGE, index);
    assert_memory_not_equal(r.v, base.v, sizeof r.v);
    r = wg_rng(seed, 7, 8, WG_R_EDGE, index);
    assert_memory_not_equal(r.v, base.v, sizeof r.v);
}

static void test_word_helpers(void **state)
{
    (void)state;
    assert_true(wg_threshold(0.0) == 0);
    assert_true(wg_threshold(-1.0) == 0);
    assert_true(wg_threshold(NAN) == 0);
    assert_true(wg_threshold(1.0) == UINT64_C(1) << 32);
    assert_true(wg_threshold(2.0) == UINT64_C(1) << 32);
    assert_true(wg_threshold(0.5) == UINT64_C(1) << 31);
    /* u < threshold(1) for every word, u < threshold(0) for none */
    assert_true((uint64_t)UINT32_MAX < wg_threshold(1.0));
    assert_true(wg_uniform(0) == 0.0);
    assert_true(wg_uniform(UINT32_MAX) < 1.0);
    assert_true(wg_uniform(UINT32_C(1) << 31) == 0.5);
    assert_int_equal(wg_below(0, 10), 0);
    assert_int_equal(wg_below(UINT32_MAX, 10), 9);
    assert_int_equal(wg_below(UINT32_C(1) << 31, 10), 5);
    assert_int_equal(wg_below(UINT32_MAX, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_function_is_inline),
        cmocka_unit_test(test_counter_layout),
        cmocka_unit_test(test_word_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
