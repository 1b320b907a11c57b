/*
 * fields.h - the scenario reader's working state and its typed field getters, shared
 * by the files of the reader (read.c, policy.c, fields.c) and by no one else.
 *
 * A getter reads one member of a JSON object as the type the format asks for (an id,
 * a date, an integer in a range, a list of symbols...), reports every breach as a
 * diagnostic at the member's JSON path, and returns false when it reported one, so
 * that the section readers are lists of calls without error branches. A failed
 * allocation sets `oom` and the walk goes on; the reader answers CLB_ENOMEM at the end.
 */
#ifndef CLB_SCENARIO_FIELDS_H
#define CLB_SCENARIO_FIELDS_H

#include "io/json.h"
#include "scenario/scenario_impl.h"

#define CLB_MAX_ID_BYTES 64
#define CLB_MAX_COUNT 1000000000LL /* headcount, capacity, beds, quota bounds */
#define CLB_MAX_DAYS 1000000LL     /* policy integers, history counters, min_campaigns */
#define CLB_MAX_SCORE 1e6
#define CLB_MAX_WEIGHT 1e9
#define CLB_MAX_MONEY 1e9 /* wage_month_eur, session cost */
#define CLB_READER_RING 8

typedef struct clb_reader {
    clb_scenario *s;
    clb_diags *diags;
    const char *source;
    size_t errors;
    int oom;            /* CLB_ENOMEM once any allocation failed */
    clb_buf path;       /* JSON path of the value being read */
    clb_buf label;      /* the record being read, e.g. "vacancy 'V12'" */
    const char *prefix; /* field prefix inside nested objects, e.g. "history." */
    clb_buf ring[CLB_READER_RING]; /* scratch strings for messages */
    unsigned ring_next;
    /* Sections present as arrays: references into a missing section are not
     * reported once per record (the missing section is reported once). */
    bool have_workers, have_employers, have_vacancies;
} clb_reader;

/* ---- messages ------------------------------------------------------------------ */

/* A scratch buffer of the ring (cleared), and its text ("?" and oom after a failure). */
clb_buf *clb__reader_scratch(clb_reader *r);
const char *clb__reader_scratch_str(clb_reader *r, clb_buf *b, int rc);

/*
 * Append a value as messages show it: control characters escaped so the message stays
 * on one line, cut after 64 bytes (on a UTF-8 boundary) with "...", between single
 * quotes when `quotes`. Returns 0 or CLB_ENOMEM.
 */
int clb__field_quote(clb_buf *out, const char *s, bool quotes);

/* clb__field_quote into a scratch buffer: 'value', or value without the quotes (for
 * pair labels such as "pin (W1, V2)"). */
const char *clb__reader_quote(clb_reader *r, const char *s);
const char *clb__reader_bare(clb_reader *r, const char *s);

