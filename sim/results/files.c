/*
 * files.c — the one writer of waggle's files: folders, atomic files and the
 * printing of numbers in CSV. Every file waggle writes (CSV, YAML, PNG, the
 * calibrated scenario) goes through wg_out.
 *
 * Invariants:
 * 1. A file appears under its real name only when it is complete. It is
 *    written to ".NAME.tmp.PID" in the same folder, flushed, fsync'ed, closed
 *    and renamed; any failure removes the temporary file.
 * 2. The temporary file is always a new file: opened O_CREAT|O_EXCL|O_NOFOLLOW,
 *    so a symlink planted under its name is never followed (the name is
 *    removed and the open retried once), and rename replaces a symlink under
 *    the real name rather than writing through it.
 * 3. Numbers are printed with fixed formats (wg_csv_double), so the same
 *    figures give the same bytes on every machine and thread count.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include "waggle/output.h"

/* ---- atomic files ---------------------------------------------------------------------------- */

wg_status wg_mkdir_p(const char *dir, wg_diag *d)
{
    char *p = wg_strdup(dir);
    if (!p) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory creating the folder", dir);
        return WG_ENOMEM;
    }
    for (char *s = p + 1;; s++) {
        int end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            struct stat sb;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                wg_diag_error(d, WG_EIO, "%s: cannot create the folder: %s", p, strerror(errno));
                free(p);
                return WG_EIO;
            }
            if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                wg_diag_error(d, WG_EIO, "%s: exists and is not a folder", p);
                free(p);
                return WG_EIO;
            }
            if (end) break;
            *s = '/';
        }
    }
    free(p);
    return WG_OK;
}

wg_status wg_out_open(wg_out *o, const char *dir, const char *name, wg_diag *d)
{
    memset(o, 0, sizeof *o);
    size_t len = (dir ? strlen(dir) : 0) + strlen(name) + 48;
    o->tmp = wg_malloc(len, 1);
    o->path = wg_malloc(len, 1);
    if (!o->tmp || !o->path) {
        wg_out_abort(o);
        wg_diag_error(d, WG_ENOMEM, "%s%s%s: out of memory opening the file", dir ? dir : "",
                      dir ? "/" : "", name);
        return WG_ENOMEM;
    }
    if (dir) {
        snprintf(o->path, len, "%s/%s", dir, name);
        snprintf(o->tmp, len, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    } else {
        /* name is the whole path: the temporary file goes beside it */
        const char *slash = strrchr(name, '/');
        int dlen = slash ? (int)(slash - name) + 1 : 0;
        snprintf(o->path, len, "%s", name);
        snprintf(o->tmp, len, "%.*s.%s.tmp.%ld", dlen, name, name + dlen, (long)getpid());
    }
    /* a new file, never one that is there: a symlink or a file planted under the
     * temporary name is removed (the name, not what it points at) and the open retried */
    const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = open(o->tmp, flags, 0666);
    if (fd < 0 && errno == EEXIST && unlink(o->tmp) == 0) fd = open(o->tmp, flags, 0666);
    o->f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!o->f) {
        int e = errno;
        if (fd >= 0) close(fd);
        errno = e;
        wg_diag_error(d, WG_EIO, "%s: cannot write: %s", o->path, strerror(errno));
        wg_out_abort(o);
        return WG_EIO;
    }
    return WG_OK;
}

/* ---- output folders: the lock, the inputs, what a command owns -------------------------------- */

#define LOCK_NAME ".waggle.lock"
#define OWNED_NAME ".waggle-outputs"
#define LOCK_ATTEMPTS 8   /* opens of the lock file when its holder removed it meanwhile */

/* The folders this process holds, innermost last (commands write from one thread). */
static wg_outdir *held[WG_OUTDIR_MAX];
static int nheld;

