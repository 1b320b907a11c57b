/*
 * cmd_explain.c - `circulab explain [--round N] (--worker W | --vacancy V)`: why a
 * worker is unplaced or a vacancy unfilled, in plain sentences or JSON.
 *
 * The explanation is computed from the exact inputs and plan the round stored, so it
 * stays true after the database has moved on. The engine returns it as data
 * (clb_explanation); this file lays it out, as sentences or as one JSON document,
 * into memory first and then through the one text writer (cli_db_print), so that
 * ids and sentences reach the terminal escaped, as every database command's output.
 */
#include "db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON, as the explain document has always been written ------------------------ */

/* A string: quote, backslash, \n, \r, \t escaped; other controls as \u00XX. */
static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\r')
            fputs("\\r", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* A number: whole numbers with one decimal ("12.0", "0.0"), others at full precision. */
static void jnum(FILE *f, double x)
{
    if (x == 0)
        fputs("0.0", f);
    else if (isfinite(x) && fabs(x) < 1e15 && x == floor(x))
        fprintf(f, "%.1f", x);
    else
        cli_json_write_number(f, x);
}

static void json_failed(FILE *f, const clb_explain_pair *pair)
{
    fputc('[', f);
    for (size_t i = 0; i < pair->n_failed; i++) {
        fputs(i ? ",{\"rule\":" : "{\"rule\":", f);
        jstr(f, pair->failed[i].rule);
        fputs(",\"message\":", f);
        jstr(f, pair->failed[i].message);
        fputc('}', f);
    }
    fputc(']', f);
}

/* A list of placements, [{"<key>": id, "value": v}, ...] without the brackets. */
static void json_values(FILE *f, const clb_explain_value *v, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s{\"%s\":", i ? "," : "", key);
        jstr(f, v[i].id);
        fputs(",\"value\":", f);
        jnum(f, v[i].value);
        fputc('}', f);
    }
}

/* ,"key":"value" when value is set. */
static void json_member(FILE *f, const char *key, const char *value)
{
    if (value) {
        fprintf(f, ",\"%s\":", key);
        jstr(f, value);
    }
}

/* The record a reason names, as the members that follow its message. */
static void json_reason_extra(FILE *f, const clb_explain_reason *r)
{
    json_member(f, "other", r->other);
    if (r->has_value) {
        fputs(",\"value\":", f);
        jnum(f, r->value);
        fputs(",\"holders\":[", f);
        json_values(f, r->holders, r->n_holders, "worker");
        fputc(']', f);
    }
    json_member(f, "quota", r->quota);
    json_member(f, "site", r->site);
    json_member(f, "course", r->course);
}

static void json_held_out(FILE *f, const clb_explain_pair *pair)
{
    fputc('[', f);
    for (size_t i = 0; i < pair->n_held_out; i++) {
        const clb_explain_reason *r = &pair->held_out[i];
        fputs(i ? ",{\"reason\":" : "{\"reason\":", f);
        jstr(f, r->reason);
        fputs(",\"message\":", f);
        jstr(f, r->message);
        json_reason_extra(f, r);
        fputc('}', f);
    }
    fputc(']', f);
}

/* The document's first members: what is explained and, for a stored plan, its round. */
static void json_open(FILE *f, const char *key, const char *id, long round)
{
    fprintf(f, "{\n  \"%s\": ", key);
    jstr(f, id);
    if (round > 0)
        fprintf(f, ",\n  \"round\": %ld", round);
}

static void json_worker(FILE *f, const clb_explanation_info *e)
{
    json_open(f, "worker", e->worker, e->round);
    if (e->forgotten)
        fputs(",\n  \"forgotten\": true", f);
    fputs(",\n  \"placements\": [", f);
    json_values(f, e->placed, e->n_placed, "vacancy");
    fputs("],\n  \"vacancies\": [", f);
    for (size_t i = 0; i < e->n_pairs; i++) {
        const clb_explain_pair *pair = &e->pairs[i];
        fputs(i ? ",\n    {\"vacancy\":" : "\n    {\"vacancy\":", f);
        jstr(f, pair->id);
        fprintf(f, ",\"eligible\":%s", pair->eligible ? "true" : "false");
        if (pair->eligible) {
            fputs(",\"held_out\":", f);
            json_held_out(f, pair);
        } else {
            fputs(",\"failed\":", f);
            json_failed(f, pair);
        }
        fputc('}', f);
    }
    fputs("\n  ]\n}\n", f);
}

