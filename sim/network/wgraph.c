/*
 * wgraph.c — waggle's binary network file (.wgraph): the CSR as it is in
 * memory, written once (`waggle net FILE --save G.wgraph`) and mapped
 * (mmap, read-only, private) by every later run, so that a network of
 * 1.44 × 10^9 arcs is ready in seconds instead of being parsed again.
 *
 * Layout, version 1 (every integer in the byte order of the machine that
 * wrote it, which the byte order mark records):
 *
 *   offset  size  field
 *        0     8  magic "WGGRAPH\n"
 *        8     4  version (1)
 *       12     4  byte order mark 0x01020304
 *       16     4  flags: 1 directed, 2 weighted, 4 ids (original ids stored)
 *       20     4  header bytes (64)
 *       24     8  n, agents
 *       32     8  m, arcs (an undirected edge is two arcs)
 *       40     8  payload bytes (the file is header + payload, exactly)
 *       48     8  XXH64 (seed 0) of the payload
 *       56     8  XXH64 (seed 0) of bytes 0 .. 55 of the header
 *       64        payload: out_off (n + 1 uint64), out_adj (m uint32),
 *                 out_w (m float, if weighted), label (n uint64, if ids);
 *                 each array padded with zeros to a multiple of 8 bytes.
 *
 * The payload's checksum is computed while it is written (the header is
 * written last, over a placeholder). Loading checks, in this order: the
 * magic (a foreign file), the byte order mark, the version (a file of a
 * later waggle), the header's checksum, the sizes against the file's length
 * (a truncated file), the payload's checksum (a corrupted file), then the
 * invariants the engine relies on: offsets from 0 to m without decreasing,
 * every target below n, every weight positive and finite. Each failure is
 * bad input (exit 2) with a message naming the file. The checksum and the
 * invariants cost one sequential read of the file (see docs/PERFORMANCE.md).
 *
 * Node attributes (from GraphML/GML) are not stored: saving reports them as
 * dropped. A mapped graph records its mapping in g->map; wg_graph_free
 * unmaps it instead of freeing the arrays that live in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "waggle/graph.h"

#define WG_WGRAPH_MAGIC "WGGRAPH\n"
#define WG_WGRAPH_BOM 0x01020304u
#define WG_WGRAPH_HEADER 64u
#define WG_WGRAPH_DIRECTED 1u
#define WG_WGRAPH_WEIGHTED 2u
#define WG_WGRAPH_IDS 4u
/* bytes hashed, then checked, at a time: small enough to stay in the cache
 * between the two (chunks start at multiples of it, so no array element is
 * ever cut, as every array starts at a multiple of 8) */
#define WG_WGRAPH_CHUNK (1u << 20)

/* ---- XXH64 (Yann Collet's xxHash, 64-bit), streaming -------------------- */

#define XXP1 0x9E3779B185EBCA87ull
#define XXP2 0xC2B2AE3D27D4EB4Full
#define XXP3 0x165667B19E3779F9ull
#define XXP4 0x85EBCA77C2B2AE63ull
#define XXP5 0x27D4EB2F165667C5ull

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t read64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint32_t read32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t xx_round(uint64_t acc, uint64_t in)
{
    acc += in * XXP2;
    acc = rotl64(acc, 31);
    return acc * XXP1;
}

static uint64_t xx_merge(uint64_t acc, uint64_t v)
{
    acc ^= xx_round(0, v);
    return acc * XXP1 + XXP4;
}

void wg_xxh64_init(wg_xxh64_state *h, uint64_t seed)
{
    memset(h, 0, sizeof *h);
    h->v[0] = seed + XXP1 + XXP2;
    h->v[1] = seed + XXP2;
    h->v[2] = seed;
    h->v[3] = seed - XXP1;
    h->seed = seed;
}

static void xx_stripes(wg_xxh64_state *h, const unsigned char *p, size_t stripes)
{
    uint64_t v0 = h->v[0], v1 = h->v[1], v2 = h->v[2], v3 = h->v[3];
    for (size_t s = 0; s < stripes; s++, p += 32) {
        v0 = xx_round(v0, read64(p));
        v1 = xx_round(v1, read64(p + 8));
        v2 = xx_round(v2, read64(p + 16));
        v3 = xx_round(v3, read64(p + 24));
    }
    h->v[0] = v0, h->v[1] = v1, h->v[2] = v2, h->v[3] = v3;
}

