#ifndef COPENSSL_H
#define COPENSSL_H
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#endif