static void json_vacancy(FILE *f, const clb_explanation_info *e)
{
    json_open(f, "vacancy", e->vacancy, e->round);
    fprintf(f, ",\n  \"headcount\": %d,\n  \"filled\": %d,\n  \"placed\": [",
            e->headcount, e->filled);
    json_values(f, e->placed, e->n_placed, "worker");
    fputs("],\n  \"candidates\": [", f);
    for (size_t i = 0; i < e->n_pairs; i++) {
        fputs(i ? ",\n    {\"worker\":" : "\n    {\"worker\":", f);
        jstr(f, e->pairs[i].id);
        fputs(",\"held_out\":", f);
        json_held_out(f, &e->pairs[i]);
        fputc('}', f);
    }
    fputs("\n  ],\n  \"ineligible\": {", f);
    for (size_t i = 0; i < e->n_ineligible; i++) {
        if (i)
            fputc(',', f);
        jstr(f, e->ineligible[i].rule);
        fprintf(f, ":%u", e->ineligible[i].count);
    }
    fputs("}\n}\n", f);
}

/* ---- sentences ---------------------------------------------------------------------- */

/* Lines shown per group of a reason unless --all. */
#define GROUP_LINES 20

/* Is this vacancy_full a tie: the last holder's value equals the worker's? */
static const char *tie_with(const clb_explain_reason *r)
{
    const clb_explain_value *last;
    if (!r->has_value || !r->n_holders)
        return NULL;
    last = &r->holders[r->n_holders - 1];
    return fabs(last->value - r->value) <= 1e-9 * fmax(1.0, fabs(r->value)) ? last->id
                                                                              : NULL;
}

/* A pair's key: its first held-out reason, or its first failed rule. */
static const char *pair_key(const clb_explain_pair *p)
{
    if (p->eligible)
        return p->n_held_out ? p->held_out[0].reason : "objective";
    return p->n_failed ? p->failed[0].rule : "?";
}

/* The most common key among the pairs that are (or are not) eligible, its count and
 * its first pair; NULL when there is none. Equal counts: the first key met. */
static const char *top_key(const clb_explanation_info *e, bool eligible, size_t *count,
                           const clb_explain_pair **first)
{
    const char *best = NULL;
    *count = 0;
    for (size_t i = 0; i < e->n_pairs; i++) {
        const char *k = pair_key(&e->pairs[i]);
        size_t n = 0;
        if (e->pairs[i].eligible != eligible)
            continue;
        for (size_t j = 0; j < e->n_pairs; j++)
            n += e->pairs[j].eligible == eligible && !strcmp(pair_key(&e->pairs[j]), k);
        if (n > *count) {
            *count = n;
            best = k;
            *first = &e->pairs[i];
        }
    }
    return best;
}

static bool pair_has(const clb_explain_pair *p, const char *message)
{
    for (size_t k = 0; k < p->n_held_out; k++)
        if (!strcmp(p->held_out[k].message, message))
            return true;
    return false;
}

/* The held-out reason (its sentence) shared by the most eligible pairs, and how many;
 * NULL when no sentence holds out two pairs or more (each is its own story). */
static const char *top_message(const clb_explanation_info *e, size_t *count)
{
    const char *best = NULL;
    *count = 1;
    for (size_t i = 0; i < e->n_pairs; i++)
        for (size_t k = 0; k < e->pairs[i].n_held_out; k++) {
            const char *m = e->pairs[i].held_out[k].message;
            size_t n = 0;
            for (size_t j = 0; j < e->n_pairs; j++)
                n += e->pairs[j].eligible && pair_has(&e->pairs[j], m);
            if (n > *count) {
                *count = n;
                best = m;
            }
        }
    return best;
}

static size_t count_pairs(const clb_explanation_info *e, bool eligible)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_pairs; i++)
        n += e->pairs[i].eligible == eligible;
    return n;
}

/* One pair's detail line: its reasons (or failed rules), ties called ties. */
static void pair_line(FILE *f, const clb_explain_pair *p)
{
    fprintf(f, "    %s:", p->id);
    if (!p->eligible)
        for (size_t k = 0; k < p->n_failed; k++)
            fprintf(f, "%s[%s] %s", k ? "; " : " ", p->failed[k].rule, p->failed[k].message);
    for (size_t k = 0; p->eligible && k < p->n_held_out; k++) {
        const char *tie = tie_with(&p->held_out[k]);
        fprintf(f, "%s[%s] %s", k ? "; " : " ", p->held_out[k].reason,
                p->held_out[k].message);
        if (tie)
            fprintf(f, " (a tie: %s holds it with the same value)", tie);
    }
    fputc('\n', f);
}

/*
 * The pairs that are (or are not) eligible, grouped by their key in order of first
 * appearance, each group with its count and at most GROUP_LINES lines unless all.
 */