void wg_xxh64_update(wg_xxh64_state *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    h->total += len;
    if (h->nbuf) {
        size_t take = 32 - h->nbuf < len ? 32 - h->nbuf : len;
        memcpy(h->buf + h->nbuf, p, take);
        h->nbuf += take, p += take, len -= take;
        if (h->nbuf < 32) return;
        xx_stripes(h, h->buf, 1);
        h->nbuf = 0;
    }
    xx_stripes(h, p, len / 32);
    p += len / 32 * 32;
    len %= 32;
    memcpy(h->buf, p, len);
    h->nbuf = len;
}

uint64_t wg_xxh64_digest(const wg_xxh64_state *h)
{
    uint64_t acc;
    if (h->total >= 32) {
        acc = rotl64(h->v[0], 1) + rotl64(h->v[1], 7) + rotl64(h->v[2], 12) + rotl64(h->v[3], 18);
        for (int i = 0; i < 4; i++) acc = xx_merge(acc, h->v[i]);
    } else {
        acc = h->seed + XXP5;
    }
    acc += h->total;
    const unsigned char *p = h->buf;
    size_t len = h->nbuf;
    for (; len >= 8; p += 8, len -= 8) acc = rotl64(acc ^ xx_round(0, read64(p)), 27) * XXP1 + XXP4;
    if (len >= 4) {
        acc = rotl64(acc ^ (uint64_t)read32(p) * XXP1, 23) * XXP2 + XXP3;
        p += 4, len -= 4;
    }
    for (; len > 0; p++, len--) acc = rotl64(acc ^ *p * XXP5, 11) * XXP1;
    acc ^= acc >> 33;
    acc *= XXP2;
    acc ^= acc >> 29;
    acc *= XXP3;
    acc ^= acc >> 32;
    return acc;
}

uint64_t wg_xxh64(const void *data, size_t len, uint64_t seed)
{
    wg_xxh64_state h;
    wg_xxh64_init(&h, seed);
    wg_xxh64_update(&h, data, len);
    return wg_xxh64_digest(&h);
}

/* ---- the layout ---------------------------------------------------------- */

static uint64_t pad8(uint64_t bytes)
{
    return (bytes + 7) & ~(uint64_t)7;
}

typedef struct layout {
    uint64_t off, adj, w, label, total;   /* byte offsets in the payload; total bytes */
} layout;

/* Offsets of the arrays; 0 when they overflow 64 bits (never for n < 2^32, m < 2^61). */
static int layout_of(uint64_t n, uint64_t m, uint32_t flags, layout *l)
{
    if (n > WG_MAX_AGENTS || m > (UINT64_C(1) << 60)) return 0;
    l->off = 0;
    l->adj = pad8((n + 1) * 8);
    l->w = l->adj + pad8(m * 4);
    l->label = l->w + (flags & WG_WGRAPH_WEIGHTED ? pad8(m * 4) : 0);
    l->total = l->label + (flags & WG_WGRAPH_IDS ? n * 8 : 0);
    return 1;
}

