// Typed shims over libcurl's variadic and macro-only API, for the CurlHTTP target only.
//
// Swift cannot call C variadic functions such as curl_easy_setopt, and does not import
// function-like or cast macros such as CURLAUTH_BASIC, so each use gets a typed wrapper here.
#ifndef TENANTSYNC_CCURL_SHIM_H
#define TENANTSYNC_CCURL_SHIM_H

#include <curl/curl.h>

// MARK: - Global

static inline CURLcode tenantsync_curl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline long tenantsync_curlauth_basic(void) {
    return (long)CURLAUTH_BASIC;
}

static inline size_t tenantsync_curl_error_size(void) {
    return CURL_ERROR_SIZE;
}

// MARK: - curl_easy_setopt

static inline CURLcode tenantsync_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tenantsync_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// libcurl copies string options (since 7.17), except CURLOPT_POSTFIELDS, which uses the pointer as is.
static inline CURLcode tenantsync_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tenantsync_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tenantsync_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION, which share the signature.
static inline CURLcode tenantsync_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

// MARK: - curl_easy_getinfo

static inline CURLcode tenantsync_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// The string stays owned by the handle; copy it before the next request or cleanup.
static inline CURLcode tenantsync_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

// MARK: - curl_multi

static inline CURLMcode tenantsync_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The result of a CURLMSG_DONE message (an anonymous union member in C).
static inline CURLcode tenantsync_curlmsg_result(const CURLMsg *message) {
    return message->data.result;
}

#endif
