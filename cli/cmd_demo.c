/*
 * cmd_demo.c - `circulab demo`: solve the bundled scenario and print a summary a
 * person can read (or, with --json, the same summary as one JSON document).
 *
 * The summary is a sequence of sections, one function each (placements by employer,
 * by origin region, quotas, training seats, reintegration, unfilled vacancies, ...),
 * so the demo can grow (for example to run the database loop of a whole season)
 * by adding steps and sections without touching the others. Every table is built
 * once as typed cells and rendered either as aligned text or as a JSON array of
 * objects, so the two outputs always say the same thing. Only the public API is
 * used: the result's accessors and its key figures (clb_kpis, which count the
 * placements by employer and by origin), so the demo shows what any program
 * linking the library can see and computes no figure of its own.
 */
#include "cli.h"
#include "db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_SCENARIO CLB_SCENARIO_DIR "/huelva-small.json"

/* ---- tables of typed cells ------------------------------------------------------- */

typedef enum {
    CELL_TEXT,    /* a string */
    CELL_INT,     /* a whole number */
    CELL_PERCENT, /* a fraction, shown as a percentage in text */
    CELL_NONE     /* no value: "-" in text, null in JSON */
} cell_kind;

typedef struct cell {
    cell_kind kind;
    char *text;
    double num;
} cell;

typedef struct column {
    const char *key; /* JSON key and text header */
    bool left;       /* left-aligned in text */
} column;

typedef struct table {
    const char *key;   /* JSON key of the section */
    const char *title; /* text heading */
    const column *cols;
    size_t ncols;
    cell *cells; /* nrows * ncols */
    size_t nrows;
    size_t cap;  /* rows allocated */
    size_t col;  /* next column of the row being filled */
    bool failed; /* out of memory: the table is incomplete */
} table;

static void table_init(table *t, const char *key, const char *title, const column *cols,
                       size_t ncols)
{
    memset(t, 0, sizeof(*t));
    t->key = key;
    t->title = title;
    t->cols = cols;
    t->ncols = ncols;
}

static void table_dispose(table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].text);
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->cap = 0;
}

/* The next cell of the current row, starting a new row when the last one is full. */
static cell *table_next(table *t)
{
    if (t->failed)
        return NULL;
    if (t->col == 0) {
        if (t->nrows == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 16;
            cell *cells = realloc(t->cells, cap * t->ncols * sizeof(*cells));
            if (!cells) {
                t->failed = true;
                return NULL;
            }
            t->cells = cells;
            t->cap = cap;
        }
        memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(cell));
        t->nrows++;
    }
    cell *c = &t->cells[(t->nrows - 1) * t->ncols + t->col];
    t->col = (t->col + 1) % t->ncols;
    return c;
}

static void table_text(table *t, const char *s)
{
    cell *c = table_next(t);
    if (!c)
        return;
    c->kind = CELL_TEXT;
    if (!(c->text = strdup(s ? s : "")))
        t->failed = true;
}

static void table_int(table *t, long n)
{
    cell *c = table_next(t);
    if (c) {
        c->kind = CELL_INT;
        c->num = (double)n;
    }
}

static void table_percent(table *t, double fraction)
{
    cell *c = table_next(t);
    if (c) {
        c->kind = CELL_PERCENT;
        c->num = fraction;
    }
}

static void table_none(table *t)
{
    cell *c = table_next(t);
    if (c)
        c->kind = CELL_NONE;
}

static void cell_format(char *out, size_t size, const cell *c)
{
    switch (c->kind) {
    case CELL_TEXT:
        snprintf(out, size, "%s", c->text ? c->text : "");
        break;
    case CELL_INT:
        snprintf(out, size, "%.0f", c->num);
        break;
    case CELL_PERCENT:
        snprintf(out, size, "%.0f%%", c->num * 100.0);
        break;
    case CELL_NONE:
    default:
        snprintf(out, size, "-");
        break;
    }
}

/* ---- the report: text or JSON ---------------------------------------------------- */

