/*
 * cmd_explain.c - `circulab explain [--round N] (--worker W | --vacancy V)`: why a
 * worker is unplaced or a vacancy unfilled, in plain sentences or JSON.
 *
 * The explanation is computed from the exact inputs and plan the round stored, so it
 * stays true after the database has moved on.
 */
#include "db.h"

int cmd_explain(int argc, char **argv)
{
    const char *db = NULL, *worker = NULL, *vacancy = NULL;
    long round = 0;
    bool json = false;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
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
            "eligible candidate what held them out; ineligible workers counted by rule.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 unknown round,\n"
                  "worker or vacancy.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_buf out = CLB_BUF_INIT;
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
    error = clb_store_explain(&out, st, round, worker, vacancy, json ? CLB_EXPLAIN_JSON : 0,
                              &err);
    rc = error < 0 ? cli_db_fail(error, &err) : cli_db_print(&out);
    clb_buf_dispose(&out);
    clb_store_close(st);
    return rc;
}
