#ifndef QCOWSCOPE_CCURL_SHIM_H
#define QCOWSCOPE_CCURL_SHIM_H
#include <curl/curl.h>

/// `curl_easy_setopt` and `curl_easy_getinfo` are variadic; Swift cannot call them. One typed
/// wrapper per argument type libcurl documents for the options qcowscope sets.
static inline CURLcode qs_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qs_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qs_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode qs_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }

typedef size_t (*qs_data_fn)(char *data, size_t size, size_t count, void *user);
static inline CURLcode qs_setopt_fn(CURL *h, CURLoption o, qs_data_fn f) { return curl_easy_setopt(h, o, f); }

static inline long qs_info_long(CURL *h, CURLINFO i) {
    long v = 0;
    return curl_easy_getinfo(h, i, &v) == CURLE_OK ? v : -1;
}
static inline curl_off_t qs_info_off(CURL *h, CURLINFO i) {
    curl_off_t v = -1;
    return curl_easy_getinfo(h, i, &v) == CURLE_OK ? v : -1;
}
static inline const char *qs_info_str(CURL *h, CURLINFO i) {
    char *v = 0;
    return curl_easy_getinfo(h, i, &v) == CURLE_OK ? v : 0;
}
static inline void *qs_info_private(CURL *h) {
    char *v = 0;
    return curl_easy_getinfo(h, CURLINFO_PRIVATE, &v) == CURLE_OK ? (void *)v : 0;
}

/// `curl_multi_setopt` is variadic too.
static inline CURLMcode qs_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

/// The fields of a `CURLMsg` (its `data` is a union).
static inline int qs_msg_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURLcode qs_msg_result(const CURLMsg *m) { return m->data.result; }
#endif
