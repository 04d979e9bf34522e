/*
 * waggle/waggle.h — everything libwaggle offers, in one header: what a
 * program or a language binding includes (`#include <waggle/waggle.h>`,
 * flags from `pkg-config --cflags --libs waggle`).
 *
 * The way in is waggle/job.h: open a scenario (a file, YAML text or a
 * struct), run it, read the counts or write the run folder; studies
 * (what-ifs, sweeps and their sensitivity indices, choosing levers, fits,
 * validation) are built on it. Every header below is plain C11 and needs
 * none of the libraries waggle is built on (igraph, GSL, libyaml, cairo,
 * libpng, Random123): those stay inside the library.
 * test_install checks that this header names every installed header.
 * C++ may include it too: the declarations get C linkage.
 */
#ifndef WAGGLE_WAGGLE_H
#define WAGGLE_WAGGLE_H

#ifdef __cplusplus
extern "C" {
#endif

/* base: status codes, diagnostics, allocation, the version */
#include "waggle/common.h"
/* the model's vocabulary, keyed random numbers */
#include "waggle/model.h"
#include "waggle/rng.h"
/* networks, scenarios and the observed series they are fitted to */
#include "waggle/graph.h"
#include "waggle/scenario.h"
#include "waggle/observed.h"
/* runs and their outputs */
#include "waggle/engine.h"
#include "waggle/rrset.h"
#include "waggle/output.h"
#include "waggle/render.h"
/* the one pipeline */
#include "waggle/job.h"
/* studies */
#include "waggle/compare.h"
#include "waggle/whatif.h"
#include "waggle/sweep.h"
#include "waggle/sensitivity.h"
#include "waggle/optimize.h"
#include "waggle/fit.h"
#include "waggle/validate.h"
#include "waggle/parallel.h"

#ifdef __cplusplus
}
#endif

#endif
