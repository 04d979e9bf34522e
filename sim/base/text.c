/*
 * text.c — the text helpers every stage of waggle shares: joining a folder
 * and a file name, reading a whole file, CSV fields (split on reading,
 * quoted on writing), YAML strings and the shortest exact number.
 *
 * Invariant: each helper exists once, here; a module that needs one calls it
 * rather than keeping a copy, so that two files waggle writes quote, split
 * and print numbers the same way. Nothing here keeps state between calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/common.h"

/* ---- paths and files ------------------------------------------------------------------------- */

char *wg_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = wg_malloc(n, 1);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

#define READ_CHUNK_BYTES 4096   /* read at least this much per fread */
#define READ_FIRST_BYTES 8192   /* the first buffer */

wg_status wg_file_read_stream(FILE *f, size_t max_bytes, char **text, size_t *len)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    *text = NULL;
    for (;;) {
        if (cap - n < READ_CHUNK_BYTES) {
            char *t = wg_realloc(buf, cap = cap ? 2 * cap : READ_FIRST_BYTES, 1);
            if (!t) {
                free(buf);
                return WG_ENOMEM;
            }
            buf = t;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (max_bytes && n > max_bytes) {
            free(buf);
            return WG_EINPUT;
        }
        if (r == 0) break;
    }
    if (ferror(f)) {
        int e = errno;   /* the read's reason, for the caller's message */
        free(buf);
        errno = e;
        return WG_EIO;
    }
    buf[n] = '\0';
    *text = buf;
    if (len) *len = n;
    return WG_OK;
}

wg_status wg_file_read(const char *path, char **text, size_t *len, wg_diag *d)
{
    return wg_input_read(path, WG_IN_RESULT, text, len, d);
}

/* ---- YAML and CSV text ----------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is not one. */
static int utf8_length(const unsigned char *p);

int wg_utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = utf8_length(p);
    if (n == 0) return 0;
    uint32_t c = n == 1 ? p[0] : p[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) c = c << 6 | (p[i] & 0x3f);
    *cp = c;
    return n;
}

static int utf8_length(const unsigned char *p)
{
    if (p[0] < 0x80) return 1;
    int n = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
          : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    if (!n) return 0;
    unsigned char lo = 0x80, hi = 0xbf;   /* the second byte's range: no overlongs, no surrogates */
    if (p[0] == 0xe0) lo = 0xa0;
    else if (p[0] == 0xed) hi = 0x9f;
    else if (p[0] == 0xf0) lo = 0x90;
    else if (p[0] == 0xf4) hi = 0x8f;
    if (p[1] < lo || p[1] > hi) return 0;
    for (int i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf) return 0;
    return n;
}

void wg_yaml_put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = utf8_length(p);
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7f || n == 0)
            fprintf(f, "\\x%02x", *p);
        else
            fwrite(p, 1, (size_t)n, f);
        p += n ? n : 1;
    }
    fputc('"', f);
}

static int csv_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t wg_csv_split(char *p, char **f, size_t max)
{
    size_t nf = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        char *start = p, *out = p;
        if (*p == '"') {
            start = out = ++p;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p && *p != ',') p++;
        } else {
            while (*p && *p != ',') p++;
            out = p;
            while (out > start && csv_blank(out[-1])) out--;
        }
        char sep = *p;
        *out = '\0';
        if (nf < max) f[nf++] = start;
        if (!sep) return nf;
        p++;
    }
}

void wg_csv_put_text(FILE *f, const char *s, int quote)
{
    if (quote == WG_CSV_QUOTE_NEEDED && !strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ---- numbers --------------------------------------------------------------------------------- */

/* A double has at most 17 significant digits; 15 always read back for the
 * numbers people write (0.1 stays "0.1"). */
#define SHORTEST_FROM 15
#define SHORTEST_TO 17

void wg_num_shortest(char *buf, size_t n, double x)
{
    for (int prec = SHORTEST_FROM; prec <= SHORTEST_TO; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) return;
    }
}