static void put32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(unsigned char *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

/* ---- writing ------------------------------------------------------------- */

typedef struct writer {
    FILE *f;
    wg_xxh64_state h;
    int failed;
} writer;

static void put(writer *w, const void *p, size_t len)
{
    if (w->failed || !len) return;
    wg_xxh64_update(&w->h, p, len);
    if (fwrite(p, 1, len, w->f) != len) w->failed = 1;
}

static void put_padded(writer *w, const void *p, uint64_t len)
{
    static const unsigned char zero[8] = {0};
    /* in pieces: fwrite of gigabytes at once is fine, but the hash stays in the cache */
    const unsigned char *c = p;
    for (uint64_t done = 0; done < len;) {
        size_t take = len - done < WG_WGRAPH_CHUNK ? (size_t)(len - done) : WG_WGRAPH_CHUNK;
        put(w, c + done, take);
        done += take;
    }
    put(w, zero, (size_t)(pad8(len) - len));
}

/* The bytes of file src from its start, len of them, through the writer:
 * read back a piece at a time (the arcs of `waggle net --memory`). */
static void put_file(writer *w, FILE *src, uint64_t len, unsigned char *buf)
{
    static const unsigned char zero[8] = {0};
    if (w->failed) return;
    if (fseek(src, 0, SEEK_SET) != 0) {
        w->failed = 1;
        return;
    }
    for (uint64_t done = 0; done < len && !w->failed;) {
        size_t take = len - done < WG_WGRAPH_CHUNK ? (size_t)(len - done) : WG_WGRAPH_CHUNK;
        if (fread(buf, 1, take, src) != take) w->failed = 1;
        else put(w, buf, take);
        done += take;
    }
    put(w, zero, (size_t)(pad8(len) - len));
}

/* The file: the header's placeholder, the payload (the arcs and weights
 * from memory, or from the files adj_f and w_f when adj is NULL), then the
 * header with its checksums over the placeholder. */
static wg_status write_file(FILE *f, const char *path, uint32_t n, uint64_t m, uint32_t flags,
                            const uint64_t *off, const uint32_t *adj, const float *wt, FILE *adj_f,
                            FILE *w_f, const uint64_t *label, wg_diag *d)
{
    layout l;
    if (!layout_of(n, m, flags, &l)) {
        wg_diag_error(d, WG_EINPUT, "%s: a network of %u agents and %llu arcs is too large to save",
                      path, n, (unsigned long long)m);
        return WG_EINPUT;
    }
    unsigned char hdr[WG_WGRAPH_HEADER];
    unsigned char *buf = adj ? NULL : wg_malloc(WG_WGRAPH_CHUNK, 1);
    if (!adj && !buf) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory", path);
        return WG_ENOMEM;
    }
    memset(hdr, 0, sizeof hdr);
    writer w;
    memset(&w, 0, sizeof w);
    w.f = f;
    errno = 0;
    /* a placeholder, rewritten with the checksums at the end */
    if (fwrite(hdr, 1, sizeof hdr, f) != sizeof hdr) w.failed = 1;
    wg_xxh64_init(&w.h, 0);
    put_padded(&w, off, ((uint64_t)n + 1) * 8);
    if (adj) put_padded(&w, adj, m * 4);
    else put_file(&w, adj_f, m * 4, buf);
    if (flags & WG_WGRAPH_WEIGHTED) {
        if (adj) put_padded(&w, wt, m * 4);
        else put_file(&w, w_f, m * 4, buf);
    }
    if (label) put_padded(&w, label, (uint64_t)n * 8);
    free(buf);
    memcpy(hdr, WG_WGRAPH_MAGIC, 8);
    put32(hdr + 8, WG_WGRAPH_VERSION);
    put32(hdr + 12, WG_WGRAPH_BOM);
    put32(hdr + 16, flags);
    put32(hdr + 20, WG_WGRAPH_HEADER);
    put64(hdr + 24, n);
    put64(hdr + 32, m);
    put64(hdr + 40, l.total);
    put64(hdr + 48, wg_xxh64_digest(&w.h));
    put64(hdr + 56, wg_xxh64(hdr, 56, 0));
    if (!w.failed && (fseek(f, 0, SEEK_SET) != 0 || fwrite(hdr, 1, sizeof hdr, f) != sizeof hdr))
        w.failed = 1;
    if (!w.failed && w.h.total != l.total) w.failed = 1;   /* cannot happen: the layout is the writer's */
    if (w.failed) {
        wg_diag_error(d, WG_EIO, "%s: writing failed: %s", path, errno ? strerror(errno) : "I/O error");
        return WG_EIO;
    }
    return WG_OK;
}

wg_status wg_wgraph_savable(int names, int distrust, const char *path, wg_diag *d)
{
    if (distrust) {
        wg_diag_error(d, WG_EINPUT, "%s: a network with distrust ties (negative_ties: flip) cannot be "
                      "saved as .wgraph (it has no signs); read the edge list itself", path);
        return WG_EINPUT;
    }
    if (names) {
        wg_diag_error(d, WG_EINPUT, "%s: a network with text ids (names) cannot be saved as .wgraph "
                      "(it keeps integer ids only); read the edge list itself", path);
        return WG_EINPUT;
    }
    return WG_OK;
}

wg_status wg_wgraph_write(const wg_graph *g, FILE *f, const char *path, wg_diag *d)
{
    uint32_t flags = (g->directed ? WG_WGRAPH_DIRECTED : 0) | (g->out_w ? WG_WGRAPH_WEIGHTED : 0) |
                     (g->label ? WG_WGRAPH_IDS : 0);
    wg_status st = wg_wgraph_savable(g->name != NULL, g->out_neg != NULL, path, d);
    if (st != WG_OK) return st;
    if (g->nattrs)
        wg_diag_note(d, "%s: node attributes (%zu) are not saved in a .wgraph file", path, g->nattrs);
    return write_file(f, path, g->n, g->m, flags, g->out_off, g->out_adj, g->out_w, NULL, NULL, g->label,
                      d);
}

wg_status wg_wgraph_write_files(FILE *f, const char *path, uint32_t n, uint64_t m, int directed,
                                const uint64_t *off, FILE *adj, FILE *w, const uint64_t *label,
                                wg_diag *d)
{
    uint32_t flags = (directed ? WG_WGRAPH_DIRECTED : 0) | (w ? WG_WGRAPH_WEIGHTED : 0) |
                     (label ? WG_WGRAPH_IDS : 0);
    return write_file(f, path, n, m, flags, off, NULL, NULL, adj, w, label, d);
}

