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

/*
 * CLB_EXTERN marks the public API. The library is built with hidden visibility, so
 * libcirculab.so exports what carries this mark and nothing else; the engine's
 * internal cross-module functions (named clb__*) stay inside it.
 */
#if defined(__GNUC__) || defined(__clang__)
#  define CLB_EXTERN __attribute__((visibility("default")))
#else
#  define CLB_EXTERN
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
CLB_EXTERN void clb_error_init(clb_error *err);

/* A short, stable, lower-case name of a CLB_E* code ("invalid input", ...). */
CLB_EXTERN const char *clb_strerror(int code);

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
CLB_EXTERN void clb_buf_dispose(clb_buf *buf);

/*
 * Appending to a buffer, for programs that present what the library returns (the CLI's
 * tables): text, formatted text, a JSON string (quoted, escaped as every document of
 * the library escapes them) and a CSV cell (quoted when needed, a formula guarded by a
 * leading "'" as in every CSV file the library writes). Each returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_buf_puts(clb_buf *buf, const char *s);
CLB_EXTERN int clb_buf_printf(clb_buf *buf, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
CLB_EXTERN int clb_buf_json_string(clb_buf *buf, const char *s);
CLB_EXTERN int clb_buf_csv_cell(clb_buf *buf, const char *s);

/* clb_text_escape flags. */
#define CLB_TEXT_KEEP_NEWLINES 1u /* '\n' is the text's own line structure: kept */

/*
 * Append `len` bytes of text to `out` for a terminal or a text file, every character
 * that could act on a terminal or reorder what it shows written as a visible escape:
 * C0 controls (ESC, CR, tab, ...; '\n' too unless CLB_TEXT_KEEP_NEWLINES), DEL and C1
 * controls as \u00XX, the Unicode bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069) as \u202E and so on, bytes that are not UTF-8 as
 * \xNN. These escapes are also valid inside JSON strings, so a JSON document passed
 * through keeps its meaning. Every text output of circulab goes through here (the
 * CLI's printing helpers). Returns 0 or CLB_ENOMEM.
 */
CLB_EXTERN int clb_text_escape(clb_buf *out, const char *s, size_t len, unsigned flags);

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
CLB_EXTERN int clb_diags_new(clb_diags **out);

/* Release the list and all its entries. Accepts NULL. */
CLB_EXTERN void clb_diags_free(clb_diags *diags);

/* Number of diagnostics in the list. */
CLB_EXTERN size_t clb_diags_count(const clb_diags *diags);

/* The i-th diagnostic (borrowed, valid until the list is freed); i < count. */
CLB_EXTERN const clb_diag *clb_diags_get(const clb_diags *diags, size_t i);

/* ---- output files ---------------------------------------------------------------- */

/*
 * An output file being written (-o, --csv, exports): the one writer every command
 * uses. Its content replaces the target whole or not at all:
 *
 * - a regular file or a new name: the bytes go into a temporary file in the target's
 *   directory, made durable, then renamed over the target by clb_file_commit; until
 *   then (and after clb_file_discard or any failure) the target is untouched;
 * - a symbolic link is followed to its final target, which is replaced as above (the
 *   link stays; a dangling link creates its target);
 * - /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the process's descriptor N,
 *   written through a duplicate (redirections, append mode included, are kept);
 * - a character or block device, FIFO or socket (/dev/null, a terminal, a named
 *   pipe) and anything else reached through /dev or /proc: written in place, never
 *   renamed over (opening a FIFO waits for its reader);
 * - a directory, a missing directory or a path that cannot be written: CLB_EIO with
 *   a message naming the path.
 */
typedef struct clb_file clb_file;

/* clb_file_open flags. */
#define CLB_FILE_PRIVATE 1u /* personal data: the file replaced is mode 0600 (else 0644) */

/* Start writing `path`. Returns 0, CLB_EIO or CLB_ENOMEM; *out is freed by
 * clb_file_commit or clb_file_discard. */
CLB_EXTERN int clb_file_open(clb_file **out, const char *path, unsigned flags, clb_error *err);

/* Append `len` bytes. Returns 0 or CLB_EIO (the file is then to be discarded). */
CLB_EXTERN int clb_file_write(clb_file *file, const void *data, size_t len, clb_error *err);

/* Finish: flush, fsync and rename over the target (or close, when written in place).
 * Frees `file` whatever the outcome. Returns 0 or CLB_EIO (the target untouched). */
CLB_EXTERN int clb_file_commit(clb_file *file, clb_error *err);

/* Abandon the file: the temporary file is removed, the target untouched. Frees
 * `file`; accepts NULL. */
CLB_EXTERN void clb_file_discard(clb_file *file);

/* clb_file_open, clb_file_write and clb_file_commit of a whole buffer. */
CLB_EXTERN int clb_file_save(const char *path, const char *data, size_t len, unsigned flags,
                             clb_error *err);

/* clb_file_save without flags (an ordinary document, mode 0644). */
CLB_EXTERN int clb_file_write_atomic(const char *path, const char *data, size_t len,
                                     clb_error *err);

/* Library version string, "MAJOR.MINOR.PATCH". */
CLB_EXTERN const char *clb_version(void);

#ifdef __cplusplus
}
#endif
#endif