static void groups(FILE *f, const clb_explanation_info *e, bool eligible, const char *one,
                   const char *many, bool all)
{
    for (size_t i = 0; i < e->n_pairs; i++) {
        const char *k = pair_key(&e->pairs[i]);
        size_t n = 0, shown = 0;
        bool seen = false;
        if (e->pairs[i].eligible != eligible)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = e->pairs[j].eligible == eligible && !strcmp(pair_key(&e->pairs[j]), k);
        if (seen)
            continue;
        for (size_t j = i; j < e->n_pairs; j++)
            n += e->pairs[j].eligible == eligible && !strcmp(pair_key(&e->pairs[j]), k);
        fprintf(f, "  %s: %zu %s\n", k, n, n == 1 ? one : many);
        for (size_t j = i; j < e->n_pairs; j++) {
            if (e->pairs[j].eligible != eligible || strcmp(pair_key(&e->pairs[j]), k))
                continue;
            if (!all && shown == GROUP_LINES) {
                fprintf(f, "    ... and %zu more (--all lists them)\n", n - shown);
                break;
            }
            pair_line(f, &e->pairs[j]);
            shown++;
        }
    }
}

static void text_worker(FILE *f, const clb_explanation_info *e, const char *where, bool all)
{
    size_t n_elig = count_pairs(e, true), n_inel = count_pairs(e, false), top_n, msg_n;
    const clb_explain_pair *first = NULL;
    const char *top, *msg = top_message(e, &msg_n);

    /* the answer first, in one line */
    if (e->n_placed) {
        fprintf(f, "%s placed%s:", e->worker, where);
        for (size_t i = 0; i < e->n_placed; i++)
            fprintf(f, "%s %s (value %.10g)", i ? "," : "", e->placed[i].id,
                    e->placed[i].value);
        fputs(".\n", f);
    } else if (e->forgotten) {
        fprintf(f, "%s unplaced%s: the worker was forgotten (personal data erased) and is "
                   "placed no more.\n",
                e->worker, where);
    } else if (msg) {
        fprintf(f, "%s unplaced%s: %s, for %zu of %zu eligible vacancies.\n", e->worker,
                where, msg, msg_n, n_elig);
    } else if ((top = top_key(e, true, &top_n, &first)) != NULL) {
        const char *tie = first->n_held_out ? tie_with(&first->held_out[0]) : NULL;
        fprintf(f, "%s unplaced%s: %s%s; %s for %zu of %zu eligible vacanc%s.\n", e->worker,
                where, first->n_held_out ? first->held_out[0].message : "not in the optimum",
                tie ? " (a tie)" : "", top, top_n, n_elig, n_elig == 1 ? "y" : "ies");
    } else if ((top = top_key(e, false, &top_n, &first)) != NULL)
        fprintf(f, "%s unplaced%s: eligible for none of %zu vacanc%s; most fail %s (%zu).\n",
                e->worker, where, n_inel, n_inel == 1 ? "y" : "ies", top, top_n);
    else
        fprintf(f, "%s unplaced%s: there is no vacancy to place it on.\n", e->worker, where);
    /* then the detail, grouped by reason */
    if (n_elig) {
        fprintf(f, "eligible, not placed (%zu), by what held them out:\n", n_elig);
        groups(f, e, true, "vacancy", "vacancies", all);
    }
    if (n_inel) {
        fprintf(f, "not eligible (%zu), by the first rule they fail:\n", n_inel);
        groups(f, e, false, "vacancy", "vacancies", all);
    }
}

static void text_vacancy(FILE *f, const clb_explanation_info *e, const char *where, bool all)
{
    size_t n_elig = count_pairs(e, true), top_n, msg_n;
    const clb_explain_pair *first = NULL;
    const char *top = top_key(e, true, &top_n, &first), *msg = top_message(e, &msg_n);

    /* the answer first, in one line */
    fprintf(f, "%s %d of %d filled%s", e->vacancy, e->filled, e->headcount, where);
    if (e->filled >= e->headcount)
        fputs(".\n", f);
    else if (msg)
        fprintf(f, ": %zu eligible worker%s not placed; %s, for %zu of them.\n", n_elig,
                n_elig == 1 ? "" : "s", msg, msg_n);
    else if (top)
        fprintf(f, ": %zu eligible worker%s not placed, %zu kept out by %s (%s).\n", n_elig,
                n_elig == 1 ? "" : "s", top_n, top,
                first->n_held_out ? first->held_out[0].message : "not in the optimum");
    else if (e->n_ineligible)
        fprintf(f, ": no eligible worker left; most fail %s (%u).\n", e->ineligible[0].rule,
                e->ineligible[0].count);
    else
        fputs(": no worker left to place.\n", f);
    for (size_t i = 0; i < e->n_placed && (all || i < GROUP_LINES); i++)
        fprintf(f, "%s %s %.10g", i ? "," : "placed:", e->placed[i].id, e->placed[i].value);
    if (!all && e->n_placed > GROUP_LINES)
        fprintf(f, " ... and %zu more (--all lists them)", e->n_placed - GROUP_LINES);
    if (e->n_placed)
        fputc('\n', f);
    if (e->filled < e->headcount && n_elig) {
        fprintf(f, "eligible workers not placed here (%zu), by what held them out:\n", n_elig);
        groups(f, e, true, "worker", "workers", all);
    }
    fputs("workers failing eligibility rules:", f);
    for (size_t i = 0; i < e->n_ineligible; i++)
        fprintf(f, " %s %u%s", e->ineligible[i].rule, e->ineligible[i].count,
                i + 1 < e->n_ineligible ? "," : "");
    if (!e->n_ineligible)
        fputs(" none", f);
    fputs(" (a worker may fail several)\n", f);
}