/* The record label that prefixes messages ("vacancy 'V12'"), set or cleared. */
void clb__reader_label(clb_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void clb__reader_unlabel(clb_reader *r);

/*
 * Record a diagnostic at the current path (plus the member `key` when non-NULL).
 * The message is the record label, ": ", then the formatted detail.
 */
void clb__reader_report(clb_reader *r, const char *key, const char *rule, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

/* ---- memory -------------------------------------------------------------------- */

/* n zeroed elements in the scenario's arena (NULL and oom on failure). */
void *clb__reader_alloc_array(clb_reader *r, size_t n, size_t size);
/* The symbol of str (-1 and oom on failure). */
int32_t clb__reader_intern(clb_reader *r, const char *str);

/* ---- typed members ------------------------------------------------------------- */

/* Report every member of obj that is not in `known` (keys "x-..." are ignored); `in`
 * names the nested object in the message, or NULL. */
void clb__field_check_keys(clb_reader *r, const clb_json *obj, const char *const *known,
                           const char *in);
/* Is the member present with a value other than null? */
bool clb__field_has_value(const clb_json *obj, const char *key);

/*
 * The getters. Each reads the member `key` of obj; absent or null is an error only
 * when `required`. Returns false when it reported an error. *out is set as each says.
 */
/* A one-line string; *out NULL when absent. */
bool clb__field_string(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       const char **out);
/* A one-line string that must not be empty; *out NULL when absent. */
bool clb__field_nonempty(clb_reader *r, const clb_json *obj, const char *key,
                         bool required, const char **out);
/* The id rule (clb__id_problem) on str, reported at `key` (may be NULL) as `field`. */
bool clb__field_check_id(clb_reader *r, const char *key, const char *field,
                         const char *str);
/* An identifier: non-empty, the id rule; *out is its symbol or -1. */
bool clb__field_id(clb_reader *r, const clb_json *obj, const char *key, bool required,
                   int32_t *out);
/* A free symbol (region, sector, course...): a non-empty string; -1 when absent. */
bool clb__field_sym(clb_reader *r, const clb_json *obj, const char *key, bool required,
                    int32_t *out);
/* An ISO 3166-1 alpha-2 code; its symbol or -1. */
bool clb__field_country(clb_reader *r, const clb_json *obj, const char *key,
                        bool required, int32_t *out);
/* A date "YYYY-MM-DD"; CLB_DATE_NONE when absent. */
bool clb__field_date(clb_reader *r, const clb_json *obj, const char *key, bool required,
                     clb_date *out);
/* An integer in [lo, hi]; *out is set only when the member is present and valid. */
bool clb__field_int(clb_reader *r, const clb_json *obj, const char *key, bool required,
                    long long lo, long long hi, long long *out);
/* An int-sized integer in [lo, hi]; *out keeps its default when absent. */
bool clb__field_small_int(clb_reader *r, const clb_json *obj, const char *key,
                          bool required, long long lo, long long hi, int *out);
/* A (finite) number in [lo, hi]; *out is set only when present and valid. */
bool clb__field_number(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       double lo, double hi, double *out);
bool clb__field_bool(clb_reader *r, const clb_json *obj, const char *key, bool required,
                     bool *out);
bool clb__field_object(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       const clb_json **out);
bool clb__field_array(clb_reader *r, const clb_json *obj, const char *key, bool required,
                      const clb_json **out);
/* Element i of the array at member `key`: a non-empty string, or NULL after a report. */
const char *clb__field_list_string(clb_reader *r, const clb_json *arr, const char *key,
                                   size_t i);

typedef enum { CLB_LIST_SYMBOLS, CLB_LIST_COUNTRIES, CLB_LIST_SEXES } clb_list_kind;

/*
 * A list of symbols (sorted, without duplicates). *present tells whether the key was
 * there (and not null). Countries must be alpha-2 codes, sexes F, M or X.
 */
bool clb__field_symlist(clb_reader *r, const clb_json *obj, const char *key,
                        clb_list_kind kind, clb_idlist *out, bool *present);
/* One of the strings of `choices` (NULL-terminated); *out its index, kept if absent. */
bool clb__field_choice(clb_reader *r, const clb_json *obj, const char *key, bool required,
                       const char *const *choices, const char *hint, int *out);

/* ---- records ------------------------------------------------------------------- */

/* Where to come back to after a nested object. */
typedef struct clb_nest {
    size_t mark;
    const char *prefix;
} clb_nest;

/*
 * Enter the nested object at member `key` of obj ("history"): NULL when it is absent
 * (an error when required) or not an object. Otherwise its unknown keys are reported,
 * messages below it name members with `prefix` ("history.campaigns") and paths go
 * below it, until clb__reader_nest_leave(r, *n).
 */
const clb_json *clb__reader_nest_enter(clb_reader *r, const clb_json *obj,
                                       const char *key, bool required, const char *prefix,
                                       const char *const *keys, clb_nest *n);
void clb__reader_nest_leave(clb_reader *r, clb_nest n);

/*
 * Register the id symbol `sym` of record `index` in a by-symbol map. A second record
 * with the same id is reported at its "id" member, naming the first one's path.
 */
void clb__reader_register_id(clb_reader *r, clb_intmap *map, int32_t sym, size_t index,
                             const char *coll);
/* Label a record "<what> 'id'" when it has a string id, else "<coll>[i]". */
void clb__reader_label_record(clb_reader *r, const clb_json *o, const char *what,
                              const char *coll, size_t i);
/*
 * Element i of a section's array: an object, or NULL after a report. Pushes the
 * index onto the path (the caller pops it with *mark).
 */
const clb_json *clb__reader_section_item(clb_reader *r, const clb_json *arr,
                                         const char *coll, size_t i, size_t *mark);

#endif
