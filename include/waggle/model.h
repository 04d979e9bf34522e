/*
 * waggle/model.h — the word-of-mouth model as plain data: agent states,
 * parameters, segments, picks and timeline events (DESIGN.md, "The model").
 *
 * These structs are what the scenario loader produces and what the engine
 * consumes; neither side knows how the other works.
 */
#ifndef WAGGLE_MODEL_H
#define WAGGLE_MODEL_H

#include "waggle/common.h"

/* Agent states. Advocates and critics talk; supporters and rejecters are quiet. */
typedef enum wg_state {
    WG_UNAWARE = 0,
    WG_ADVOCATE = 1,   /* positive, talking */
    WG_CRITIC = 2,     /* negative, talking */
    WG_SUPPORTER = 3,  /* positive, quiet */
    WG_REJECTER = 4,   /* negative, quiet */
    WG_IMMUNE = 5      /* cannot be reached */
} wg_state;
#define WG_NSTATES 6

/* Valences. */
#define WG_POS 0
#define WG_NEG 1
#define WG_NVALENCES 2

typedef enum wg_contact {
    WG_CONTACT_ALL = 0,   /* every out-edge each step (SIR-like) */
    WG_CONTACT_ONE = 1,   /* one out-edge picked uniformly each step (rumour) */
    WG_CONTACT_ONCE = 2   /* every out-edge in the first talking step, then quiet (IC) */
} wg_contact;
#define WG_NCONTACTS 3

typedef enum wg_exposure {
    WG_EXPOSURE_INDEPENDENT = 0,  /* each tried edge makes contact with probability share */
    WG_EXPOSURE_FRACTIONAL = 1,   /* Bass-style hazard from the share of talking in-neighbours */
    WG_EXPOSURE_THRESHOLD = 2     /* Watts 2002: adopt when the share of in-neighbours in the
                                     reach of a valence reaches the agent's threshold */
} wg_exposure;
#define WG_NEXPOSURES 3

/* Parameters that can differ by segment and change over time (set/scale). */
typedef enum wg_param {
    WG_P_SHARE_POS, WG_P_SHARE_NEG,   /* share.positive, share.negative */
    WG_P_QUIT_POS, WG_P_QUIT_NEG,     /* quit.positive, quit.negative */
    WG_P_QUALITY,                     /* quality */
    WG_P_STIFLE,                      /* stifle */
    WG_P_FORGET,                      /* forget */
    WG_P_MEDIA_POS, WG_P_MEDIA_NEG,   /* media.positive, media.negative */
    WG_P_ACTIVITY,                    /* activity (segments; multiplies share as a sender) */
    WG_P_SUSCEPTIBILITY,              /* susceptibility (segments; multiplies share as a receiver) */
    WG_NPARAMS
} wg_param;

typedef struct wg_params {
    double v[WG_NPARAMS];
} wg_params;

/* Dotted name of a parameter ("share.positive"), and the reverse (-1 if unknown);
 * the table is wg_param_names (below). */
const char *wg_param_name(wg_param p);
int wg_param_from_name(const char *name);
/* Fill p with DESIGN's defaults (share 0.05, quit 0.2, quality 1, others 0, activity 1, susceptibility 1). */
void wg_params_default(wg_params *p);

/* Talking times (DESIGN.md, "Talking times"): the law of the number D >= 1
 * of steps a talker talks, per valence. Geometric (the zero value, so a model
 * without `duration:` keeps it) quits each step with quit.<valence>, as in
 * version 1; every other law draws D once, when the agent starts talking. */
typedef enum wg_duration_law {
    WG_DUR_GEOMETRIC = 0,  /* quit each step with quit.<valence> */
    WG_DUR_FIXED,          /* exactly a steps (a whole number >= 1) */
    WG_DUR_GAMMA,          /* X with mean a, sd b; D = max(1, ceil(X)) */
    WG_DUR_LOGNORMAL,      /* likewise */
    WG_DUR_WEIBULL,        /* likewise */
    WG_DUR_BETA_QUIT       /* own quit probability q ~ Beta(a, b), then quit with q each step */
} wg_duration_law;
#define WG_NDURATION_LAWS 6

typedef struct wg_duration {
    wg_duration_law law;
    double a, b;          /* fixed: a steps; gamma, lognormal, weibull: mean a, sd b; beta_quit: Beta(a, b) */
} wg_duration;

/* Thresholds of exposure threshold (DESIGN.md, "Threshold contagion"), per
 * valence: one value for every agent, or a law from which each agent's own
 * threshold is drawn once per run (thrlaw.c). */
typedef enum wg_thr_kind {
    WG_THR_FIXED = 0,      /* every agent: a */
    WG_THR_UNIFORM,        /* uniform on [a, b], 0 <= a <= b <= 1 */
    WG_THR_NORMAL          /* normal of mean a, sd b, truncated to [0, 1] */
} wg_thr_kind;
#define WG_NTHR_KINDS 3

typedef struct wg_thr_law {
    wg_thr_kind kind;
    double a, b;
} wg_thr_law;

