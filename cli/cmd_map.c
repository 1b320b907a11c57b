/*
 * cmd_map.c - `circulab map add | list | remove`: the agency's mapping tables, from
 * employers' own words to the codes the model matches on (region names to NUTS,
 * occupation texts to ISCO-08, organisation names to employer ids).
 */
#include "db.h"
#include "circulab/maps.h"

#include <string.h>

static const char *const KINDS[] = {"region", "occupation", "employer", NULL};

static int m_add(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_BY_OPTION(by), {0}};
    const cli_command spec = {
        .name = "map add",
        .usage = "region|occupation|employer TEXT TARGET [options]",
        .summary = "Map a text to a code.",
        .description =
            "TEXT is matched without regard to ASCII case and runs of spaces; a mapping\n"
            "of the same text is replaced. TARGET is a NUTS code for a region (ES615),\n"
            "isco:NNNN for an occupation, an employer id for an organisation name.\n"
            "Applied to vacancies submitted with `vacancy submit` and through the portal.\n"
            "examples:\n"
            "  circulab map add region Huelva ES615\n"
            "  circulab map add occupation 'Crop farm labourers' isco:9211\n"
            "  circulab map add employer 'Cooperativa Frutos Rojos SCA' E01",
        .options = options,
        .min_operands = 3,
        .max_operands = 3,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 a bad kind,\n"
                  "text or target.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_map_kind kind;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (!clb_map_kind_parse(&kind, ops.items[0])) {
        cli_error("unknown kind '%s': region, occupation or employer", ops.items[0]);
        return CLB_EXIT_USAGE;
    }
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    if ((error = clb_store_map_add(st, kind, ops.items[1], ops.items[2], &err)) < 0)
        rc = cli_db_fail(error, &err);
    else
        printf("%s '%s' -> %s\n", ops.items[0], ops.items[1], ops.items[2]);
    clb_store_close(st);
    return rc;
}

/* arg: the kind to list, or -1 for all */
static int list_fn(clb_buf *out, clb_store *st, const void *arg, unsigned flags,
                   clb_error *err)
{
    return clb_store_map_list(out, st, *(const int *)arg, flags, err);
}

static int m_list(int argc, char **argv)
{
    const char *db = NULL, *kind_name = NULL;
    bool json = false;
    const cli_option options[] = {
        CLI_DB_OPTION(db),
        CLI_JSON_OPTION(json),
        {.long_name = "kind", .type = CLI_OPT_CHOICE, .value = &kind_name, .arg_name = "K",
         .choices = KINDS, .help = "only this kind: region, occupation or employer"},
        {0},
    };
    const cli_command spec = {
        .name = "map list",
        .usage = "[--kind K] [options]",
        .summary = "List the mapping tables.",
        .description = "One line per mapping: KIND TEXT -> TARGET.",
        .options = options,
        .min_operands = 0,
        .max_operands = 0,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error.",
    };
    cli_operands ops;
    clb_map_kind kind;
    int rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    int only = kind_name && clb_map_kind_parse(&kind, kind_name) ? (int)kind : -1;
    return cli_db_run(db, NULL, list_fn, &only, json ? CLB_STORE_JSON : 0, NULL);
}

static int m_remove(int argc, char **argv)
{
    const char *db = NULL, *by = NULL;
    const cli_option options[] = {CLI_DB_OPTION(db), CLI_BY_OPTION(by), {0}};
    const cli_command spec = {
        .name = "map remove",
        .usage = "region|occupation|employer TEXT [options]",
        .summary = "Remove a mapping.",
        .description = "Records already stored keep the code they were mapped to.",
        .options = options,
        .min_operands = 2,
        .max_operands = 2,
        .epilog = "exit codes: 0 ok, 1 database failure, 2 usage error, 3 no such mapping.",
    };
    cli_operands ops;
    clb_store *st = NULL;
    clb_map_kind kind;
    clb_error err;
    int error, rc = cli_parse(&ops, &spec, argc, argv);

    if (rc != CLI_CONTINUE)
        return rc;
    if (!clb_map_kind_parse(&kind, ops.items[0])) {
        cli_error("unknown kind '%s': region, occupation or employer", ops.items[0]);
        return CLB_EXIT_USAGE;
    }
    if ((rc = cli_db_open(&st, db, by, false)) != CLB_EXIT_OK)
        return rc;
    clb_error_init(&err);
    if ((error = clb_store_map_remove(st, kind, ops.items[1], &err)) < 0)
        rc = cli_db_fail(error, &err);
    else
        printf("%s '%s' removed\n", ops.items[0], ops.items[1]);
    clb_store_close(st);
    return rc;
}

int cmd_map(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"add", m_add, "map a text to a code"},
        {"list", m_list, "list the mapping tables"},
        {"remove", m_remove, "remove a mapping"},
        {NULL, NULL, NULL},
    };
    static const cli_group group = {"map",
                                    "Mapping tables: region texts to NUTS, occupation texts "
                                    "to ISCO-08, organisation names to employer ids.",
                                    verbs};
    return cli_dispatch(&group, argc, argv);
}
