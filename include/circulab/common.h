/*
 * common.h - error codes, the error record, diagnostics lists and byte buffers.
 *
 * Every fallible function of libcirculab returns 0 or a negative CLB_E* code and fills
 * a caller-owned clb_error (which may be NULL). The innermost message wins: callers add
 * context only where the message is still empty, and never change the code.
 */
#ifndef CIRCULAB_COMMON_H
#define CIRCULAB_COMMON_H

#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. 0 is success; errors are negative. */
enum {
    CLB_OK = 0,
    CLB_ENOMEM = -1,      /* an allocation failed */
    CLB_EINVAL = -2,      /* bad user data: a scenario, an option, an id */
    CLB_EPARSE = -3,      /* a document could not be parsed at all */
    CLB_ENOTFOUND = -4,   /* a named thing does not exist */
    CLB_EEXISTS = -5,     /* a named thing exists already */
    CLB_EIO = -6,         /* reading or writing a file failed */
    CLB_ENET = -7,        /* a network transfer failed */
    CLB_EINFEASIBLE = -8, /* the model has no feasible plan (pins cannot all hold) */
    CLB_ESOLVER = -9,     /* the solver failed */
    CLB_EINTERNAL = -10,  /* a bug: an invariant did not hold */
    CLB_EDB = -11,        /* the database refused an operation */
    CLB_ESTATE = -12      /* an illegal state transition */
};

/*
 * The input limit: documents (scenarios, CSV files, offers files) larger than this are
 * refused with CLB_EINVAL before they are parsed. `--max-bytes N` changes it per
 * command (clb_scenario_load_file_max, clb_store_set_input_limit).
 */
#define CLB_INPUT_MAX_BYTES_DEFAULT ((size_t)256 << 20) /* 256 MiB */

/*
 * The detail of an error. Caller-owned; fill with clb_error_init or zero it.
 * `source` names the file or URL, `path` the JSON path (for example
 * "$.vacancies[3].headcount"), `line`/`column` are 1-based (0 when unknown) and
 * `lib_code` is the underlying library's own code when one was involved.
 */
typedef struct clb_error {
    int code;
    char message[1024];
    char source[512];
    char path[256];
    int line;
    int column;
    int lib_code;
} clb_error;

/* Empty an error record. */
void clb_error_init(clb_error *err);

/* A short, stable, lower-case name of a CLB_E* code ("invalid input", ...). */
const char *clb_strerror(int code);

/*
 * A growable byte buffer (libgit2's git_buf). `ptr` is always NUL-terminated when
 * non-NULL. Initialise with CLB_BUF_INIT, release with clb_buf_dispose.
 */
typedef struct clb_buf {
    char *ptr;
    size_t size;
    size_t asize;
} clb_buf;
#define CLB_BUF_INIT {NULL, 0, 0}

/* Release the buffer's memory and reset it to empty. */
void clb_buf_dispose(clb_buf *buf);

/*
 * One diagnostic of a validation: where (source file, JSON path, line and column of
 * the document when known), which rule was broken (a short stable code such as
 * "unknown-key", "type", "date", "range", "duplicate", "reference", or an
 * eligibility reason code), and a one-line message naming the bad value.
 */
typedef struct clb_diag {
    const char *source;
    const char *path;
    const char *rule;
    const char *message;
    int line;
    int column;
} clb_diag;

/* A list of diagnostics, filled by validating functions. */
typedef struct clb_diags clb_diags;

/* Create an empty list. Returns 0 or CLB_ENOMEM. */
int clb_diags_new(clb_diags **out);

/* Release the list and all its entries. Accepts NULL. */
void clb_diags_free(clb_diags *diags);

/* Number of diagnostics in the list. */
size_t clb_diags_count(const clb_diags *diags);

/* The i-th diagnostic (borrowed, valid until the list is freed); i < count. */
const clb_diag *clb_diags_get(const clb_diags *diags, size_t i);

/*
 * Write `len` bytes to `path` atomically: into a temporary file beside it, flushed,
 * then renamed over it. On failure the old file is untouched. Returns 0 or CLB_EIO.
 */
int clb_file_write_atomic(const char *path, const char *data, size_t len,
                          clb_error *err);

/* Library version string, "MAJOR.MINOR.PATCH". */
const char *clb_version(void);

#ifdef __cplusplus
}
#endif
#endif
