/*
 * model.c — names, defaults and ownership helpers of the model's plain structs
 * (waggle/model.h). The names here are the contract of scenario files and CSV
 * headers: DESIGN.md's tables, spelled exactly.
 *
 * Invariant: each vocabulary (states, valences, parameters, contact,
 * exposure, duration laws, picks, event kinds, sources of reach, policy
 * orders, trigger conditions) has exactly one name table, here, in the order
 * of its enum and ended by NULL; the scenario parser and writer and every
 * CSV header read these tables and keep no copy of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "waggle/model.h"

const char *const wg_param_names[WG_NPARAMS + 1] = {
    "share.positive", "share.negative", "quit.positive", "quit.negative", "quality",
    "stifle", "forget", "media.positive", "media.negative", "activity", "susceptibility", NULL,
};
const char *const wg_state_names[WG_NSTATES + 1] = {
    "unaware", "advocates", "critics", "supporters", "rejecters", "immune", NULL,
};
const char *const wg_state_singular_names[WG_NSTATES + 1] = {
    "unaware", "advocate", "critic", "supporter", "rejecter", "immune", NULL,
};
const char *const wg_valence_names[WG_NVALENCES + 1] = {"positive", "negative", NULL};
const char *const wg_contact_names[WG_NCONTACTS + 1] = {"all", "one", "once", NULL};
const char *const wg_exposure_names[WG_NEXPOSURES + 1] = {"independent", "fractional", "threshold",
                                                          NULL};
const char *const wg_thr_kind_names[WG_NTHR_KINDS + 1] = {"fixed", "uniform", "normal", NULL};
const char *const wg_duration_law_names[WG_NDURATION_LAWS + 1] = {
    "geometric", "fixed", "gamma", "lognormal", "weibull", "beta_quit", NULL,
};
const char *const wg_pick_by_names[WG_NPICK_BYS + 1] = {
    "random", "degree", "pagerank", "kcore", "segment", "id", "attribute", NULL,
};
const char *const wg_event_kind_names[WG_NEVENT_KINDS + 1] = {
    "seed", "set", "scale", "media", "respond", "block", NULL,
};
const char *const wg_respond_by_names[WG_NRESPOND_BYS + 1] = {
    "first", "degree", "reach", "random", NULL,
};
const char *const wg_when_names[WG_NWHEN_CONDS + 1] = {
    "critics_above", "reach_negative_above", "new_negative_above", NULL,
};
const char *const wg_source_names[WG_NSOURCES + 1] = {
    "", "seed", "word_of_mouth", "media", "recommend", "threshold", NULL,
};

int wg_name_index(const char *const *table, const char *name)
{
    for (int i = 0; table[i]; i++)
        if (strcmp(table[i], name) == 0) return i;
    return -1;
}

const char *wg_param_name(wg_param p)
{
    return (unsigned)p < WG_NPARAMS ? wg_param_names[p] : "?";
}

int wg_param_from_name(const char *name)
{
    return wg_name_index(wg_param_names, name);
}

void wg_params_default(wg_params *p)
{
    p->v[WG_P_SHARE_POS] = 0.05;
    p->v[WG_P_SHARE_NEG] = 0.05;
    p->v[WG_P_QUIT_POS] = 0.2;
    p->v[WG_P_QUIT_NEG] = 0.2;
    p->v[WG_P_QUALITY] = 1.0;
    p->v[WG_P_STIFLE] = 0.0;
    p->v[WG_P_FORGET] = 0.0;
    p->v[WG_P_MEDIA_POS] = 0.0;
    p->v[WG_P_MEDIA_NEG] = 0.0;
    p->v[WG_P_ACTIVITY] = 1.0;
    p->v[WG_P_SUSCEPTIBILITY] = 1.0;
}

const char *wg_state_name(wg_state s)
{
    return (unsigned)s < WG_NSTATES ? wg_state_names[s] : "?";
}

const char *wg_state_singular_name(wg_state s)
{
    return (unsigned)s < WG_NSTATES ? wg_state_singular_names[s] : "?";
}

const char *wg_valence_name(int valence)
{
    return (unsigned)valence < WG_NVALENCES ? wg_valence_names[valence] : "?";
}

const char *wg_contact_name(wg_contact c)
{
    return (unsigned)c < WG_NCONTACTS ? wg_contact_names[c] : "?";
}

const char *wg_exposure_name(wg_exposure e)
{
    return (unsigned)e < WG_NEXPOSURES ? wg_exposure_names[e] : "?";
}

const char *wg_duration_law_name(wg_duration_law l)
{
    return (unsigned)l < WG_NDURATION_LAWS ? wg_duration_law_names[l] : "?";
}

const char *wg_pick_by_name(wg_pick_by b)
{
    return (unsigned)b < WG_NPICK_BYS ? wg_pick_by_names[b] : "?";
}

const char *wg_event_kind_name(wg_event_kind k)
{
    return (unsigned)k < WG_NEVENT_KINDS ? wg_event_kind_names[k] : "?";
}

const char *wg_respond_by_name(wg_respond_by b)
{
    return (unsigned)b < WG_NRESPOND_BYS ? wg_respond_by_names[b] : "?";
}

const char *wg_when_name(wg_when_cond c)
{
    return (unsigned)c < WG_NWHEN_CONDS ? wg_when_names[c] : "?";
}

const char *wg_source_name(wg_source src)
{
    return (unsigned)src < WG_NSOURCES ? wg_source_names[src] : "?";
}

void wg_pick_clear(wg_pick *p)
{
    if (!p) return;
    free(p->ids);
    for (size_t i = 0; p->id_text && i < p->nids; i++) free(p->id_text[i]);
    free(p->id_text);
    p->id_text = NULL;
    free(p->attribute);
    free(p->value);
    free(p->where);
    p->ids = NULL;
    p->nids = 0;
    p->attribute = p->value = p->where = NULL;
}

static int dup_str(char **dst, const char *src)
{
    *dst = NULL;
    if (!src) return 0;
    *dst = wg_strdup(src);
    return *dst == NULL;
}

wg_status wg_pick_copy(wg_pick *dst, const wg_pick *src)
{
    *dst = *src;
    dst->ids = NULL;
    dst->id_text = NULL;
    dst->attribute = dst->value = dst->where = NULL;
    if (src->nids) {
        dst->ids = wg_malloc(src->nids, sizeof *dst->ids);
        if (!dst->ids) goto fail;
        memcpy(dst->ids, src->ids, src->nids * sizeof *dst->ids);
    }
    if (src->id_text) {
        if (!(dst->id_text = wg_calloc(src->nids, sizeof *dst->id_text))) goto fail;
        for (size_t i = 0; i < src->nids; i++)
            if (dup_str(&dst->id_text[i], src->id_text[i])) goto fail;
    }
    if (dup_str(&dst->attribute, src->attribute) || dup_str(&dst->value, src->value) ||
        dup_str(&dst->where, src->where))
        goto fail;
    return WG_OK;
fail:
    wg_pick_clear(dst);
    return WG_ENOMEM;
}

void wg_segment_clear(wg_segment *s)
{
    if (!s) return;
    free(s->name);
    s->name = NULL;
    wg_pick_clear(&s->pick);
}

void wg_event_clear(wg_event *e)
{
    if (e) wg_pick_clear(&e->pick);
}

wg_status wg_event_copy(wg_event *dst, const wg_event *src)
{
    *dst = *src;
    return wg_pick_copy(&dst->pick, &src->pick);
}
