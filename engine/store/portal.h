/*
 * portal.h - the store's side of the employer portal: token checks and the
 * reads and writes the server makes for one employer (implemented in
 * portal.c, with the token admin functions of include/circulab/portal.h).
 *
 * Every function takes the employer the token belongs to and touches only that
 * employer's rows; another employer's vacancy is "not found", as if it did not exist.
 */
#ifndef CLB_STORE_PORTAL_H
#define CLB_STORE_PORTAL_H

#include "circulab/portal.h"

typedef struct clb__portal_who {
    char token_id[24];
    char employer[72];
    char label[72];
} clb__portal_who;

/* Check a presented token. Returns 0 with *who filled, CLB_ENOTFOUND (no such token,
 * wrong secret, revoked), CLB_EDB. For a request that changes something (`changes`),
 * records the day of use at most once a day per token, best effort: never waits for a
 * writer and never fails the request. A read records nothing: a GET never writes. */
int clb__portal_auth(clb__portal_who *who, clb_store *st, const char *token, bool changes,
                     clb_error *err);

/* Append the stored policy document (nothing when none is stored), so that offers
 * are validated under the rules the rounds will read them with
 * (engine/offers/validate.c). */
int clb__store_policy_json(clb_buf *out, clb_store *st, clb_error *err);

/* The employer's record (with its sites) as JSON. */
int clb__portal_employer_json(clb_buf *out, clb_store *st, const char *employer,
                              clb_error *err);

/* A circulab-offers/1 document of the employer's vacancies, all states: each with
 * "status" and "x-fill": {"proposed", "confirmed", "departed"} (the open season's
 * latest round). */
int clb__portal_vacancies_json(clb_buf *out, clb_store *st, const char *employer,
                               clb_error *err);

/* One vacancy of the employer as a record (with "status"); CLB_ENOTFOUND when it is
 * not the employer's. */
int clb__portal_vacancy_json(clb_buf *out, clb_store *st, const char *employer,
                             const char *id, clb_error *err);

/* The employer owning vacancy `id` into `owner`; CLB_ENOTFOUND when none. */
int clb__portal_vacancy_owner(clb_buf *owner, clb_store *st, const char *id,
                              clb_error *err);

/* Inside the write transaction of a submission: the database's rules on the written
 * vacancies (headcount not below the confirmed placements, no withdrawal with
 * confirmed placements: CLB_ESTATE with the reason), then one audit row each. */
int clb__portal_after_write(clb_store *st, const char *const *ids, size_t n,
                            clb_error *err);

/* Withdraw the employer's vacancy (one transaction, audited). Returns 0,
 * CLB_ENOTFOUND, CLB_ESTATE (confirmed placements), CLB_EDB. */
int clb__portal_withdraw(clb_store *st, const char *employer, const char *id,
                         clb_error *err);

/* The employer's placements of the open season's latest round as a JSON array of
 * {id, vacancy, worker, state, start, end, site, training: [{session, course}],
 * name (from state confirmed on)}. */
int clb__portal_placements_json(clb_buf *out, clb_store *st, const char *employer,
                                clb_error *err);

#endif