/* Lay the explanation out (sentences or JSON) and print it. Returns an exit code. */
static int explain_print(const clb_explanation *explanation, bool json, bool all)
{
    const clb_explanation_info *e = clb_explanation_get(explanation);
    clb_buf out = CLB_BUF_INIT;
    char where[64] = "";
    FILE *f = open_memstream(&out.ptr, &out.size);
    int rc;

    if (!f) {
        cli_error("out of memory");
        return CLB_EXIT_RUNTIME;
    }
    if (e->round > 0)
        snprintf(where, sizeof(where), " in round %ld", e->round);
    if (json && e->worker)
        json_worker(f, e);
    else if (json)
        json_vacancy(f, e);
    else if (e->worker)
        text_worker(f, e, where, all);
    else
        text_vacancy(f, e, where, all);
    if (ferror(f) | fclose(f)) {
        free(out.ptr);
        cli_error("out of memory");
        return CLB_EXIT_RUNTIME;
    }
    rc = cli_db_print(&out);
    free(out.ptr);
    return rc;
}

int cmd_explain(int argc, char **argv)
{
    const char *db = NULL, *worker = NULL, *vacancy = NULL;
    long round = 0;
    bool json = false, all = false;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
        {.long_name = "all", .type = CLI_OPT_FLAG, .value = &all,
         .help = "list every pair of a group (default: the first 20)"},
        {.long_name = "round", .type = CLI_OPT_LONG, .value = &round, .arg_name = "N",
         .min = 1, .max = 1e15, .help = "the round (default: the latest)"},
        {.long_name = "worker", .type = CLI_OPT_STRING, .value = &worker, .arg_name = "W",
         .help = "explain worker W"},
        {.long_name = "vacancy", .type = CLI_OPT_STRING, .value = &vacancy, .arg_name = "V",
         .help = "explain vacancy V"},
        {0},
    };
    const cli_command spec = {
        .name = "explain",
        .usage = "[--round N] (--worker W | --vacancy V) [options]",
        .summary = "Explain why a worker is unplaced or a vacancy unfilled.",
        .description =
            "For a worker: each vacancy's failed eligibility rules by reason code (age,\n"
            "country, availability, skills, experience, training, home_time, stay,\n"
            "banned, ban, excluded); for an eligible pair left out, what held it out:\n"
            "vacancy_full (naming the workers who hold it and their values), quota_max,\n"
            "housing_full, training_full, stay_limit, conflict (another placement),\n"
            "max_placements, no_reintegration_seat, or objective (no hard limit: the\n"
            "optimum is better without it). For a vacancy: who holds it, and for each\n"
            "eligible candidate what held them out; ineligible workers counted by rule.\n"
            "\n"
            "The first line answers (who holds the worker or the places, or the most\n"
            "common reason, with its numbers); then the detail grouped by reason with\n"
            "counts, at most 20 lines a group unless --all. A vacancy_full whose last\n"
            "holder has the same value as the worker is called a tie.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown round,\n"
                  "worker or vacancy.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_explanation *explanation = NULL;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if ((worker != NULL) == (vacancy != NULL)) {
        cli_error("explain: give --worker W or --vacancy V (one of them)");
        return CLB_EXIT_USAGE;
    }
    if ((rc = cli_db_open(&st, db, NULL, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    error = clb_store_explain(&explanation, st, round, worker, vacancy, &err);
    rc = error < 0 ? cli_db_fail(error, &err) : explain_print(explanation, json, all);
    clb_explanation_free(explanation);
    clb_store_close(st);
    return rc;
}
