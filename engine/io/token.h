/*
 * token.h - employer access tokens: generating them and checking a presented secret
 * against its stored hash (docs/PORTAL.md §8).
 *
 * A token is "ID.SECRET": ID is a public, random 16-hex-digit id by which the
 * database finds the token; SECRET is 256 random bits in unpadded base64url. Both
 * parts are URL-safe. The database keeps ID and the SHA-256 of SECRET, never SECRET:
 * a random 256-bit secret needs no slow password hash, and the digests are compared
 * in constant time.
 */
#ifndef CLB_TOKEN_H
#define CLB_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "circulab/common.h"

#define CLB_TOKEN_ID_LEN 16     /* hex digits */
#define CLB_TOKEN_SECRET_LEN 43 /* base64url characters of 32 bytes */
#define CLB_TOKEN_LEN (CLB_TOKEN_ID_LEN + 1 + CLB_TOKEN_SECRET_LEN)
#define CLB_TOKEN_HASH_LEN 64   /* hex digits of a SHA-256 digest */

/* A new token: id (CLB_TOKEN_ID_LEN + 1 bytes), the whole token (CLB_TOKEN_LEN + 1)
 * and the hex hash of its secret (CLB_TOKEN_HASH_LEN + 1). Returns 0 or
 * CLB_EINTERNAL (the crypto library could not start). */
int clb__token_new(char *id, char *token, char *hash, clb_error *err);

/* Split a presented token into its id (CLB_TOKEN_ID_LEN + 1 bytes) and the hex hash
 * of its secret. False when the text is not shaped as a token. */
bool clb__token_parse(char *id, char *hash, const char *token);

/* Compare two hex hashes in constant time. */
bool clb__token_hash_equal(const char *a, const char *b);

/* Random bytes from the crypto library (for CSRF tokens and the like). Returns 0 or
 * CLB_EINTERNAL. */
int clb__token_random_url(char *out, size_t n_bytes, size_t out_size);

/* HMAC-SHA-256 of msg under key (any text; hashed to the key size), base64url into
 * out (at least 44 bytes). Returns 0 or CLB_EINTERNAL. */
int clb__token_mac(char *out, size_t out_size, const char *key, const char *msg);

/* Compare two texts in constant time (for their contents; lengths are not secret). */
bool clb__token_text_equal(const char *a, const char *b);

#endif
