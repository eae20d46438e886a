#include "COpenSSL.h"

int copenssl_sha256(const void *data, size_t length, uint8_t *out) {
    unsigned int outLength = 0;
    return EVP_Digest(data, length, out, &outLength, EVP_sha256(), NULL) == 1 && outLength == 32;
}

int copenssl_hmac_sha256(const void *key, size_t keyLength, const void *data, size_t length, uint8_t *out) {
    unsigned int outLength = 0;
    return HMAC(EVP_sha256(), key, (int)keyLength, data, length, out, &outLength) != NULL && outLength == 32;
}

int copenssl_sha1(const void *data, size_t length, uint8_t *out) {
    unsigned int outLength = 0;
    return EVP_Digest(data, length, out, &outLength, EVP_sha1(), NULL) == 1 && outLength == 20;
}