typedef struct report {
    bool json;
    cli_json js;
    FILE *f;
    bool failed; /* a table ran out of memory */
} report;

/* printf width of column j: negative to align left; none for a last left column. */
static int column_width(const table *t, const size_t *width, size_t j)
{
    if (!t->cols[j].left)
        return (int)width[j];
    return j + 1 == t->ncols ? 0 : -(int)width[j];
}

static void table_print_text(const table *t, FILE *f, const char *empty)
{
    char text[1024];
    size_t width[16] = {0};
    size_t ncols = t->ncols < 16 ? t->ncols : 16;

    fprintf(f, "\n%s\n", t->title);
    if (t->nrows == 0) {
        fprintf(f, "  %s\n", empty);
        return;
    }
    for (size_t j = 0; j < ncols; j++)
        width[j] = strlen(t->cols[j].key);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < ncols; j++) {
            cell_format(text, sizeof(text), &t->cells[i * t->ncols + j]);
            if (strlen(text) > width[j])
                width[j] = strlen(text);
        }
    }
    for (size_t j = 0; j < ncols; j++)
        fprintf(f, "  %*s", column_width(t, width, j), t->cols[j].key);
    fputc('\n', f);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < ncols; j++) {
            cell_format(text, sizeof(text), &t->cells[i * t->ncols + j]);
            cli_printf_text(f, "  %*s", column_width(t, width, j), text);
        }
        fputc('\n', f);
    }
}

static void table_print_json(const table *t, cli_json *js)
{
    cli_json_key(js, t->key);
    cli_json_begin_array(js);
    for (size_t i = 0; i < t->nrows; i++) {
        cli_json_begin_object(js);
        for (size_t j = 0; j < t->ncols; j++) {
            const cell *c = &t->cells[i * t->ncols + j];
            cli_json_key(js, t->cols[j].key);
            switch (c->kind) {
            case CELL_TEXT:
                cli_json_string(js, c->text);
                break;
            case CELL_INT:
            case CELL_PERCENT:
                cli_json_number(js, c->num);
                break;
            case CELL_NONE:
            default:
                cli_json_null(js);
                break;
            }
        }
        cli_json_end_object(js);
    }
    cli_json_end_array(js);
}

/* Print a finished table in the report's format, then release it. */
static void report_table(report *rep, table *t, const char *empty)
{
    if (t->failed)
        rep->failed = true;
    if (rep->json)
        table_print_json(t, &rep->js);
    else
        table_print_text(t, rep->f, empty);
    table_dispose(t);
}

/* ---- sections -------------------------------------------------------------------- */

typedef struct demo {
    const char *file;
    clb_scenario *scenario;
    clb_result *result;
    clb_kpis *kpis; /* the key figures of the result: the tables by employer and origin */
} demo;

