/*
 * netspec.c — wg_netspec, the plain description of a network that the
 * scenario loader produces and the graph builders consume: its ownership
 * and the names of its kinds. Depends on nothing but base.
 */
#include <stdlib.h>
#include <string.h>

#include "waggle/graph.h"

const char *const wg_negative_ties_names[] = {"error", "drop", "flip", NULL};

void wg_netspec_clear(wg_netspec *s)
{
    if (!s) return;
    free(s->deg_file);
    free(s->sizes);
    free(s->p);
    free(s->famous);
    free(s->file);
    free(s->weight);
    free(s->sign);
    free(s->nodes_file);
    free(s->nodes_id);
    memset(s, 0, sizeof *s);
}

static int copy_str(char **dst, const char *src)
{
    *dst = NULL;
    if (!src) return 0;
    return (*dst = wg_strdup(src)) == NULL;
}

wg_status wg_netspec_copy(wg_netspec *dst, const wg_netspec *src)
{
    *dst = *src;
    dst->deg_file = dst->famous = dst->file = dst->weight = NULL;
    dst->sign = dst->nodes_file = dst->nodes_id = NULL;
    dst->sizes = NULL;
    dst->p = NULL;
    if (copy_str(&dst->deg_file, src->deg_file) || copy_str(&dst->famous, src->famous) ||
        copy_str(&dst->file, src->file) || copy_str(&dst->weight, src->weight) ||
        copy_str(&dst->sign, src->sign) || copy_str(&dst->nodes_file, src->nodes_file) ||
        copy_str(&dst->nodes_id, src->nodes_id))
        goto fail;
    if (src->nblocks) {
        dst->sizes = wg_malloc(src->nblocks, sizeof *dst->sizes);
        dst->p = wg_malloc(src->nblocks * src->nblocks, sizeof *dst->p);
        if (!dst->sizes || !dst->p) goto fail;
        memcpy(dst->sizes, src->sizes, src->nblocks * sizeof *dst->sizes);
        memcpy(dst->p, src->p, src->nblocks * src->nblocks * sizeof *dst->p);
    }
    return WG_OK;
fail:
    wg_netspec_clear(dst);
    return WG_ENOMEM;
}

const char *wg_netspec_kind_name(wg_net_kind k)
{
    switch (k) {
    case WG_NET_ERDOS_RENYI: return "erdos-renyi";
    case WG_NET_BARABASI_ALBERT: return "barabasi-albert";
    case WG_NET_WATTS_STROGATZ: return "watts-strogatz";
    case WG_NET_CONFIGURATION: return "configuration";
    case WG_NET_SBM: return "sbm";
    case WG_NET_COMPLETE: return "complete";
    case WG_NET_STAR: return "star";
    case WG_NET_RING: return "ring";
    case WG_NET_PATH: return "path";
    case WG_NET_LATTICE: return "lattice";
    case WG_NET_FAMOUS: return "famous";
    default: return "file";
    }
}
