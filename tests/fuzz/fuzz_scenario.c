/*
 * fuzz_scenario.c — libFuzzer harness for the scenario loader: any bytes
 * given to wg_scenario_parse must give a scenario or errors, never a crash,
 * a hang, a leak or undefined behaviour (built with ASan and UBSan).
 * Invariant checked: success and an error-free diagnostic list go together.
 */
#include <stdint.h>
#include <stdlib.h>

#include "waggle/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wg_diag d;
    wg_scenario *s = NULL;
    wg_diag_init(&d);
    wg_status st = wg_scenario_parse((const char *)data, size, "fuzz.yaml", NULL, NULL, 0, &s, &d);
    if ((st == WG_OK) != (s != NULL) || (st == WG_OK) != (d.errors == 0)) abort();
    wg_scenario_free(s);
    wg_diag_free(&d);
    return 0;
}
