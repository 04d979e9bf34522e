/*
 * waggle/parallel.h — the few collective operations a sweep needs across
 * processes: ranks, a shared task counter for dynamic scheduling, a
 * broadcast from rank 0 and a gather of result rows to rank 0.
 *
 * Built with MPI (make MPI=1) these are Open MPI calls; without it the same
 * functions describe one rank and do the obvious local thing, so the sweep
 * driver has one code path. parallel.c is the only file that includes mpi.h.
 * Invariant: every rank calls the collective functions (init, counter_new,
 * counter_free, bcast, gather, barrier, finalize) in the same order.
 */
#ifndef WAGGLE_PARALLEL_H
#define WAGGLE_PARALLEL_H

#include <stddef.h>
#include <stdint.h>
#include "waggle/common.h"
#include "waggle/engine.h"

/* Start the parallel environment (once; later calls are no-ops). */
void wg_par_init(void);
/* End it; no parallel call may follow. Harmless when never started. */
void wg_par_finalize(void);
/* This process's rank (0 .. size - 1) and the number of ranks; 0 and 1 without MPI. */
int wg_par_rank(void);
int wg_par_size(void);
/* 1 when built with MPI (make MPI=1). */
int wg_par_mpi(void);
/* Stop every rank with exit status `code` (after a runtime failure on one rank). */
void wg_par_abort(int code);
void wg_par_barrier(void);

/* A counter held by rank 0 that every rank increments atomically: the next
 * task index, without a master process (MPI one-sided fetch-and-add). */
typedef struct wg_par_counter wg_par_counter;
/* Collective. WG_ENOMEM when it cannot be made. */
wg_status wg_par_counter_new(wg_par_counter **out, wg_diag *d);
/* The counter's value before this call's increment: 0, 1, 2, ... over all ranks. */
uint64_t wg_par_counter_next(wg_par_counter *c);
/* Collective. NULL is a harmless no-op (but then every rank must pass NULL). */
void wg_par_counter_free(wg_par_counter *c);

/* Collective: n bytes of buf on rank 0 are copied into buf on every rank. */
void wg_par_bcast(void *buf, size_t n);

/* Collective: every rank gives nrows rows of `width` doubles; rank 0 gets
 * all of them in *all (allocated, caller frees; rank order, then row order)
 * and their number in *nall. Other ranks get NULL and 0. */
wg_status wg_par_gather(const double *rows, size_t nrows, size_t width, double **all,
                        size_t *nall, wg_diag *d);

/* The collective operations of a partitioned run (waggle/engine.h) over every
 * rank of the job: sums, an all-to-all and an all-gather of 64-bit words, and
 * a failure that stops every rank. Without MPI, one rank's. Collective; the
 * comm lives until wg_par_comm_free (also collective). */
wg_status wg_par_comm(wg_engine_comm *c, wg_diag *d);
void wg_par_comm_free(wg_engine_comm *c);

#endif
