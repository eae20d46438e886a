#ifndef COPENSSL_H
#define COPENSSL_H
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

// Fixed-signature helpers so Swift never touches OpenSSL's macros or context lifetimes.
// out must hold 32 bytes. Return 1 on success, 0 on failure.
int copenssl_sha256(const void *data, size_t length, uint8_t *out);
// out must hold 20 bytes (the SSO token cache names its files by SHA-1, as the AWS CLI does).
int copenssl_sha1(const void *data, size_t length, uint8_t *out);
int copenssl_hmac_sha256(const void *key, size_t keyLength, const void *data, size_t length, uint8_t *out);

#endif