static void section_overview(report *rep, const demo *d)
{
    const clb_kpi_summary *k = clb_kpis_get(d->kpis);
    clb_result_stats stats;

    clb_result_get_stats(&stats, d->result);
    if (rep->json) {
        cli_json_key(&rep->js, "scenario");
        cli_json_string(&rep->js, clb_scenario_name(d->scenario));
        cli_json_key(&rep->js, "file");
        cli_json_string(&rep->js, d->file);
        cli_json_key(&rep->js, "status");
        cli_json_string(&rep->js, clb_status_name(clb_result_status(d->result)));
        cli_json_key(&rep->js, "objective");
        cli_json_number(&rep->js, clb_result_objective(d->result));
        cli_json_key(&rep->js, "bound");
        cli_json_number(&rep->js, clb_result_bound(d->result));
        cli_json_key(&rep->js, "gap");
        cli_json_number(&rep->js, clb_result_gap(d->result));
        cli_json_key(&rep->js, "seconds");
        cli_json_number(&rep->js, stats.seconds);
        cli_json_key(&rep->js, "workers");
        cli_json_integer(&rep->js, (long long)stats.workers);
        cli_json_key(&rep->js, "eligible_pairs");
        cli_json_integer(&rep->js, (long long)stats.eligible_pairs);
        cli_json_key(&rep->js, "rows");
        cli_json_integer(&rep->js, (long long)stats.rows);
        cli_json_key(&rep->js, "columns");
        cli_json_integer(&rep->js, (long long)stats.columns);
        cli_json_key(&rep->js, "placements");
        cli_json_integer(&rep->js, k->placements);
        cli_json_key(&rep->js, "returning");
        cli_json_integer(&rep->js, k->returning_placements);
        cli_json_key(&rep->js, "places");
        cli_json_integer(&rep->js, k->places);
        cli_json_key(&rep->js, "filled");
        cli_json_integer(&rep->js, k->placements);
        return;
    }
    cli_printf_text(rep->f, "Scenario '%s' (%s)\n  ", clb_scenario_name(d->scenario), d->file);
    cli_scenario_counts_print(rep->f, d->scenario);
    fprintf(rep->f,
            "\n\nPlan: %s, %ld placements (%ld of returning workers), "
            "%ld of %ld places filled\n",
            clb_status_name(clb_result_status(d->result)), k->placements,
            k->returning_placements, k->placements, k->places);
}

static void section_employers(report *rep, const demo *d)
{
    static const column cols[] = {{"employer", true}, {"vacancies", false},
                                  {"places", false},  {"filled", false},
                                  {"fill", false},    {"returning", false}};
    const clb_kpi_summary *k = clb_kpis_get(d->kpis);
    table t;

    table_init(&t, "employers", "Placements by employer", cols, 6);
    for (size_t i = 0; i < k->n_by_employer; i++) {
        const clb_kpi_group *g = &k->by_employer[i];
        table_text(&t, g->key);
        table_int(&t, g->vacancies);
        table_int(&t, g->places);
        table_int(&t, g->filled);
        table_percent(&t, g->places > 0 ? (double)g->filled / (double)g->places : 0.0);
        table_int(&t, g->returning);
    }
    report_table(rep, &t, "(no vacancies)");
}

static void section_origins(report *rep, const demo *d)
{
    static const column cols[] = {
        {"country", true}, {"region", true}, {"placements", false}, {"returning", false}};
    const clb_kpi_summary *k = clb_kpis_get(d->kpis);
    table t;

    table_init(&t, "origins", "Placements by origin region", cols, 4);
    for (size_t i = 0; i < k->n_by_country_region; i++) {
        const clb_kpi_group *g = &k->by_country_region[i];
        if (g->placements == 0)
            continue;
        table_text(&t, g->country);
        table_text(&t, g->key[0] ? g->key : "-");
        table_int(&t, g->placements);
        table_int(&t, g->returning);
    }
    report_table(rep, &t, "(no placements)");
}

static void section_quotas(report *rep, const demo *d)
{
    static const column cols[] = {{"quota", true},
                                  {"count", false},
                                  {"max", false},
                                  {"min", false},
                                  {"shortfall", false}};
    table t;

    table_init(&t, "quotas", "Quotas used", cols, 5);
    for (size_t i = 0; i < clb_result_quota_count(d->result); i++) {
        clb_quota_use q;
        clb_result_quota_get(&q, d->result, i);
        table_text(&t, q.id);
        table_int(&t, q.count);
        if (q.max >= 0)
            table_int(&t, q.max);
        else
            table_none(&t);
        table_int(&t, q.min);
        table_int(&t, q.shortfall);
    }
    report_table(rep, &t, "(no quotas)");
}

static void section_training(report *rep, const demo *d)
{
    static const column cols[] = {
        {"session", true}, {"course", true}, {"seats", false}, {"capacity", false}};
    table t;

    table_init(&t, "training", "Training seats per session", cols, 4);
    for (size_t i = 0; i < clb_result_session_count(d->result); i++) {
        clb_session_load s;
        clb_result_session_get(&s, d->result, i);
        table_text(&t, s.id);
        table_text(&t, s.course);
        table_int(&t, s.attendees);
        table_int(&t, s.capacity);
    }
    report_table(rep, &t, "(no training sessions)");
}

