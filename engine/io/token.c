/*
 * token.c - employer tokens: random ids and secrets, SHA-256 of secrets, constant-
 * time comparison (token.h has the format).
 *
 * The only file that includes sodium.h: libsodium supplies the randomness (the
 * kernel's CSPRNG), the hash, the base64url codec and the constant-time compare, so
 * that no cryptographic code is written here.
 */
#include "io/token.h"

#include <string.h>

#include <sodium.h>

#include "util/util.h"

static int start(clb_error *err)
{
    /* sodium_init is thread-safe and idempotent: 0 first time, 1 afterwards */
    if (sodium_init() < 0)
        return clb__error_set(err, CLB_EINTERNAL, "the crypto library could not start");
    return 0;
}

static void hash_hex(char *out, const char *secret, size_t len)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)secret, len);
    sodium_bin2hex(out, CLB_TOKEN_HASH_LEN + 1, digest, sizeof(digest));
    sodium_memzero(digest, sizeof(digest));
}

int clb__token_new(char *id, char *token, char *hash, clb_error *err)
{
    unsigned char raw_id[CLB_TOKEN_ID_LEN / 2], raw_secret[32];
    char secret[CLB_TOKEN_SECRET_LEN + 1];
    int error;
    if ((error = start(err)) < 0)
        return error;
    randombytes_buf(raw_id, sizeof(raw_id));
    randombytes_buf(raw_secret, sizeof(raw_secret));
    sodium_bin2hex(id, CLB_TOKEN_ID_LEN + 1, raw_id, sizeof(raw_id));
    sodium_bin2base64(secret, sizeof(secret), raw_secret, sizeof(raw_secret),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    memcpy(token, id, CLB_TOKEN_ID_LEN);
    token[CLB_TOKEN_ID_LEN] = '.';
    memcpy(token + CLB_TOKEN_ID_LEN + 1, secret, CLB_TOKEN_SECRET_LEN + 1);
    hash_hex(hash, secret, CLB_TOKEN_SECRET_LEN);
    sodium_memzero(raw_secret, sizeof(raw_secret));
    sodium_memzero(secret, sizeof(secret));
    return 0;
}

bool clb__token_parse(char *id, char *hash, const char *token)
{
    size_t n = token ? strlen(token) : 0;
    if (n != CLB_TOKEN_LEN || token[CLB_TOKEN_ID_LEN] != '.' || start(NULL) < 0)
        return false;
    for (size_t i = 0; i < CLB_TOKEN_ID_LEN; i++)
        if (!strchr("0123456789abcdef", token[i]))
            return false;
    for (size_t i = CLB_TOKEN_ID_LEN + 1; i < n; i++) {
        char c = token[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    memcpy(id, token, CLB_TOKEN_ID_LEN);
    id[CLB_TOKEN_ID_LEN] = '\0';
    hash_hex(hash, token + CLB_TOKEN_ID_LEN + 1, CLB_TOKEN_SECRET_LEN);
    return true;
}

bool clb__token_hash_equal(const char *a, const char *b)
{
    if (strlen(a) != CLB_TOKEN_HASH_LEN || strlen(b) != CLB_TOKEN_HASH_LEN)
        return false;
    return sodium_memcmp(a, b, CLB_TOKEN_HASH_LEN) == 0;
}

int clb__token_random_url(char *out, size_t n_bytes, size_t out_size)
{
    unsigned char raw[64];
    if (n_bytes > sizeof(raw) ||
        out_size < sodium_base64_ENCODED_LEN(n_bytes,
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
        start(NULL) < 0)
        return CLB_EINTERNAL;
    randombytes_buf(raw, n_bytes);
    sodium_bin2base64(out, out_size, raw, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return 0;
}

int clb__token_mac(char *out, size_t out_size, const char *key, const char *msg)
{
    unsigned char k[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
    if (start(NULL) < 0 ||
        out_size < sodium_base64_ENCODED_LEN(sizeof(mac),
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return CLB_EINTERNAL;
    crypto_hash_sha256(k, (const unsigned char *)key, strlen(key));
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), k);
    sodium_bin2base64(out, out_size, mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(k, sizeof(k));
    return 0;
}

bool clb__token_text_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return false;
    return sodium_memcmp(a, b, n) == 0;
}