/* Names waggle writes, for a folder written before .waggle-outputs existed. */
static const char *const own_names[] = {
    "series.csv", "summary.csv", "finals.csv", "manifest.yaml", "observed.csv", "compare.csv",
    "blowup.csv", "sweep.csv", "params.csv", "fit.csv", "optimize.csv", "chosen.csv",
    "sensitivity.csv", "curves.png", "finals.png", "states.png", "compare.png", "sweep.png",
    "optimize.png", "sensitivity.png"};

static int legacy_name(const char *n)
{
    for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++)
        if (strcmp(n, own_names[i]) == 0) return 1;
    unsigned run;
    char rest[16] = "";
    return sscanf(n, "trace-%u.%15s", &run, rest) == 2 &&
           (strcmp(rest, "csv") == 0 || strcmp(rest, "csv.gz") == 0);
}

static int has_name(char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return 1;
    return 0;
}

/* A committed file: recorded in the innermost held folder it is directly in. */
static wg_status outdir_note(const char *path, wg_diag *d)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    for (int i = nheld; i-- > 0;) {
        if (!held[i]) continue;   /* a folder being closed */
        const char *dir = held[i]->dir;
        if (strlen(dir) == dlen && strncmp(dir, path, dlen) == 0) {
            return wg_outdir_own(held[i], slash + 1, d);
        }
        if (!slash && strcmp(dir, ".") == 0) return wg_outdir_own(held[i], path, d);
    }
    return WG_OK;
}

wg_status wg_outdir_own(wg_outdir *od, const char *name, wg_diag *d)
{
    if (has_name(od->wrote, od->nwrote, name)) return WG_OK;
    if (od->nwrote == od->cap) {
        size_t nc = od->cap ? 2 * od->cap : 16;
        char **t = wg_realloc(od->wrote, nc, sizeof *t);
        if (!t) goto nomem;
        od->wrote = t;
        od->cap = nc;
    }
    if (!(od->wrote[od->nwrote] = wg_strdup(name))) goto nomem;
    od->nwrote++;
    return WG_OK;
nomem:
    wg_diag_error(d, WG_ENOMEM, "%s: out of memory", od->dir);
    return WG_ENOMEM;
}

/* The folder path of an input file ("." when it has none). */
static int same_folder(const struct stat *dir, const char *input)
{
    struct stat sb;
    const char *slash = strrchr(input, '/');
    char buf[4096];
    if (!slash) snprintf(buf, sizeof buf, ".");
    else if (slash == input) snprintf(buf, sizeof buf, "/");
    else snprintf(buf, sizeof buf, "%.*s", (int)(slash - input), input);
    return stat(buf, &sb) == 0 && sb.st_dev == dir->st_dev && sb.st_ino == dir->st_ino;
}