static void section_reintegration(report *rep, const demo *d)
{
    static const column cols[] = {
        {"programme", true}, {"enrolled", false}, {"capacity", false}};
    table t;

    table_init(&t, "reintegration", "Reintegration enrolments per programme", cols, 3);
    for (size_t i = 0; i < clb_result_programme_count(d->result); i++) {
        const char *id = NULL;
        int capacity = 0, enrolled = 0;
        clb_result_programme_get(&id, &capacity, &enrolled, d->result, i);
        table_text(&t, id);
        table_int(&t, enrolled);
        table_int(&t, capacity);
    }
    report_table(rep, &t, "(no reintegration programmes)");
}

static void section_unfilled(report *rep, const demo *d)
{
    static const column cols[] = {{"vacancy", true},
                                  {"employer", true},
                                  {"filled", false},
                                  {"headcount", false},
                                  {"open", false}};
    table t;

    table_init(&t, "unfilled", "Unfilled vacancies", cols, 5);
    for (size_t i = 0; i < clb_result_vacancy_count(d->result); i++) {
        clb_vacancy_fill v;
        clb_result_vacancy_get(&v, d->result, i);
        if (v.filled >= v.headcount)
            continue;
        table_text(&t, v.id);
        table_text(&t, v.employer);
        table_int(&t, v.filled);
        table_int(&t, v.headcount);
        table_int(&t, v.headcount - v.filled);
    }
    report_table(rep, &t, "(none: every vacancy is filled)");
}

static void section_conflicts(report *rep, const demo *d)
{
    static const column cols[] = {{"conflict", true}};
    table t;

    table_init(&t, "conflicts", "Conflicts with the previous plan", cols, 1);
    for (size_t i = 0; i < clb_result_conflict_count(d->result); i++)
        table_text(&t, clb_result_conflict_get(d->result, i));
    report_table(rep, &t, "(none)");
}

static void section_solver(report *rep, const demo *d)
{
    clb_result_stats stats;

    if (rep->json)
        return; /* the overview carries these figures in JSON */
    clb_result_get_stats(&stats, d->result);
    fprintf(rep->f, "\nSolver\n");
    fprintf(rep->f, "  status     %s\n", clb_status_name(clb_result_status(d->result)));
    fprintf(rep->f, "  objective  %.10g\n", clb_result_objective(d->result));
    fprintf(rep->f, "  bound      %.10g\n", clb_result_bound(d->result));
    fprintf(rep->f, "  gap        %.4g%%\n", clb_result_gap(d->result) * 100.0);
    fprintf(rep->f, "  time       %.2f s\n", stats.seconds);
    fprintf(rep->f, "  model      %zu eligible pairs, %zu rows, %zu columns\n",
            stats.eligible_pairs, stats.rows, stats.columns);
}

/* ---- steps ----------------------------------------------------------------------- */

/* The key figures of the result, which the tables by employer and origin show. */
static int demo_collect(demo *d)
{
    clb_error err;
    int error;

    clb_error_init(&err);
    if ((error = clb_kpis_from_result(&d->kpis, d->scenario, d->result, d->file, &err)) < 0)
        return cli_error_report(d->file, error, &err);
    return CLB_EXIT_OK;
}

