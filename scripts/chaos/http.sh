# Bad HTTP for scripts/chaos.sh: every answer must be a JSON error or a success, never a 5xx with an empty
# body, never a secret; refusals must be refusals. Sourced after scripts/chaos/helpers.sh.

HTTP_TRIED=0
HTTP_LOST=0

# probe WANT KEY METHOD PATH [BODY_FILE]: one request with KEY (`all`, `scoped` or `none`). WANT is the
# status class the answer must have (`4xx`, `403`, `413`, `any`); a 5xx with an empty body, a secret in
# the answer or another status class counts as lost.
probe() {
  local want="$1" key="$2" method="$3" path="$4" body="${5:-}" status headers=() lost=""
  case "$key" in
    all) headers=(-H "X-API-KEY: $TENANTSYNC_API_KEY") ;;
    scoped) headers=(-H "X-API-KEY: $CHAOS_SCOPED_KEY") ;;
    none) headers=() ;;
  esac
  [ -z "$body" ] || headers+=(-H "Content-Type: application/json" --data-binary "@$body")
  status=$(curl -s -o "$WORK/answer" -w '%{http_code}' --max-time 60 -X "$method" "${headers[@]}" "$MAIN_URL$path" || echo 000)
  HTTP_TRIED=$((HTTP_TRIED + 1))
  if [ "${status:0:1}" = 5 ] && [ ! -s "$WORK/answer" ]; then lost="a $status with an empty body"; fi
  if [ "$status" = 000 ]; then lost="no answer"; fi
  if contains_secret "$WORK/answer"; then lost="a secret in the answer"; fi
  case "$want" in
    any) ;;
    4xx) [ "${status:0:1}" = 4 ] || lost="${lost:-status $status, not 4xx}" ;;
    *) [ "$status" = "$want" ] || lost="${lost:-status $status, not $want}" ;;
  esac
  if [ "$want" = 413 ] && [ -z "$lost" ] && ! jq -e '.error.code == "payload_too_large"' "$WORK/answer" >/dev/null 2>&1; then
    lost="a 413 without its JSON body"
  fi
  if [ -n "$lost" ]; then
    HTTP_LOST=$((HTTP_LOST + 1))
    log "HTTP $method $path ($key key): $lost"
  fi
}

# body NAME CONTENT: writes a request body to a file and prints its path.
body() { printf '%s' "$2" >"$WORK/body-$1"; echo "$WORK/body-$1"; }

