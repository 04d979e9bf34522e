/*
 * fuzz_set.c — libFuzzer harness for the --set parser: a fixed valid
 * scenario loaded with the fuzz input as its one override "KEY=VALUE".
 * Any override must give a scenario or errors, never a crash or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "name: fuzzed overrides\n"
    "steps: 30\n"
    "runs: 4\n"
    "seed: 7\n"
    "network: {generate: barabasi-albert, nodes: 500, edges_per_node: 3}\n"
    "model:\n"
    "  share: {positive: 0.05, negative: 0.08}\n"
    "  quality: 0.9\n"
    "segments:\n"
    "  - {name: hubs, pick: {by: degree, top: 0.05}, activity: 2}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n"
    "  - {step: 2, respond: {count: 5, by: degree, win: 0.05, calm: 0.4}}\n"
    "variants:\n"
    "  - {name: louder, set: {share.negative: 0.12}}\n"
    "sweep:\n"
    "  grid: {quality: [0.8, 0.9]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *kv = malloc(size + 1);
    if (!kv) return 0;
    memcpy(kv, data, size);
    kv[size] = '\0';   /* an override is a C string: it ends at the first NUL */
    const char *sets[1] = {kv};
    wg_diag d;
    wg_scenario *s = NULL;
    wg_diag_init(&d);
    wg_status st = wg_scenario_parse(base, sizeof base - 1, "base.yaml", NULL, sets, 1, &s, &d);
    if ((st == WG_OK) != (s != NULL) || (st == WG_OK) != (d.errors == 0)) abort();
    wg_scenario_free(s);
    wg_diag_free(&d);
    free(kv);
    return 0;
}