/* ---- reading ------------------------------------------------------------- */

static wg_status bad(wg_diag *d, const char *path, const char *what)
{
    wg_diag_error(d, WG_EINPUT, "%s: %s", path, what);
    return WG_EINPUT;
}

/* The whole pages of a read-only mapping in [from, to) (and the one to
 * ends in, when last) are dropped from this process: the next read of them
 * maps them again from the page cache, so dropping is never wrong. */
static void release_pages(const unsigned char *from, const unsigned char *to, int last)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)from & ~(page - 1), b = (uintptr_t)to;
    b = last ? (b + page - 1) & ~(page - 1) : b & ~(page - 1);
    if (b > a) (void)madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
}

/* The payload's checksum and the invariants, in one sequential read, which
 * leaves none of the file resident in this process (release_pages). */
static wg_status check_payload(const unsigned char *pay, const layout *l, uint64_t n, uint64_t m,
                               uint32_t flags, uint64_t sum, const char *path, wg_diag *d)
{
    wg_xxh64_state h;
    wg_xxh64_init(&h, 0);
    const uint64_t *off = (const uint64_t *)(pay + l->off);
    const uint32_t *adj = (const uint32_t *)(pay + l->adj);
    const float *w = (const float *)(pay + l->w);
    int bad_off = off[0] != 0 || off[n] != m, bad_adj = 0, bad_w = 0;
    for (uint64_t done = 0; done < l->total;) {
        uint64_t take = l->total - done < WG_WGRAPH_CHUNK ? l->total - done : WG_WGRAPH_CHUNK;
        wg_xxh64_update(&h, pay + done, (size_t)take);
        /* the elements of each array inside [done, done + take) */
        uint64_t lo = done, hi = done + take;
        if (lo < l->adj) {
            uint64_t a = lo / 8, b = (hi < l->adj ? hi : l->adj) / 8;
            if (a == 0) a = 1;
            if (b > n + 1) b = n + 1;
            for (uint64_t i = a; i < b; i++) bad_off |= off[i] < off[i - 1];
        }
        if (hi > l->adj && lo < l->adj + m * 4) {
            uint64_t a = lo > l->adj ? (lo - l->adj + 3) / 4 : 0, b = (hi - l->adj) / 4;
            if (b > m) b = m;
            uint32_t worst = 0;
            for (uint64_t i = a; i < b; i++) worst = adj[i] > worst ? adj[i] : worst;
            bad_adj |= b > a && worst >= n;
        }
        if ((flags & WG_WGRAPH_WEIGHTED) && hi > l->w && lo < l->w + m * 4) {
            uint64_t a = lo > l->w ? (lo - l->w + 3) / 4 : 0, b = (hi - l->w) / 4;
            if (b > m) b = m;
            for (uint64_t i = a; i < b; i++) bad_w |= !(w[i] > 0.0f) || !isfinite(w[i]);
        }
        /* the pages just read leave this process (the file keeps them in the
         * page cache): the check does not make the whole file resident, so a
         * partitioned run's rank holds only the pages it reads later */
        release_pages(pay + done, pay + hi, hi == l->total);
        done = hi;
    }
    if (wg_xxh64_digest(&h) != sum)
        return bad(d, path, "the checksum does not match: the file is corrupted; save it again");
    if (bad_off) return bad(d, path, "the row offsets are not increasing from 0 to the number of arcs");
    if (bad_adj) return bad(d, path, "an arc leads to an agent beyond the number of agents");
    if (bad_w) return bad(d, path, "a weight is not a positive finite number");
    return WG_OK;
}

