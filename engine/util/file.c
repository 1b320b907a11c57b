/*
 * file.c - the one way circulab writes an output file (-o, --csv, exports, generated
 * scenarios): clb_file_open / clb_file_write / clb_file_commit, declared in
 * circulab/common.h.
 *
 * A document replaces a file whole or not at all: it goes into a temporary file in
 * the target's own directory (so that rename() stays on one file system), is made
 * durable, then renamed over the target. Renaming over the *name* given is only right
 * when that name is an ordinary file, so the target is worked out first:
 *
 * - a symbolic link is followed, hop by hop, and its final target is replaced (the
 *   link stays a link); a dangling link creates its target;
 * - /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are the process's own
 *   descriptor N, written through a duplicate of it (the shell's redirection, append
 *   mode included, is kept; nothing is created or renamed);
 * - a character or block device, FIFO or socket (/dev/null, a terminal, a named pipe)
 *   is opened and written in place: renaming a regular file over /dev/null would
 *   replace the device for every program on the machine;
 * - any other path reached through /dev or /proc is written in place as well, since
 *   those directories hold views of other objects, not files of their own;
 * - a directory is an error, said as such.
 *
 * A file replaced atomically gets mode 0644 as before, or 0600 when the caller says
 * it holds personal data (CLB_FILE_PRIVATE), whatever the mode of the file it
 * replaces. The temporary file is created 0600 by mkstemp and widened only once
 * nothing remains to be written, so personal data is never readable by others even
 * for an instant.
 */
#include "util/util.h"
#include "util/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct clb_file {
    int fd;
    bool in_place;   /* written where it is: no temporary file, no rename */
    unsigned flags;
    char *path;      /* as the caller gave it, for messages */
    char *target;    /* the file replaced (symbolic links followed) */
    char *tmp;       /* the temporary file beside target */
};

/* Give up following links after this many hops, as the kernel does (ELOOP). */
#define MAX_LINK_HOPS 40

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = clb__malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The descriptor a path names when it is one of the process's own: /dev/stdout,
 * /dev/stderr, /dev/fd/N, /proc/self/fd/N. Returns -1 for any other path.
 */