wg_status wg_outdir_open(wg_outdir *od, const char *dir, const char *const *inputs,
                         size_t ninputs, wg_diag *d)
{
    struct stat sb;
    memset(od, 0, sizeof *od);
    od->lock_fd = -1;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        for (size_t i = 0; i < ninputs; i++) {
            struct stat in;
            if (!inputs[i] || !*inputs[i] || strcmp(inputs[i], "-") == 0) continue;
            /* an input folder that is the folder itself (merge's shards), or an input
             * file in it; a shard folder inside the output folder is not touched */
            const int is_dir = stat(inputs[i], &in) == 0 && S_ISDIR(in.st_mode);
            if ((is_dir && in.st_dev == sb.st_dev && in.st_ino == sb.st_ino) ||
                (!is_dir && same_folder(&sb, inputs[i]))) {
                wg_diag_error(d, WG_EINPUT, "%s: holds %s, an input of this command; write "
                              "into another folder (-o)", dir, inputs[i]);
                return WG_EINPUT;
            }
        }
    if (nheld == WG_OUTDIR_MAX) {
        wg_diag_error(d, WG_EIO, "%s: too many output folders at once", dir);
        return WG_EIO;
    }
    const int made = stat(dir, &sb) != 0;
    wg_status st = wg_mkdir_p(dir, d);
    if (st != WG_OK) return st;
    od->made = made;
    if (!(od->dir = wg_strdup(dir))) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory", dir);
        return WG_ENOMEM;
    }
    char *lp = wg_path_join(dir, LOCK_NAME);
    if (!lp) {
        free(od->dir);
        od->dir = NULL;
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory", dir);
        return WG_ENOMEM;
    }
    int e = 0, locked = 0;
    for (int attempt = 0; attempt < LOCK_ATTEMPTS && !locked; attempt++) {
        od->lock_fd = open(lp, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
        e = errno;
        if (od->lock_fd < 0) break;
        if (flock(od->lock_fd, LOCK_EX | LOCK_NB) != 0) {
            e = errno;
            break;
        }
        /* the lock file is removed by the holder when it is done: the lock counts
         * only when it is still the file under the name */
        struct stat a, b;
        locked = fstat(od->lock_fd, &a) == 0 && stat(lp, &b) == 0 && a.st_dev == b.st_dev &&
                 a.st_ino == b.st_ino;
        if (!locked) {
            close(od->lock_fd);
            od->lock_fd = -1;
            e = EWOULDBLOCK;
        }
    }
    if (od->lock_fd < 0 && e != EWOULDBLOCK) {
        free(lp);
        wg_diag_error(d, WG_EIO, "%s: cannot write into the folder: %s", dir, strerror(e));
        free(od->dir);
        od->dir = NULL;
        return WG_EIO;
    }
    if (!locked) {
        free(lp);
        wg_diag_error(d, WG_EIO, "%s: %s", dir,
                      e == EWOULDBLOCK ? "another waggle command is writing into this folder; "
                                         "wait for it, or write into another folder (-o)"
                                       : strerror(e));
        close(od->lock_fd);
        od->lock_fd = -1;
        free(od->dir);
        od->dir = NULL;
        return WG_EIO;
    }
    od->lock_path = lp;
    held[nheld++] = od;
    return WG_OK;
}

/* Remove what an earlier command wrote into dir and this one did not
 * (wrote: this command's names; NULL for a stale subfolder: everything of
 * it). Returns 0, or -1 when dir had foreign files left (a subfolder then stays). */
static int clean_folder(const char *dir, char *const *wrote, size_t nwrote, int depth)
{
    char *lp = wg_path_join(dir, OWNED_NAME), *text = NULL;
    int oom = 0;
    if (!lp) return -1;
    wg_status ls = wg_file_read(lp, &text, NULL, NULL);
    int have_list = ls == WG_OK;
    free(lp);
    if (ls == WG_ENOMEM) return -1;
    DIR *dd = opendir(dir);
    if (!dd) {
        free(text);
        return 0;
    }
    struct dirent *ent;
    while ((ent = readdir(dd))) {
        const char *n = ent->d_name;
        if (n[0] == '.' || has_name(wrote, nwrote, n)) continue;
        int listed = 0, listed_dir = 0;
        if (have_list) {
            size_t len = strlen(n);
            for (char *l = text; l && *l;) {
                char *e = strchr(l, '\n');
                size_t ll = e ? (size_t)(e - l) : strlen(l);
                if (ll == len && strncmp(l, n, len) == 0) listed = 1;
                if (ll == len + 1 && strncmp(l, n, len) == 0 && l[len] == '/') listed_dir = 1;
                l = e ? e + 1 : NULL;
            }
        } else {
            listed = legacy_name(n);
        }
        char *p = wg_path_join(dir, n);
        struct stat sb;
        if (!p) {
            oom = 1;
            break;
        }
        if (lstat(p, &sb) != 0) {
            free(p);
            continue;
        }
        char slashed[300];
        snprintf(slashed, sizeof slashed, "%s/", n);
        if (listed && (S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode))) {
            unlink(p);
        } else if (listed_dir && S_ISDIR(sb.st_mode) && depth < 2 &&
                   !has_name(wrote, nwrote, slashed)) {
            if (clean_folder(p, NULL, 0, depth + 1)) oom = 1;
            char *q;
            if ((q = wg_path_join(p, OWNED_NAME))) unlink(q), free(q);
            else oom = 1;
            rmdir(p);   /* only when nothing foreign is left */
        }
        free(p);
    }
    closedir(dd);
    free(text);
    return oom ? -1 : 0;
}

