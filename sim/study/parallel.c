/*
 * parallel.c — waggle's only contact with MPI (built with make MPI=1, which
 * defines WG_MPI=1 and compiles with mpicc), and its one-rank stand-in
 * otherwise. See waggle/parallel.h.
 *
 * Invariant: with WG_MPI=0 nothing here talks to another process, and every
 * function gives the answer an MPI job of one rank would give, so a sweep
 * writes the same bytes with either build.
 *
 * Dynamic scheduling uses a window on rank 0 holding one 64-bit counter;
 * ranks take the next task with MPI_Fetch_and_op under a shared lock. No
 * rank is a dedicated master, so R ranks do R ranks' worth of work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/parallel.h"

/* The operations of a partitioned run: each build defines them below. */
static void comm_fail(void *ud, const char *what);
static size_t comm_alltoall(void *ud, const uint64_t *send, const size_t *counts, uint64_t **recv,
                            size_t *cap);
static size_t comm_allgather(void *ud, const uint64_t *send, size_t n, uint64_t **recv,
                             size_t *cap);

static void comm_fill(wg_engine_comm *c, void *ud)
{
    memset(c, 0, sizeof *c);
    c->rank = wg_par_rank();
    c->ranks = wg_par_size();
    c->ud = ud;
    c->alltoall = comm_alltoall;
    c->allgather = comm_allgather;
    c->fail = comm_fail;
}

#if WG_MPI
#include <mpi.h>

static int started_here;

void wg_par_init(void)
{
    int on = 0;
    MPI_Initialized(&on);
    if (!on) {
        MPI_Init(NULL, NULL);
        started_here = 1;
    }
}

void wg_par_finalize(void)
{
    int on = 0, off = 0;
    MPI_Initialized(&on);
    MPI_Finalized(&off);
    if (on && !off && started_here) MPI_Finalize();
}

