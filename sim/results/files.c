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
#include <sys/stat.h>
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

wg_status wg_out_commit(wg_out *o, wg_diag *d)
{
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
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return WG_OK;
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
