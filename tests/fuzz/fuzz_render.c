/*
 * fuzz_render.c — libFuzzer harness for `waggle render`: the input is the
 * files of a finished folder (fuzz_folder.h: a run folder, a comparison with
 * its arms' folders, a sweep, an optimize folder), drawn by wg_render_folder
 * at a small size (the drawing is not what is fuzzed, the reading is).
 * Invariants checked: success and an error-free diagnostic list go together;
 * a folder that is bad input (WG_EINPUT) gets no chart (every input is read
 * before the first chart is drawn).
 */
#include "fuzz_folder.h"
#include "waggle/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/run", fuzz_root());
    mkdir(dir, 0700);
    if (fuzz_folder_write(dir, data, size) == 0) return 0;
    const wg_render_opts o = {.width = 160, .height = 90, .dpi = 24.0};
    wg_diag d;
    wg_diag_init(&d);
    wg_status st = wg_render_folder(dir, &o, &d);
    if ((st == WG_OK) != (d.errors == 0)) abort();
    if (st == WG_EINPUT && fuzz_has_suffix(dir, ".png", 1)) abort();
    wg_diag_free(&d);
    return 0;
}