bad_http() {
  log "bad HTTP requests"
  local big long
  big="$WORK/body-big"
  head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' 'a' | sed 's/^/{"tenants": "/; s/$/"}/' >"$big"
  long=$(head -c 300 /dev/zero | tr '\0' 'x')
  # Malformed JSON, wrong types, 20 MB bodies.
  probe 4xx all PUT /api/tenants/chaos-new "$(body truncated '{"id": "chaos-new", "connector":')"
  probe 413 all POST /api/tenants/reload "$big"
  probe 4xx all POST /api/tenants/reload "$(body wrong-type '{"tenants": "all of them"}')"
  probe 4xx all PUT /api/tenants/chaos-1 "$(body wrong-types '{"id": 7, "connector": [], "settings": "none"}')"
  if [ "$CHAOS" = full ]; then
    probe 4xx all POST /api/tenants/reload "$(body garbage '{{{{')"
    probe 4xx all PUT /api/tenants/chaos-new "$(body array '[1, 2, 3]')"
    probe 4xx all PUT /api/tenants/chaos-new "$(body settings-object '{"id": "chaos-new", "connector": "motopress", "settings": {"per_page": {"a": 1}}}')"
    # A connector the worker does not know is its to refuse: the tenant is added, its worker stops `errored`
    # with the reason. Removed again, which drops its database role.
    probe any all PUT /api/tenants/chaos-new "$(body unknown-connector '{"id": "chaos-new", "connector": "nope", "settings": {}}')"
    probe 200 all DELETE /api/tenants/chaos-new
    probe 4xx all PUT /api/tenants/chaos-new "$(body nul $'{"id": "chaos-new\\u0000", "connector": "motopress"}')"
    probe 413 all PUT /api/tenants/chaos-new "$big"
    probe 413 all POST /api/sync "$big"
    probe 4xx all POST "/api/sync?full=maybe"
    probe 4xx all POST "/api/sync?start_date=2024-13-45"
    probe 4xx all POST "/api/sync?start_date=2024-05-01&end_date=2024-04-01"
    probe 4xx all POST "/api/sync?background=perhaps"
    probe 4xx all GET "/api/runs?limit=abc"
    probe 4xx all GET "/api/runs?limit=-1"
    probe 4xx all GET "/api/runs?status=bogus"
    probe 4xx all GET "/api/runs/run_x/events" "" 
    probe 4xx all GET "/api/tenants/chaos-1/logs?lines=abc"
  fi
  # Odd tenant and run ids.
  probe 4xx all GET "/api/runs?tenant=%00"
  if [ "$CHAOS" = full ]; then
    probe 4xx all GET "/api/tenants/%00"
    probe 4xx all GET "/api/tenants/..%2F..%2Fetc%2Fpasswd"
    probe 4xx all GET "/api/tenants/$long"
    probe 4xx all GET "/api/tenants/%F0%9F%92%A5"
    probe 4xx all POST "/api/tenants/%00/sync"
    probe 4xx all POST "/api/tenants/$long/kill"
    probe 4xx all GET "/api/runs/%27%3B%20DROP%20TABLE%20sync_runs%3B--"
    probe 4xx all POST "/api/runs/%00/cancel"
    probe 4xx all GET "/api/runs?tenant=$long"
    probe 4xx all DELETE "/api/tenants/%2E%2E"
  fi
  # A key scoped to chaos-2, on other tenants and on the routes that change the tenant set; no key at all.
  probe 403 scoped POST /api/tenants/chaos-1/sync
  probe 401 none GET /api/tenants
  if [ "$CHAOS" = full ]; then
    probe 403 scoped GET /api/tenants/chaos-1
    probe 403 scoped POST /api/tenants/chaos-1/kill
    probe 403 scoped POST /api/tenants/chaos-3/stop
    probe 403 scoped GET "/api/runs?tenant=chaos-1"
    probe 403 scoped GET /api/tenants/chaos-1/logs
    probe 403 scoped POST /api/sync
    probe 403 scoped PUT /api/tenants/chaos-9 "$(body scoped-put '{"id": "chaos-9", "connector": "motopress", "settings": {}}')"
    probe 403 scoped DELETE /api/tenants/chaos-1
    probe 403 scoped POST /api/tenants/reload "$(body scoped-reload '{"tenants": []}')"
    probe 401 none POST /api/sync
    probe any scoped GET /api/tenants
    probe any scoped POST /api/tenants/chaos-2/sync
  fi
  record "bad HTTP requests (5xx with an empty body, secrets, wrong refusals)" "$HTTP_TRIED" "$((HTTP_TRIED - HTTP_LOST))" "$HTTP_LOST"
  slow_connections
}

# Connections that send half their headers and then nothing: the server must cut each after its
# idle timeout (2 s here) while it goes on answering others.
slow_connections() {
  local i fds=() fd lost=0
  log "$SLOW_CONNECTIONS slow connections"
  local port="${MAIN_URL##*:}"
  for i in $(seq 1 "$SLOW_CONNECTIONS"); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET /api/tenants HTTP/1.1\r\nHost: chaos\r\n' >&"$fd"
    fds+=("$fd")
  done
  curl -sf --max-time 5 "$MAIN_URL/health" >/dev/null || { lost=$((lost + 1)); log "/health did not answer while slow connections were open"; }
  for fd in "${fds[@]}"; do
    # The server closed it within the deadline if reading reaches the end of the stream.
    if ! timeout 10 cat <&"$fd" >/dev/null 2>&1; then lost=$((lost + 1)); fi
    exec {fd}>&-
  done
  record "slow connections (cut by the idle timeout, API still answering)" "$SLOW_CONNECTIONS" "$((SLOW_CONNECTIONS - lost))" "$lost"
}
