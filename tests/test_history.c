/*
 * test_history.c - the season roll-forward and the year shift (rules/history.c), the
 * one rule the store's season close and the planners' simulation apply: each field of
 * docs/DATABASE.md §6 on its own, a ban never shortened, a return date kept when the
 * season records none, a leap day shifted to the 28th.
 */
#include "harness.h"
#include "rules/history.h"

static clb_date day(const char *s)
{
    clb_date d = CLB_DATE_NONE;
    clb__date_parse(&d, s);
    return d;
}

/* A returned worker: campaigns + 1, returned, the latest employer and its return,
 * days abroad back to 0, the ban as it was. */
static void test_returned(void)
{
    clb__history h = {2, false, "E1", day("2025-09-30"), 120, day("2024-01-01")};
    clb__season_outcome o = {true, false, "E7", day("2026-10-15")};
    clb__history_roll(&h, &o, day("2026-11-30"), 730);
    CHECK_INT(h.campaigns, 3);
    CHECK(h.returned);
    CHECK_STR(h.last_employer, "E7");
    CHECK_INT(h.last_return, day("2026-10-15"));
    CHECK_INT(h.days_abroad, 0);
    CHECK_INT(h.banned_until, day("2024-01-01"));
}

/* A worker who did not return: banned until close + no_return_ban_days, not returned;
 * a longer ban stands; with no return date recorded, the last return stands. */
static void test_not_returned(void)
{
    clb__history h = {0, true, NULL, day("2025-09-30"), 0, CLB_DATE_NONE};
    clb__season_outcome o = {false, true, "E2", CLB_DATE_NONE};
    clb__history_roll(&h, &o, day("2026-11-30"), 730);
    CHECK_INT(h.campaigns, 1);
    CHECK(!h.returned);
    CHECK_STR(h.last_employer, "E2");
    CHECK_INT(h.last_return, day("2025-09-30"));
    CHECK_INT(h.banned_until, day("2026-11-30") + 730);

    h.banned_until = day("2040-01-01");
    clb__history_roll(&h, &o, day("2027-11-30"), 730);
    CHECK_INT(h.banned_until, day("2040-01-01"));
    CHECK_INT(h.campaigns, 2);
}

/* Some placements returned, one did not: not returned, and banned. */
static void test_mixed(void)
{
    clb__history h = {1, true, "E1", CLB_DATE_NONE, 30, CLB_DATE_NONE};
    clb__season_outcome o = {false, true, "E3", day("2026-08-31")};
    clb__history_roll(&h, &o, day("2026-12-01"), 10);
    CHECK(!h.returned);
    CHECK_INT(h.last_return, day("2026-08-31"));
    CHECK_INT(h.banned_until, day("2026-12-11"));
    CHECK_INT(h.days_abroad, 0);
}

static void test_shift(void)
{
    CHECK_INT(clb__history_shift_years(day("2026-03-15"), 1), day("2027-03-15"));
    CHECK_INT(clb__history_shift_years(day("2028-02-29"), 1), day("2029-02-28"));
    CHECK_INT(clb__history_shift_years(day("2028-02-29"), 4), day("2032-02-28"));
    CHECK_INT(clb__history_shift_years(day("2026-12-31"), 3), day("2029-12-31"));
    CHECK_INT(clb__history_shift_years(CLB_DATE_NONE, 2), CLB_DATE_NONE);
}

int main(void)
{
    test_returned();
    test_not_returned();
    test_mixed();
    test_shift();
    return clb_test_finish();
}
