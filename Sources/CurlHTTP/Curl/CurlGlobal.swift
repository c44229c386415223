import CCurl

/// Process-wide libcurl initialisation, run exactly once before the first handle is made.
enum CurlGlobal {
    /// The `curl_global_init` result, as a raw `CURLcode`; a Swift static `let` is initialised lazily and exactly once.
    private static let initResult: UInt32 = tenantsync_curl_global_init_default().rawValue

    /// Runs `curl_global_init(CURL_GLOBAL_DEFAULT)` on first use and returns its result every time.
    static func initialize() -> CURLcode {
        CURLcode(rawValue: initResult)
    }
}
