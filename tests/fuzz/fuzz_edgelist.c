/*
 * fuzz_edgelist.c — libFuzzer harness for the edge-list importer (plain
 * and .gz): see fuzz_import.h.
 */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_import(data, size, WG_FMT_EDGELIST);
}
