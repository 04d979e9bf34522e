/*
 * fuzz_merge.c — libFuzzer harness for `waggle merge`: the input is the
 * files of shard folders (fuzz_folder.h: "s0/sweep.csv", "s0/manifest.yaml",
 * "s1/...", up to four shards), joined by wg_sweep_merge into a folder of
 * its own.
 * Invariants checked: success and an error-free diagnostic list go together;
 * success leaves sweep.csv and manifest.yaml in the merged folder; a shard
 * that is bad input (WG_EINPUT) leaves nothing there (every shard is read
 * and checked before the first file is written).
 */
#include "fuzz_folder.h"
#include "waggle/sweep.h"

#define FUZZ_SHARDS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[128], out[160], shard[FUZZ_SHARDS][192];
    const char *dirs[FUZZ_SHARDS];
    snprintf(in, sizeof in, "%s/shards", fuzz_root());
    snprintf(out, sizeof out, "%s/merged", fuzz_root());
    mkdir(in, 0700);
    fuzz_clear(out, 0);
    if (fuzz_folder_write(in, data, size) == 0) return 0;
    size_t n = 0;
    for (int k = 0; k < FUZZ_SHARDS; k++) {
        struct stat sb;
        snprintf(shard[k], sizeof shard[k], "%s/s%d", in, k);
        if (stat(shard[k], &sb) == 0 && S_ISDIR(sb.st_mode)) dirs[n++] = shard[k];
    }
    if (n == 0) return 0;
    wg_diag d;
    wg_diag_init(&d);
    wg_status st = wg_sweep_merge(dirs, n, out, &d);
    if ((st == WG_OK) != (d.errors == 0)) abort();
    char p[256];
    struct stat sb;
    snprintf(p, sizeof p, "%s/sweep.csv", out);
    const int wrote = stat(p, &sb) == 0;
    if (st == WG_OK && !wrote) abort();
    if (st == WG_EINPUT && wrote) abort();
    wg_diag_free(&d);
    return 0;
}