typedef struct wg_model {
    wg_contact contact;
    wg_exposure exposure;
    wg_params p;          /* global values */
    wg_duration duration[WG_NVALENCES]; /* per valence; zero: geometric with quit.<valence> */
    wg_thr_law threshold[WG_NVALENCES]; /* per valence, read with exposure threshold only */
} wg_model;

/* thrlaw.c: the threshold of law l at the uniform u in (0, 1) (the inverse
 * of its CDF; fixed: a whatever u). The result is in [0, 1]. O(1). */
double wg_thr_law_quantile(const wg_thr_law *l, double u);
/* 1 when law l draws a threshold per agent (not fixed). */
int wg_thr_law_per_agent(const wg_thr_law *l);

/* The law's own parameters for GSL's distribution functions, from (a, b):
 * gamma (shape, scale), lognormal (zeta, sigma), weibull (scale, shape, as
 * gsl_cdf_weibull_P takes them); fixed and beta_quit are returned as given.
 * 0, or -1 when no law of that family has the mean and sd (sd <= 0, or a
 * Weibull shape outside [0.01, 1000]). */
int wg_duration_gsl_params(const wg_duration *d, double out[2]);
/* P(D <= d) for the law d (d >= 1), geometric with quit probability `quit`:
 * the probability that a talker has gone quiet after its d-th talking step
 * (stifling aside). Exact up to GSL's accuracy; O(1) per call. */
double wg_duration_cdf(const wg_duration *law, double quit, uint32_t d);

/* How agents are picked: seeds, segments, respond, block. */
typedef enum wg_pick_by {
    WG_PICK_RANDOM,     /* uniformly at random (keyed draws) */
    WG_PICK_DEGREE,     /* highest out-degree first, ties by keyed draw */
    WG_PICK_PAGERANK,   /* highest PageRank first */
    WG_PICK_KCORE,      /* highest k-core number first */
    WG_PICK_SEGMENT,    /* at random from a named segment */
    WG_PICK_ID,         /* the listed ids (as written in the network file) */
    WG_PICK_ATTRIBUTE   /* agents whose node attribute equals a value (segments) */
} wg_pick_by;
#define WG_NPICK_BYS 7

typedef struct wg_pick {
    wg_pick_by by;
    uint64_t count;      /* how many; 0 when `top`/`fraction` is used */
    double fraction;     /* `top` (ranked picks) or `fraction` (random), in (0, 1]; 0 when count is used */
    int segment;         /* WG_PICK_SEGMENT: index into the scenario's segments */
    uint64_t *ids;       /* WG_PICK_ID: integer ids (UINT64_MAX where id_text holds the id) */
    char **id_text;      /* WG_PICK_ID: id i as text when it is not a non-negative integer,
                            else NULL; the array is NULL when every id is an integer */
    size_t nids;
    char *attribute;     /* WG_PICK_ATTRIBUTE */
    char *value;
    char *where;         /* where the scenario wrote it, "FILE:LINE:COL: KEY" (the count, ids
                            or attribute when given), for errors found once the network is
                            known; NULL when the pick did not come from a file (owned) */
} wg_pick;

/* A group of agents with their own parameters. `set` says which of p are set
 * by the segment (bit i for parameter i); the others follow the global value. */
typedef struct wg_segment {
    char *name;
    wg_pick pick;
    wg_params p;
    uint32_t set;
} wg_segment;

typedef enum wg_event_kind {
    WG_EV_SEED,     /* make agents advocates or critics */
    WG_EV_SET,      /* set a parameter from this step on */
    WG_EV_SCALE,    /* multiply a parameter from this step on */
    WG_EV_MEDIA,    /* a media pulse added to media.valence from its step on: amplitude ×
                       (1 - decay)^(t - step), or amplitude × (1 + (t - step)/scale)^(-power) */
    WG_EV_RESPOND,  /* reach critics: supporter with win, rejecter with calm */
    WG_EV_BLOCK     /* make agents immune */
} wg_event_kind;
#define WG_NEVENT_KINDS 6

/* How a standing response policy picks among the critics waiting for an answer. */
typedef enum wg_respond_by {
    WG_RESPOND_FIRST,   /* longest waiting first (earliest critic), ties by id */
    WG_RESPOND_DEGREE,  /* highest out-degree first, ties as picks by degree */
    WG_RESPOND_REACH,   /* most contacts made so far first, ties by a keyed draw */
    WG_RESPOND_RANDOM   /* uniformly at random (a keyed draw per agent and step) */
} wg_respond_by;
#define WG_NRESPOND_BYS 4

/* A standing policy of a respond event (`respond.policy`): from its first
 * step to `until`, each step it answers up to per_step critics who have been
 * critics for at least `delay` steps and were not answered before. */
typedef struct wg_policy {
    int on;              /* 1 when the respond event is standing */
    uint32_t delay;      /* steps a critic waits at least (0: answered the step it starts talking) */
    uint32_t per_step;   /* >= 1: most answers a step */
    wg_respond_by by;
    uint32_t until;      /* last step it answers (inclusive); steps - 1 when not given */
} wg_policy;

