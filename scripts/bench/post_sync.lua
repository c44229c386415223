-- wrk: every request is a POST (or WRK_METHOD) with the API key from TENANTSYNC_API_KEY.
wrk.method = os.getenv("WRK_METHOD") or "POST"
wrk.headers["X-API-KEY"] = os.getenv("TENANTSYNC_API_KEY")
wrk.headers["Content-Length"] = "0"

-- Each connection waits WRK_DELAY_MS between requests, so N connections offer at most
-- N × 1000 / WRK_DELAY_MS requests/s: a fixed rate in all but name (wrk has no -R).
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
function delay()
  return pause
end

-- p50 and p99 in milliseconds, and requests/s, as one line the bench script parses.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("wrk-result p50_ms=%.3f p99_ms=%.3f requests_per_s=%.0f errors=%d non2xx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / seconds,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
