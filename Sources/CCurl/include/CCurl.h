#ifndef CCURL_H
#define CCURL_H
#include <curl/curl.h>
#include <stdint.h>

// Non-variadic wrappers: Swift cannot call C variadic functions such as curl_easy_setopt.

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_ptr(CURL *handle, CURLoption option, const void *value);
CURLcode ccurl_easy_setopt_int64(CURL *handle, CURLoption option, int64_t value);
CURLcode ccurl_easy_setopt_func(CURL *handle, CURLoption option, ccurl_data_callback value);

CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);
CURLSHcode ccurl_share_setopt_long(CURLSH *handle, CURLSHoption option, long value);

// curl_multi_info_read's message carries a union; this returns 1 for a finished transfer and fills its handle/result.
int ccurl_msg_done(CURLMsg *msg, CURL **easy, CURLcode *result);

#endif