/* Conditions of a trigger (`when:`), on the counts at the start of a step. */
typedef enum wg_when_cond {
    WG_WHEN_CRITICS_ABOVE,        /* critics */
    WG_WHEN_REACH_NEGATIVE_ABOVE, /* critics + rejecters */
    WG_WHEN_NEW_NEGATIVE_ABOVE    /* agents newly negative in the previous step */
} wg_when_cond;
#define WG_NWHEN_CONDS 3

/* A trigger: the event fires at the first step whose starting state has
 * more than `value` (a count; a share of the agents when below 1), or at
 * every such step with `repeat`. */
typedef struct wg_when {
    int on;              /* 1: the event has `when:` instead of `step:` */
    wg_when_cond cond;
    double value;        /* >= 0 */
    int repeat;
} wg_when;

typedef struct wg_event {
    uint32_t step;       /* the step it applies (a trigger's events: 0, unused) */
    wg_event_kind kind;
    int valence;         /* seed, media: WG_POS or WG_NEG */
    wg_pick pick;        /* seed, respond, block */
    wg_param param;      /* set, scale */
    int segment;         /* set, scale: -1 for global, else a segment index */
    double value;        /* set: the value; scale: the factor */
    double amplitude;    /* media */
    double decay;        /* media, in [0, 1]: exponential decay (when power is 0) */
    double power;        /* media: > 0 for a power-law decay (DESIGN "Attention"); 0: exponential */
    double scale;        /* media with power: > 0, in steps */
    double win, calm;    /* respond */
    double cost;         /* respond: cost of one answer (>= 0; 0 when not given) */
    wg_policy policy;    /* respond: standing policy (policy.on) instead of a one-shot pick */
    wg_when when;        /* any event: a trigger (when.on) instead of a step */
} wg_event;

void wg_pick_clear(wg_pick *p);
wg_status wg_pick_copy(wg_pick *dst, const wg_pick *src);
void wg_segment_clear(wg_segment *s);
void wg_event_clear(wg_event *e);
wg_status wg_event_copy(wg_event *dst, const wg_event *src);

/* How an agent entered the reach (a trace's `source`, summary.csv's
 * reach_*_from_* metrics): WG_SRC_NONE for an agent never reached. */
typedef enum wg_source {
    WG_SRC_NONE = 0,     /* not reached (the name is empty) */
    WG_SRC_SEED,         /* a seed event */
    WG_SRC_WORD_OF_MOUTH,/* a talker's contact (or, exposure fractional, its share of the hazard) */
    WG_SRC_MEDIA,        /* a media hit */
    WG_SRC_RECOMMEND,    /* a recommendation hit */
    WG_SRC_THRESHOLD,    /* threshold contagion */
    WG_NSOURCES
} wg_source;

/*
 * The name tables, one per vocabulary: entry i is the name of value i of the
 * enum as scenario files and CSV headers spell it (DESIGN.md's tables), and
 * a NULL ends each table, so that a parser can list the names and suggest
 * one. Parsers and writers look names up here and keep no copy. State names
 * are plural, as CSV columns; parameter names are dotted, as --set takes them.
 */
extern const char *const wg_state_names[WG_NSTATES + 1];     /* "unaware", "advocates", ... */
extern const char *const wg_state_singular_names[WG_NSTATES + 1]; /* "unaware", "advocate", ...: one agent's state (trace-R.csv) */
extern const char *const wg_valence_names[WG_NVALENCES + 1]; /* "positive", "negative" */
extern const char *const wg_param_names[WG_NPARAMS + 1];     /* "share.positive", ... */
extern const char *const wg_contact_names[WG_NCONTACTS + 1]; /* "all", "one", "once" */
extern const char *const wg_exposure_names[WG_NEXPOSURES + 1];
extern const char *const wg_duration_law_names[WG_NDURATION_LAWS + 1]; /* "geometric", "fixed", ... */
extern const char *const wg_thr_kind_names[WG_NTHR_KINDS + 1];   /* "fixed", "uniform", "normal" */
extern const char *const wg_pick_by_names[WG_NPICK_BYS + 1];
extern const char *const wg_event_kind_names[WG_NEVENT_KINDS + 1];
extern const char *const wg_respond_by_names[WG_NRESPOND_BYS + 1]; /* "first", "degree", "reach", "random" */
extern const char *const wg_when_names[WG_NWHEN_CONDS + 1];        /* "critics_above", ... */
extern const char *const wg_source_names[WG_NSOURCES + 1];   /* "", "seed", "word_of_mouth", ... */

/* Index of name in a NULL-terminated name table, or -1. */
int wg_name_index(const char *const *table, const char *name);

/* One name of a table, "?" for a value outside the enum. */
const char *wg_state_name(wg_state s);
const char *wg_state_singular_name(wg_state s);
const char *wg_valence_name(int valence);
const char *wg_contact_name(wg_contact c);
const char *wg_exposure_name(wg_exposure e);
const char *wg_duration_law_name(wg_duration_law l);
const char *wg_pick_by_name(wg_pick_by b);
const char *wg_event_kind_name(wg_event_kind k);
const char *wg_respond_by_name(wg_respond_by b);
const char *wg_when_name(wg_when_cond c);
const char *wg_source_name(wg_source src);

#endif