static int own_descriptor(const char *path)
{
    const char *digits = NULL;
    if (strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    if (starts_with(path, "/dev/fd/"))
        digits = path + strlen("/dev/fd/");
    else if (starts_with(path, "/proc/self/fd/"))
        digits = path + strlen("/proc/self/fd/");
    if (!digits || !*digits)
        return -1;
    char *end;
    errno = 0;
    long fd = strtol(digits, &end, 10);
    if (errno || *end || fd < 0 || fd > INT_MAX || digits[0] == '-' || digits[0] == '+')
        return -1;
    return (int)fd;
}

/*
 * Follow the symbolic links of `path` one hop at a time to the name that is not a
 * link (it may not exist yet). *through_special is set when a hop passes through
 * /dev or /proc. Returns a malloc'd path, or NULL with errno set.
 */
static char *resolve_links(const char *path, bool *through_special)
{
    char *cur = dup_str(path);
    *through_special = false;
    for (int hop = 0; cur; hop++) {
        struct stat st;
        char link[PATH_MAX];
        ssize_t n;
        if (starts_with(cur, "/dev/") || starts_with(cur, "/proc/"))
            *through_special = true;
        if (lstat(cur, &st) != 0) {
            if (errno == ENOENT)
                return cur; /* a new file */
            clb__free(cur);
            return NULL;
        }
        if (!S_ISLNK(st.st_mode))
            return cur;
        if (hop >= MAX_LINK_HOPS) {
            clb__free(cur);
            errno = ELOOP;
            return NULL;
        }
        if ((n = readlink(cur, link, sizeof(link) - 1)) < 0) {
            clb__free(cur);
            return NULL;
        }
        link[n] = '\0';
        char *next;
        if (link[0] == '/') {
            next = dup_str(link);
        } else {
            /* relative to the directory holding the link */
            const char *slash = strrchr(cur, '/');
            size_t dir = slash ? (size_t)(slash - cur) + 1 : 0;
            next = clb__malloc(dir + (size_t)n + 1);
            if (next) {
                memcpy(next, cur, dir);
                memcpy(next + dir, link, (size_t)n + 1);
            }
        }
        clb__free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

static int fail(clb_error *err, int code, const char *path, const char *what, int errnum)
{
    clb__error_set(err, code, "cannot write '%s': %s", path, what ? what : strerror(errnum));
    clb__error_set_source(err, path);
    return code;
}

int clb_file_open(clb_file **out, const char *path, unsigned flags, clb_error *err)
{
    clb_file *file = NULL;
    struct stat st;
    bool special = false;
    int own, error = 0;

    *out = NULL;
    if (!path || !*path)
        return clb__error_set(err, CLB_EIO, "cannot write a file without a name");
    if (!(file = clb__calloc(1, sizeof(*file))) || !(file->path = dup_str(path))) {
        clb__free(file);
        return clb__error_set(err, CLB_ENOMEM, "out of memory");
    }
    file->fd = -1;
    file->flags = flags;

    if ((own = own_descriptor(path)) >= 0) {
        file->in_place = true;
        if ((file->fd = fcntl(own, F_DUPFD_CLOEXEC, 3)) < 0) {
            error = fail(err, CLB_EIO, path, NULL, errno);
            goto done;
        }
        goto done;
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            error = fail(err, CLB_EIO, path, "it is a directory", 0);
            goto done;
        }
        if (!S_ISREG(st.st_mode)) {
            /* device, FIFO or socket: written in place (a FIFO waits for a reader) */
            file->in_place = true;
            if ((file->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)) < 0)
                error = fail(err, CLB_EIO, path, NULL, errno);
            goto done;
        }
    } else if (errno != ENOENT) {
        error = fail(err, CLB_EIO, path, NULL, errno);
        goto done;
    }
    if (!(file->target = resolve_links(path, &special))) {
        error = errno == ENOMEM ? clb__error_set(err, CLB_ENOMEM, "out of memory")
                                : fail(err, CLB_EIO, path, NULL, errno);
        goto done;
    }
    if (special) {
        file->in_place = true;
        if ((file->fd = open(file->target, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY)) < 0)
            error = fail(err, CLB_EIO, path, NULL, errno);
        goto done;
    }
    {
        size_t n = strlen(file->target) + sizeof(".tmp.XXXXXX");
        if (!(file->tmp = clb__malloc(n))) {
            error = clb__error_set(err, CLB_ENOMEM, "out of memory");
            goto done;
        }
        snprintf(file->tmp, n, "%s.tmp.XXXXXX", file->target);
    }
    /* mkstemp creates the file 0600: personal data is never readable by others */
    if ((file->fd = mkstemp(file->tmp)) < 0) {
        int e = errno;
        clb__free(file->tmp);
        file->tmp = NULL;
        error = fail(err, CLB_EIO, path,
                     e == ENOENT ? "its directory does not exist" : NULL, e);
        goto done;
    }
done:
    if (error < 0) {
        clb_file_discard(file);
        return error;
    }
    *out = file;
    return 0;
}

int clb_file_write(clb_file *file, const void *data, size_t len, clb_error *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(file->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(err, CLB_EIO, file->path, NULL, n < 0 ? errno : EIO);
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int clb_file_commit(clb_file *file, clb_error *err)
{
    int error = 0;

    if (file->in_place) {
        if (close(file->fd) != 0 && errno != EINTR)
            error = fail(err, CLB_EIO, file->path, NULL, errno);
        file->fd = -1;
        goto done;
    }
    if (!(file->flags & CLB_FILE_PRIVATE) && fchmod(file->fd, 0644) != 0) {
        error = fail(err, CLB_EIO, file->path, NULL, errno);
        goto done;
    }
    if (fsync(file->fd) != 0 || close(file->fd) != 0) {
        error = fail(err, CLB_EIO, file->path, NULL, errno);
        file->fd = -1;
        goto done;
    }
    file->fd = -1;
    if (rename(file->tmp, file->target) != 0) {
        error = fail(err, CLB_EIO, file->path,
                     errno == EISDIR ? "it is a directory" : NULL, errno);
        goto done;
    }
    clb__free(file->tmp);
    file->tmp = NULL;
    {
        /* make the rename itself durable; a directory that refuses fsync is no error */
        char *slash = strrchr(file->target, '/');
        int dfd;
        if (slash == file->target)
            dfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        else if (slash) {
            *slash = '\0';
            dfd = open(file->target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            *slash = '/';
        } else
            dfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
done:
    clb_file_discard(file);
    return error;
}

void clb_file_discard(clb_file *file)
{
    if (!file)
        return;
    if (file->fd >= 0)
        close(file->fd);
    if (file->tmp)
        unlink(file->tmp);
    clb__free(file->tmp);
    clb__free(file->target);
    clb__free(file->path);
    clb__free(file);
}

const char *clb__file_name_for_library(const clb_file *file)
{
    return file->tmp ? file->tmp : file->path;
}

int clb_file_save(const char *path, const char *data, size_t len, unsigned flags,
                  clb_error *err)
{
    clb_file *file = NULL;
    int error;

    if ((error = clb_file_open(&file, path, flags, err)) < 0)
        return error;
    if ((error = clb_file_write(file, data, len, err)) < 0) {
        clb_file_discard(file);
        return error;
    }
    return clb_file_commit(file, err);
}

int clb_file_write_atomic(const char *path, const char *data, size_t len,
                          clb_error *err)
{
    return clb_file_save(path, data, len, 0, err);
}
