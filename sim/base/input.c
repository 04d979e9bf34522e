/*
 * input.c — the one door of the files waggle reads: scenario files, network
 * files, observed series, the files of a finished folder (render, merge),
 * sweep journals. Every reader opens its file here, so that every reader
 * refuses the same hostile inputs with the same words.
 *
 * Invariants:
 * 1. Only regular files are read. A file is opened O_RDONLY|O_NONBLOCK and
 *    checked with fstat before the first read, so a FIFO with no writer, a
 *    device (/dev/zero, a terminal) or a folder is refused at once, never
 *    waited on or read forever. O_NONBLOCK is cleared after the check.
 * 2. Each kind of input has a size cap (wg_input_kind's table; stated in
 *    docs/ROBUSTNESS.md), checked from fstat before anything is allocated
 *    and again while reading (a file that grows is stopped at the cap).
 * 3. A text read whole is refused when it holds a NUL byte, with the line it
 *    is on; a UTF-8 byte-order mark at its start is skipped.
 * 4. Memory for what a file's counts promise is checked against the
 *    machine (wg_mem_check) before it is allocated.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "waggle/common.h"

/* The name and the size cap of each kind of input (bytes; 0: no cap, the file is streamed). */
static const struct {
    const char *noun;       /* "the scenario": "cannot read the scenario" */
    const char *a;          /* "a scenario file": "is a folder, not a scenario file" */
    uint64_t max_bytes;
} kinds[WG_IN_NKINDS] = {
    [WG_IN_SCENARIO] = {"the scenario", "a scenario file", WG_SCENARIO_MAX_BYTES},
    [WG_IN_NETWORK] = {"the network file", "a network file", 0},
    [WG_IN_OBSERVED] = {"the observed series", "an observed series", WG_OBSERVED_MAX_BYTES},
    [WG_IN_RESULT] = {"the results file", "a results file", WG_RESULT_MAX_BYTES},
    [WG_IN_JOURNAL] = {"the sweep journal", "a sweep journal", WG_JOURNAL_MAX_BYTES},
    [WG_IN_DEGREES] = {"the degree file", "a degree file", WG_OBSERVED_MAX_BYTES},
};

uint64_t wg_input_max_bytes(wg_input_kind kind)
{
    return kinds[kind].max_bytes;
}

int wg_input_open(const char *path, wg_input_kind kind, uint64_t *size, wg_diag *d)
{
    struct stat sb;
    const int nofollow = kind == WG_IN_JOURNAL ? O_NOFOLLOW : 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | nofollow);
    if (fd < 0 && errno == ELOOP && nofollow) {
        wg_diag_error(d, WG_EINPUT, "%s: is a symbolic link, not %s (never followed)", path,
                      kinds[kind].a);
        return -1;
    }
    if (fd < 0) {
        wg_diag_error(d, WG_EINPUT, "%s: cannot read %s: %s", path, kinds[kind].noun, strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) != 0) {
        wg_diag_error(d, WG_EINPUT, "%s: cannot read %s: %s", path, kinds[kind].noun, strerror(errno));
        close(fd);
        return -1;
    }
    if (S_ISDIR(sb.st_mode)) {
        wg_diag_error(d, WG_EINPUT, "%s: is a folder, not %s", path, kinds[kind].a);
        close(fd);
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        wg_diag_error(d, WG_EINPUT, "%s: is a %s, not %s (only regular files are read)", path,
                      S_ISFIFO(sb.st_mode) ? "FIFO" : S_ISSOCK(sb.st_mode) ? "socket" : "device",
                      kinds[kind].a);
        close(fd);
        return -1;
    }
    uint64_t cap = kinds[kind].max_bytes;
    if (cap && (uint64_t)sb.st_size > cap) {
        wg_diag_error(d, WG_EINPUT, "%s: larger than %llu MiB, not %s", path,
                      (unsigned long long)(cap >> 20), kinds[kind].a);
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl != -1) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    if (size) *size = (uint64_t)sb.st_size;
    return fd;
}

/* Line (from 1) of position pos of text. */
static uint64_t line_of(const char *text, size_t pos)
{
    uint64_t line = 1;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + pos - p))); p++) line++;
    return line;
}

wg_status wg_input_text(const char *path, char *text, size_t *len, wg_diag *d)
{
    const char *nul = memchr(text, '\0', *len);
    if (nul) {
        wg_diag_error(d, WG_EINPUT, "%s:%llu: a NUL byte: not a text file (UTF-16 is not read; "
                      "save it as UTF-8)", path, (unsigned long long)line_of(text, (size_t)(nul - text)));
        return WG_EINPUT;
    }
    if (*len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        memmove(text, text + 3, *len - 3 + 1);
        *len -= 3;
    }
    return WG_OK;
}

#define READ_CHUNK_BYTES 65536

wg_status wg_input_read(const char *path, wg_input_kind kind, char **text, size_t *len, wg_diag *d)
{
    uint64_t size = 0, cap = kinds[kind].max_bytes;
    *text = NULL;
    if (len) *len = 0;
    int fd = wg_input_open(path, kind, &size, d);
    if (fd < 0) return WG_EINPUT;
    wg_status st = wg_mem_check((double)size, path, d);
    if (st != WG_OK) {
        close(fd);
        return st;
    }
    size_t n = 0, room = (size_t)size + 1;   /* one byte more: the end is seen without a realloc */
    char *buf = wg_malloc(room + 1, 1);
    if (!buf) goto nomem;
    for (;;) {
        if (n == room) {
            size_t nr = room + (room < READ_CHUNK_BYTES ? READ_CHUNK_BYTES : room / 2);
            char *t = wg_realloc(buf, nr + 1, 1);
            if (!t) goto nomem;
            buf = t;
            room = nr;
        }
        ssize_t r = read(fd, buf + n, room - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            wg_diag_error(d, WG_EIO, "%s: cannot read %s: %s", path, kinds[kind].noun, strerror(errno));
            free(buf);
            close(fd);
            return WG_EIO;
        }
        if (r == 0) break;
        n += (size_t)r;
        if (cap && n > cap) {
            wg_diag_error(d, WG_EINPUT, "%s: larger than %llu MiB, not %s", path,
                          (unsigned long long)(cap >> 20), kinds[kind].a);
            free(buf);
            close(fd);
            return WG_EINPUT;
        }
    }
    close(fd);
    buf[n] = '\0';
    if ((st = wg_input_text(path, buf, &n, d)) != WG_OK) {
        free(buf);
        return st;
    }
    *text = buf;
    if (len) *len = n;
    return WG_OK;
nomem:
    free(buf);
    close(fd);
    wg_diag_error(d, WG_ENOMEM, "%s: out of memory while reading %s", path, kinds[kind].noun);
    return WG_ENOMEM;
}

/* ---- memory ---------------------------------------------------------------------------------- */

double wg_mem_available(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    double have = pages > 0 && page > 0 ? (double)pages * page : INFINITY;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (double)rl.rlim_cur < have)
        have = (double)rl.rlim_cur;
    return have;
}

wg_status wg_mem_check(double bytes, const char *what, wg_diag *d)
{
    double have = wg_mem_available();
    if (!(bytes > have)) return WG_OK;
    wg_diag_error(d, WG_ENOMEM, "%s needs about %.1f GB of memory; this machine has %.1f GB", what,
                  bytes / 1e9, have / 1e9);
    return WG_ENOMEM;
}