/* Load and solve the scenario, with progress on a terminal. */
static int demo_solve(demo *d, bool quiet, double time_limit, double gap)
{
    cli_progress progress;
    clb_solve_opts opts;
    clb_error err;
    int rc, error;

    if ((rc = cli_scenario_load(&d->scenario, d->file)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    cli_progress_init(&progress, quiet);
    clb_solve_opts_init(&opts);
    opts.time_limit = time_limit;
    opts.gap = gap;
    opts.progress = cli_progress_solve;
    opts.payload = &progress;
    error = clb_solve(&d->result, d->scenario, &opts, &err);
    cli_progress_clear(&progress);
    if (error == CLB_EINFEASIBLE) {
        cli_printf_text(stderr, "circulab: error: %s: infeasible: %s\n", d->file,
                cli_infeasible_reason(err.message, "the pins cannot all hold"));
        return CLB_EXIT_INFEASIBLE;
    }
    if (error < 0)
        return cli_error_report(d->file, error, &err);
    return CLB_EXIT_OK;
}

/* The summary of a solved scenario: one section after another. */
static int demo_print_summary(demo *d, bool json)
{
    report rep = {.json = json, .f = stdout};

    if (json) {
        cli_json_init(&rep.js, stdout);
        cli_json_begin_object(&rep.js);
    }
    section_overview(&rep, d);
    section_employers(&rep, d);
    section_origins(&rep, d);
    section_quotas(&rep, d);
    section_training(&rep, d);
    section_reintegration(&rep, d);
    section_unfilled(&rep, d);
    section_conflicts(&rep, d);
    section_solver(&rep, d);
    if (json) {
        cli_json_end_object(&rep.js);
        cli_json_finish(&rep.js);
    }
    if (rep.failed) {
        cli_error("out of memory while printing the summary");
        return CLB_EXIT_RUNTIME;
    }
    return CLB_EXIT_OK;
}

static void demo_dispose(demo *d)
{
    clb_kpis_free(d->kpis);
    clb_result_free(d->result);
    clb_scenario_free(d->scenario);
}

int cmd_demo(int argc, char **argv)
{
    bool json = false, quiet = false;
    double time_limit = 0.0, gap = 0.0;
    const char *file = DEMO_SCENARIO;
    const cli_option options[] = {
        {.long_name = "json",
         .type = CLI_OPT_FLAG,
         .value = &json,
         .help = "print the summary as one JSON document"},
        {.short_name = 'q',
         .long_name = "quiet",
         .type = CLI_OPT_FLAG,
         .value = &quiet,
         .help = "no progress line on stderr"},
        CLI_TIME_LIMIT_OPTION(time_limit,
                              "stop after S seconds with the best plan so far"),
        CLI_GAP_OPTION(gap, "stop at relative gap G such as 0.01 (0: optimal)"),
        {.long_name = "scenario",
         .type = CLI_OPT_STRING,
         .value = &file,
         .arg_name = "FILE",
         .help = "use FILE instead of the bundled scenario"},
        {0},
    };
    const cli_command spec = {
        .name = "demo",
        .usage = "[options]",
        .summary = "Solve the bundled scenario and print a summary a person can read.",
        .description =
            "The bundled scenario is " DEMO_SCENARIO ",\n"
            "a small berry campaign in Huelva (ES615) with workers from Morocco.\n"
            "The summary shows placements by employer and by origin region, quotas\n"
            "used, training seats per session, reintegration enrolments per programme,\n"
            "unfilled vacancies, and the objective, bound, gap, status and time.\n"
            "Then it runs a whole season on a fresh temporary database (deleted at the\n"
            "end): import, round, confirm, depart, return or no-return, season close,\n"
            "renew, the next round, and the difference between the two rounds.\n"
            "With --json only the summary is printed.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog =
            "exit codes: 0 ok, 1 scenario unreadable, 3 invalid scenario, 4 infeasible,\n"
            "5 solver or internal failure.",
    };
    cli_operands ops;
    demo d = {0};
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    d.file = file;
    if ((rc = demo_solve(&d, quiet, time_limit, gap)) != CLB_EXIT_OK)
        goto done;
    if ((rc = demo_collect(&d)) != CLB_EXIT_OK)
        goto done;
    rc = demo_print_summary(&d, json);
    /* then the whole loop of a season on an embedded database: import, round,
       lifecycle, season close, the next round */
    if (rc == CLB_EXIT_OK && !json) {
        fflush(stdout);
        rc = demo_database_loop(d.file, quiet);
    }
done:
    demo_dispose(&d);
    return rc;
}