wg_status wg_outdir_lock(wg_outdir *od, const char *dir, wg_diag *d)
{
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {   /* the reader's message follows */
        memset(od, 0, sizeof *od);
        od->lock_fd = -1;
        return WG_OK;
    }
    wg_status st = wg_outdir_open(od, dir, NULL, 0, d);
    od->keep = 1;
    return st;
}

/* What an interrupted command wrote into od goes (files, and "NAME/" folders with
 * their contents); nothing else is touched. */
static int discard_names(wg_outdir *od)
{
    int oom = 0;
    for (size_t i = 0; i < od->nwrote; i++) {
        char *p = wg_path_join(od->dir, od->wrote[i]);
        size_t len = p ? strlen(p) : 0;
        struct stat sb;
        if (!p) {
            oom = 1;
            continue;
        }
        if (len && p[len - 1] == '/') p[len - 1] = '\0';   /* a subfolder: "NAME/" */
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (clean_folder(p, NULL, 0, 1)) oom = 1;
            char *q = wg_path_join(p, OWNED_NAME);
            if (q) unlink(q);
            else oom = 1;
            free(q);
            rmdir(p);
        } else {
            unlink(p);
        }
        free(p);
    }
    return oom ? -1 : 0;
}

/* An interrupted command: what it wrote into od goes, and with it what an earlier
 * command wrote there (some of it replaced already), so that the folder holds
 * no outputs rather than a mixture; foreign files stay. */
static int discard_folder(wg_outdir *od)
{
    int oom = clean_folder(od->dir, NULL, 0, 0);
    if (discard_names(od)) oom = 1;
    char *q = wg_path_join(od->dir, OWNED_NAME);
    if (q) unlink(q);
    else oom = 1;
    free(q);
    return oom ? -1 : 0;
}

wg_status wg_outdir_add(wg_outdir *od, const char *dir, wg_diag *d)
{
    wg_status st = wg_outdir_lock(od, dir, d);
    if (st == WG_OK && od->dir) od->keep = 2;
    return st;
}

/* keep 2: the names of .waggle-outputs not among od's own join them (in the list's order,
 * before od's). */
static wg_status add_listed(wg_outdir *od, wg_diag *d)
{
    char *lp = wg_path_join(od->dir, OWNED_NAME), *text = NULL;
    if (!lp) return wg_diag_error(d, WG_ENOMEM, "%s: out of memory", od->dir), WG_ENOMEM;
    wg_status ls = wg_file_read(lp, &text, NULL, NULL);
    free(lp);
    if (ls == WG_ENOMEM) return wg_diag_error(d, WG_ENOMEM, "%s: out of memory", od->dir), WG_ENOMEM;
    if (ls != WG_OK) return WG_OK;   /* no list yet: only od's names */
    char **mine = od->wrote;
    size_t nmine = od->nwrote;
    od->wrote = NULL;
    od->nwrote = od->cap = 0;
    wg_status st = WG_OK;
    for (char *l = text; st == WG_OK && l && *l;) {
        char *e = strchr(l, '\n');
        if (e) *e = '\0';
        if (*l && *l != '#') st = wg_outdir_own(od, l, d);
        l = e ? e + 1 : NULL;
    }
    for (size_t i = 0; i < nmine; i++) {
        if (st == WG_OK) st = wg_outdir_own(od, mine[i], d);
        free(mine[i]);
    }
    free(mine);
    free(text);
    return st;
}

