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
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/common.h"

uint64_t wg_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * UINT64_C(1099511628211);
    return h;
}

uint64_t wg_fnv1a_text(const char *s)
{
    uint64_t h = WG_FNV_BASIS;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

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

#define HUMAN_MAX_DECIMALS 6   /* wg_num_human: below 1e-6 a number reads as 0 */

void wg_num_grouped(char *buf, size_t cap, double v, int decimals)
{
    char raw[400];   /* %.*f of the largest double: 309 digits */
    if (!cap) return;
    if (decimals < 0) decimals = 0;
    if (decimals > HUMAN_MAX_DECIMALS) decimals = HUMAN_MAX_DECIMALS;
    if (!isfinite(v)) {
        snprintf(buf, cap, "%s", isnan(v) ? "n/a" : v > 0 ? "inf" : "-inf");
        return;
    }
    /* what prints as zero is zero: no "-0" or "-0.00" */
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v) < 0.5 * pow(10, -decimals) ? 0.0 : v);
    const char *s = raw;
    char *o = buf, *end = buf + cap - 1;
    if (*s == '-' && o < end) *o++ = *s++;
    size_t ilen = strcspn(s, ".");
    for (size_t i = 0; i < ilen && o < end; i++) {
        *o++ = s[i];
        if ((ilen - i - 1) % 3 == 0 && i + 1 < ilen && o < end) *o++ = ',';
    }
    for (s += ilen; *s && o < end;) *o++ = *s++;
    *o = '\0';
}

void wg_num_human(char *buf, size_t cap, double v, int digits, int plus)
{
    if (!cap) return;
    if (digits < 1) digits = 1;
    int dec = 0;
    double a = fabs(v);
    if (isfinite(v) && a > 0 && a < pow(10, digits - 1)) {
        dec = digits - 1 - (int)floor(log10(a));
        if (dec > HUMAN_MAX_DECIMALS) dec = HUMAN_MAX_DECIMALS;
        /* 9.996 to 3 digits rounds up to 10.0: one decimal fewer */
        if (dec > 0 && fabs(v) * pow(10, dec) + 0.5 >= pow(10, digits)) dec--;
    }
    size_t at = 0;
    if (plus && isfinite(v) && v > 0 && fabs(v) >= 0.5 * pow(10, -dec) && cap > 1) buf[at++] = '+';
    wg_num_grouped(buf + at, cap - at, v, dec);
    if (dec > 0 && strchr(buf, '.')) {   /* 2.50 -> 2.5, 3.00 -> 3 */
        char *e = buf + strlen(buf);
        while (e[-1] == '0') *--e = '\0';
        if (e[-1] == '.') e[-1] = '\0';
    }
}
