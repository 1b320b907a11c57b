/*
 * csv_format.c - `--delimiter` and `--date-format`, shared by the commands that read
 * CSV files (import, placement ... --csv).
 *
 * The words a user types ("tab", "DD/MM/YYYY") are turned into the store's setting
 * here, so each command only lists the two options and calls cli_csv_format.
 */
#include "db.h"

#include <string.h>

int cli_csv_format(clb_store *st, const char *command, const char *delimiter,
                   const char *date_format)
{
    char delim = 0;
    clb_date_order dates = CLB_DATES_ISO;
    clb_error err;

    if (delimiter) {
        if (!strcmp(delimiter, ",") || !strcmp(delimiter, ";"))
            delim = delimiter[0];
        else if (!strcmp(delimiter, "tab") || !strcmp(delimiter, "\t"))
            delim = '\t';
        else {
            cli_error("%s: --delimiter is ',', ';' or 'tab', not '%s'", command, delimiter);
            return CLB_EXIT_USAGE;
        }
    }
    if (date_format) {
        if (!strcmp(date_format, "DD/MM/YYYY"))
            dates = CLB_DATES_DMY;
        else if (!strcmp(date_format, "MM/DD/YYYY"))
            dates = CLB_DATES_MDY;
        else if (strcmp(date_format, "YYYY-MM-DD") != 0) {
            cli_error("%s: --date-format is YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY, not '%s'",
                      command, date_format);
            return CLB_EXIT_USAGE;
        }
    }
    clb_error_init(&err);
    if (clb_store_set_csv_format(st, delim, dates, &err) < 0) {
        cli_error("%s: %s", command, err.message);
        return CLB_EXIT_USAGE;
    }
    return CLB_EXIT_OK;
}