int wg_par_rank(void)
{
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int wg_par_size(void)
{
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

int wg_par_mpi(void)
{
    return 1;
}

void wg_par_abort(int code)
{
    MPI_Abort(MPI_COMM_WORLD, code);
    exit(code);
}

void wg_par_barrier(void)
{
    MPI_Barrier(MPI_COMM_WORLD);
}

struct wg_par_counter {
    MPI_Win win;
    uint64_t *base;
};

wg_status wg_par_counter_new(wg_par_counter **out, wg_diag *d)
{
    wg_par_counter *c = wg_calloc(1, sizeof *c);
    int ok = c != NULL, all = 0;
    /* every rank must agree before the collective window is made */
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all) {
        free(c);
        wg_diag_error(d, WG_ENOMEM, "out of memory: the task counter");
        return WG_ENOMEM;
    }
    MPI_Aint size = wg_par_rank() == 0 ? (MPI_Aint)sizeof(uint64_t) : 0;
    MPI_Win_allocate(size, sizeof(uint64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &c->base, &c->win);
    if (wg_par_rank() == 0) {
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, c->win);
        *c->base = 0;
        MPI_Win_unlock(0, c->win);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    *out = c;
    return WG_OK;
}

uint64_t wg_par_counter_next(wg_par_counter *c)
{
    uint64_t one = 1, old = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, c->win);
    MPI_Fetch_and_op(&one, &old, MPI_UINT64_T, 0, 0, MPI_SUM, c->win);
    MPI_Win_unlock(0, c->win);
    return old;
}

void wg_par_counter_free(wg_par_counter *c)
{
    if (!c) return;
    MPI_Win_free(&c->win);
    free(c);
}

void wg_par_bcast(void *buf, size_t n)
{
    /* in pieces that fit an int count */
    const size_t piece = (size_t)1 << 30;
    for (size_t off = 0; off < n; off += piece) {
        size_t k = n - off < piece ? n - off : piece;
        MPI_Bcast((char *)buf + off, (int)k, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
}

wg_status wg_par_gather(const double *rows, size_t nrows, size_t width, double **all,
                        size_t *nall, wg_diag *d)
{
    int R = wg_par_size(), me = wg_par_rank();
    long long mine = (long long)(nrows * width);
    long long *counts = NULL;
    int *icounts = NULL, *displs = NULL, ok = 1, allok = 0;
    double *buf = NULL;
    *all = NULL;
    *nall = 0;
    if (me == 0) {
        counts = wg_calloc((size_t)R, sizeof *counts);
        icounts = wg_calloc((size_t)R, sizeof *icounts);
        displs = wg_calloc((size_t)R, sizeof *displs);
        ok = counts && icounts && displs;
    }
    MPI_Gather(&mine, 1, MPI_LONG_LONG, counts, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (me == 0 && ok) {
        long long total = 0;
        for (int r = 0; r < R; r++) {
            displs[r] = (int)total;
            icounts[r] = (int)counts[r];
            total += counts[r];
        }
        /* Gatherv counts are ints: a sweep's summary rows are far below 2^31 doubles */
        ok = total < INT32_MAX && (buf = wg_malloc(total ? (size_t)total : 1, sizeof *buf));
        *nall = ok ? (size_t)total / width : 0;
    }
    MPI_Allreduce(&ok, &allok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!allok) {
        free(counts);
        free(icounts);
        free(displs);
        free(buf);
        *nall = 0;
        wg_diag_error(d, WG_ENOMEM, "out of memory: gathering the results of %d ranks", R);
        return WG_ENOMEM;
    }
    MPI_Gatherv(rows, (int)mine, MPI_DOUBLE, buf, icounts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    free(counts);
    free(icounts);
    free(displs);
    *all = buf;
    return WG_OK;
}

/* ---- partitioned runs ---- */

/* A partitioned step exchanges twice (the hits, then the changes with the
 * counts), each time as one message from every rank to every other rank,
 * even an empty one: the receiver learns its length from the message itself
 * (MPI_Probe), so no exchange of counts goes first and a step waits for the
 * other ranks twice instead of five times (two counts, two payloads and a
 * sum, as collectives). Messages between two ranks with one tag arrive in
 * the order they were sent, so the steps cannot mix. */
enum { WG_TAG_HITS = 101, WG_TAG_STATES = 102 };

/* The exchange's workspace, one of each per rank: a send request, the
 * length received, where the words sent start and how many they are. */
typedef struct par_ws {
    MPI_Request *req;
    size_t *len;
    const uint64_t **part;
    size_t *nsend;
} par_ws;

static void comm_fail(void *ud, const char *what)
{
    (void)ud;
    fprintf(stderr, "waggle: rank %d: %s\n", wg_par_rank(), what);
    MPI_Abort(MPI_COMM_WORLD, 1);
    exit(1);
}

/* *recv holds at least n words (grown), or the job stops. */
static void comm_room(uint64_t **recv, size_t *cap, size_t n)
{
    if (n <= *cap) return;
    uint64_t *p = wg_realloc(*recv, n, sizeof *p);
    if (!p) comm_fail(NULL, "out of memory: the partition's receive buffer");
    *recv = p;
    *cap = n;
}

/* MPI counts are ints: a message of 2^31 words or more stops the job. */
static int comm_count(size_t n)
{
    if (n > (size_t)INT32_MAX) comm_fail(NULL, "an exchange of 2^31 words or more");
    return (int)n;
}

/* One exchange: send[q] (n[q] words) to every other rank q, and every other
 * rank's message to this one into *recv in rank order, this rank's own
 * words (mine, nmine) in its place. Returns the words received. */
static size_t comm_exchange(par_ws *ws, const uint64_t *const *send, const size_t *n,
                            const uint64_t *mine, size_t nmine, int tag, uint64_t **recv,
                            size_t *cap)
{
    const int R = wg_par_size(), me = wg_par_rank();
    int k = 0;
    for (int q = 0; q < R; q++)
        if (q != me)
            MPI_Isend(send[q], comm_count(n[q]), MPI_UINT64_T, q, tag, MPI_COMM_WORLD,
                      &ws->req[k++]);
    size_t total = nmine;
    for (int q = 0; q < R; q++) {
        if (q == me) continue;
        MPI_Status s;
        int c = 0;
        MPI_Probe(q, tag, MPI_COMM_WORLD, &s);
        MPI_Get_count(&s, MPI_UINT64_T, &c);
        ws->len[q] = (size_t)c;
        total += (size_t)c;
    }
    comm_room(recv, cap, total ? total : 1);
    size_t at = 0;
    for (int q = 0; q < R; q++) {
        if (q == me) {
            if (nmine) memcpy(*recv + at, mine, nmine * sizeof *mine);
            at += nmine;
            continue;
        }
        MPI_Recv(*recv + at, (int)ws->len[q], MPI_UINT64_T, q, tag, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        at += ws->len[q];
    }
    MPI_Waitall(k, ws->req, MPI_STATUSES_IGNORE);
    return total;
}

static size_t comm_alltoall(void *ud, const uint64_t *send, const size_t *counts, uint64_t **recv,
                            size_t *cap)
{
    par_ws *ws = ud;
    const int R = wg_par_size(), me = wg_par_rank();
    const uint64_t **part = ws->part;
    size_t at = 0;
    for (int q = 0; q < R; q++) {
        part[q] = send ? send + at : NULL;
        at += counts[q];
    }
    return comm_exchange(ws, part, counts, part[me], counts[me], WG_TAG_HITS, recv, cap);
}

static size_t comm_allgather(void *ud, const uint64_t *send, size_t n, uint64_t **recv, size_t *cap)
{
    par_ws *ws = ud;
    const int R = wg_par_size();
    const uint64_t **part = ws->part;
    for (int q = 0; q < R; q++) {
        part[q] = send;
        ws->nsend[q] = n;
    }
    return comm_exchange(ws, part, ws->nsend, send, n, WG_TAG_STATES, recv, cap);
}

static void ws_free(par_ws *ws)
{
    if (!ws) return;
    free(ws->req);
    free(ws->len);
    free(ws->part);
    free(ws->nsend);
    free(ws);
}

wg_status wg_par_comm(wg_engine_comm *c, wg_diag *d)
{
    const size_t R = (size_t)wg_par_size();
    par_ws *ws = wg_calloc(1, sizeof *ws);
    int ok = ws != NULL, all = 0;
    if (ws) {
        ws->req = wg_calloc(R, sizeof *ws->req);
        ws->len = wg_calloc(R, sizeof *ws->len);
        ws->part = wg_calloc(R, sizeof *ws->part);
        ws->nsend = wg_calloc(R, sizeof *ws->nsend);
        ok = ws->req && ws->len && ws->part && ws->nsend;
    }
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    comm_fill(c, NULL);
    if (!all) {
        ws_free(ws);
        wg_diag_error(d, WG_ENOMEM, "out of memory: the partition's exchange counts");
        return WG_ENOMEM;
    }
    comm_fill(c, ws);
    return WG_OK;
}

void wg_par_comm_free(wg_engine_comm *c)
{
    ws_free(c->ud);
    memset(c, 0, sizeof *c);
}

#else /* one rank, no MPI */

void wg_par_init(void)
{
}

void wg_par_finalize(void)
{
}

int wg_par_rank(void)
{
    return 0;
}

int wg_par_size(void)
{
    return 1;
}

int wg_par_mpi(void)
{
    return 0;
}

void wg_par_abort(int code)
{
    exit(code);
}

void wg_par_barrier(void)
{
}

struct wg_par_counter {
    uint64_t next;
};

wg_status wg_par_counter_new(wg_par_counter **out, wg_diag *d)
{
    if (!(*out = wg_calloc(1, sizeof **out))) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: the task counter");
        return WG_ENOMEM;
    }
    return WG_OK;
}

uint64_t wg_par_counter_next(wg_par_counter *c)
{
    return c->next++;
}

void wg_par_counter_free(wg_par_counter *c)
{
    free(c);
}

void wg_par_bcast(void *buf, size_t n)
{
    (void)buf;
    (void)n;
}

wg_status wg_par_gather(const double *rows, size_t nrows, size_t width, double **all,
                        size_t *nall, wg_diag *d)
{
    size_t n = nrows * width;
    *nall = 0;
    if (!(*all = wg_malloc(n ? n : 1, sizeof **all))) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: gathering %zu result rows", nrows);
        return WG_ENOMEM;
    }
    if (n) memcpy(*all, rows, n * sizeof **all);
    *nall = nrows;
    return WG_OK;
}

/* ---- partitioned runs: one rank ---- */

static void comm_fail(void *ud, const char *what)
{
    (void)ud;
    fprintf(stderr, "waggle: %s\n", what);
    exit(1);
}

/* The one rank's own words: a copy into *recv (grown as needed). */
static size_t comm_self(const uint64_t *send, size_t n, uint64_t **recv, size_t *cap)
{
    if (n > *cap) {
        uint64_t *p = wg_realloc(*recv, n, sizeof *p);
        if (!p) comm_fail(NULL, "out of memory: the partition's receive buffer");
        *recv = p;
        *cap = n;
    }
    if (n) memcpy(*recv, send, n * sizeof *send);
    return n;
}

static size_t comm_alltoall(void *ud, const uint64_t *send, const size_t *counts, uint64_t **recv,
                            size_t *cap)
{
    (void)ud;
    return comm_self(send, counts[0], recv, cap);
}

static size_t comm_allgather(void *ud, const uint64_t *send, size_t n, uint64_t **recv, size_t *cap)
{
    (void)ud;
    return comm_self(send, n, recv, cap);
}

wg_status wg_par_comm(wg_engine_comm *c, wg_diag *d)
{
    (void)d;
    comm_fill(c, NULL);
    return WG_OK;
}

void wg_par_comm_free(wg_engine_comm *c)
{
    memset(c, 0, sizeof *c);
}

#endif