wg_status wg_outdir_close(wg_outdir *od, wg_diag *d)
{
    wg_status st = WG_OK;
    if (!od->dir) return WG_OK;
    /* keep 1 (render) replaces files in place and records nothing; keep 2 (draw) adds
     * to the outputs of a run, so an interrupted draw takes away only its own files */
    const int stopped = wg_stopped() && od->keep != 1;
    if (stopped && od->nwrote) {
        for (int i = 0; i < nheld; i++)
            if (held[i] == od) held[i] = NULL;
        if (od->keep == 2 ? discard_names(od) : discard_folder(od)) {
            wg_diag_error(d, WG_ENOMEM, "%s: out of memory removing the files of an interrupted "
                          "command", od->dir);
            st = WG_ENOMEM;
        }
    } else if (od->nwrote && od->keep != 1) {
        if (od->keep == 2) st = add_listed(od, d);
        if (st == WG_OK && !od->keep && clean_folder(od->dir, od->wrote, od->nwrote, 0)) {
            wg_diag_error(d, WG_ENOMEM, "%s: out of memory removing stale files", od->dir);
            st = WG_ENOMEM;
        }
        /* the list of this command's names, written atomically (not recorded in itself) */
        wg_out o;
        for (int i = 0; i < nheld; i++)
            if (held[i] == od) held[i] = NULL;
        if (st == WG_OK && (st = wg_out_open(&o, od->dir, OWNED_NAME, d)) == WG_OK) {
            fputs("# written by waggle: the files of this folder it made (removed when stale)\n",
                  o.f);
            for (size_t i = 0; i < od->nwrote; i++) fprintf(o.f, "%s\n", od->wrote[i]);
            st = wg_out_commit(&o, d);
        }
    }
    for (int i = 0, k = 0; i <= nheld; i++) {   /* unregister, keeping the order */
        if (i == nheld) {
            nheld = k;
            break;
        }
        if (held[i] && held[i] != od) held[k++] = held[i];
    }
    if (od->lock_fd >= 0) {   /* the name first, while the lock is held; then the flock */
        unlink(od->lock_path);
        close(od->lock_fd);
    }
    if (stopped && od->made) rmdir(od->dir);   /* a folder it made, when nothing is left in it */
    for (size_t i = 0; i < od->nwrote; i++) free(od->wrote[i]);
    free(od->wrote);
    free(od->dir);
    free(od->lock_path);
    memset(od, 0, sizeof *od);
    od->lock_fd = -1;
    return st;
}

wg_status wg_out_commit(wg_out *o, wg_diag *d)
{
    if (wg_stopped()) return wg_out_stop(o, d);
    int err = ferror(o->f) || fflush(o->f) != 0;
    if (!err) err = fsync(fileno(o->f)) != 0 && errno != EINVAL;
    int saved = errno;
    err |= fclose(o->f) != 0;
    o->f = NULL;
    if (!err && rename(o->tmp, o->path) != 0) err = 1, saved = errno;

    if (err) {
        wg_diag_error(d, WG_EIO, "%s: writing failed: %s", o->path,
                      saved ? strerror(saved) : "I/O error");
        wg_out_abort(o);
        return WG_EIO;
    }
    wg_status st = outdir_note(o->path, d);   /* the file is complete either way */
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return st;
}

wg_status wg_out_stop(wg_out *o, wg_diag *d)
{
    wg_diag_error(d, WG_EINTR, "interrupted: stopped while writing %s", o->path ? o->path : "a file");
    wg_out_abort(o);
    return WG_EINTR;
}

void wg_out_abort(wg_out *o)
{
    if (o->f) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}

/* ---- numbers --------------------------------------------------------------------------------- */

void wg_csv_double(FILE *f, double x)
{
    if (isnan(x)) fputs("NaN", f);
    else if (isinf(x)) fputs(x > 0 ? "Inf" : "-Inf", f);
    else if (x == floor(x) && fabs(x) < 1e15) fprintf(f, "%.0f", x);
    else fprintf(f, "%.10g", x);
}