wg_status wg_wgraph_map(const char *path, int directed, int weighted, wg_graph **out, wg_diag *d)
{
    *out = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        wg_diag_error(d, WG_EINPUT, "%s: cannot open the network file: %s", path, strerror(errno));
        return WG_EINPUT;
    }
    struct stat sb;
    int fs = fstat(fd, &sb);
    if (fs != 0 || !S_ISREG(sb.st_mode)) {
        int err = fs == 0 ? EISDIR : errno;
        close(fd);
        wg_diag_error(d, WG_EINPUT, "%s: cannot read the network file: %s", path, strerror(err));
        return WG_EINPUT;
    }
    const uint64_t size = (uint64_t)sb.st_size;
    unsigned char hdr[WG_WGRAPH_HEADER];
    ssize_t got = pread(fd, hdr, sizeof hdr, 0);
    if (got < 0) {
        int err = errno;
        close(fd);
        wg_diag_error(d, WG_EINPUT, "%s: cannot read the network file: %s", path, strerror(err));
        return WG_EINPUT;
    }
    wg_status st = WG_EINPUT;
    if ((size_t)got < 8 || memcmp(hdr, WG_WGRAPH_MAGIC, 8) != 0) {
        st = bad(d, path, "not a waggle network file (.wgraph): its first bytes are not \"WGGRAPH\"");
        goto fail;
    }
    if ((size_t)got < sizeof hdr) {
        wg_diag_error(d, WG_EINPUT, "%s: truncated: %llu bytes, shorter than the %u-byte header", path,
                      (unsigned long long)size, WG_WGRAPH_HEADER);
        goto fail;
    }
    uint32_t version = read32(hdr + 8), bom = read32(hdr + 12), flags = read32(hdr + 16);
    if (bom != WG_WGRAPH_BOM) {
        st = bad(d, path, bom == 0x04030201u ? "written on a machine of the other byte order; save it "
                                               "again from the original file on this machine"
                                             : "the byte order mark is damaged: the file is corrupted");
        goto fail;
    }
    if (version != WG_WGRAPH_VERSION) {
        wg_diag_error(d, WG_EINPUT, "%s: format version %u; this waggle reads version %u%s", path, version,
                      WG_WGRAPH_VERSION, version > WG_WGRAPH_VERSION ? " (the file is from a later waggle)" : "");
        goto fail;
    }
    if (read64(hdr + 56) != wg_xxh64(hdr, 56, 0)) {
        st = bad(d, path, "the header's checksum does not match: the file is corrupted");
        goto fail;
    }
    uint64_t n = read64(hdr + 24), m = read64(hdr + 32), payload = read64(hdr + 40);
    layout l;
    if (read32(hdr + 20) != WG_WGRAPH_HEADER || (flags & ~7u) || !layout_of(n, m, flags, &l) ||
        l.total != payload) {
        st = bad(d, path, "the header is inconsistent: the file is corrupted");
        goto fail;
    }
    if (size != WG_WGRAPH_HEADER + payload) {
        wg_diag_error(d, WG_EINPUT, "%s: %s: %llu bytes, the header says %llu", path,
                      size < WG_WGRAPH_HEADER + payload ? "truncated" : "longer than it should be",
                      (unsigned long long)size, (unsigned long long)(WG_WGRAPH_HEADER + payload));
        goto fail;
    }
    if (directed && !(flags & WG_WGRAPH_DIRECTED)) {
        st = bad(d, path, "holds an undirected network; directed: true does not apply to it");
        goto fail;
    }
    if (weighted && !(flags & WG_WGRAPH_WEIGHTED)) {
        st = bad(d, path, "holds an unweighted network; weight: does not apply to it");
        goto fail;
    }
    void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        int err = errno;
        st = err == ENOMEM ? WG_ENOMEM : WG_EIO;
        wg_diag_error(d, st, "%s: cannot map the network file: %s", path, strerror(err));
        goto fail;
    }
    close(fd);
    fd = -1;
    (void)madvise(map, (size_t)size, MADV_SEQUENTIAL);   /* the check reads it in order */
    const unsigned char *pay = (const unsigned char *)map + WG_WGRAPH_HEADER;
    st = check_payload(pay, &l, n, m, flags, read64(hdr + 48), path, d);
    (void)madvise(map, (size_t)size, MADV_NORMAL);   /* the engine reads it anywhere */
    if (st != WG_OK) {
        munmap(map, (size_t)size);
        return st;
    }
    wg_graph *g = wg_calloc(1, sizeof *g);
    if (!g) {
        munmap(map, (size_t)size);
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory", path);
        return WG_ENOMEM;
    }
    g->n = (uint32_t)n;
    g->m = m;
    g->directed = (flags & WG_WGRAPH_DIRECTED) != 0;
    /* the mapping is read-only: nothing may write into a graph once built */
    g->out_off = (uint64_t *)(pay + l.off);
    g->out_adj = (uint32_t *)(pay + l.adj);
    g->out_w = flags & WG_WGRAPH_WEIGHTED ? (float *)(pay + l.w) : NULL;
    g->label = flags & WG_WGRAPH_IDS ? (uint64_t *)(pay + l.label) : NULL;
    g->map = map;
    g->map_len = (size_t)size;
    *out = g;
    return WG_OK;
fail:
    if (fd >= 0) close(fd);
    return st;
}
