#!/usr/bin/env bash
# Proves that the HTTP API keeps its contract, Sources/SupervisorCore/Observability/openapi.json:
#  1. the document validates as OpenAPI 3.1 (openapi-spec-validator);
#  2. a real supervisor syncing the demo upstream serves it byte for byte at /openapi.json, and the same
#     document as YAML at /openapi.yaml;
#  3. schemathesis sends generated requests to every documented operation and fails on any 5xx, any
#     response whose body, content type or headers do not match the document, or any status it does not
#     list. (Routes missing from the document are caught by OpenAPIDocumentTests in the Swift suite.)
# Installs what it needs (python3-venv, then schemathesis from PyPI into a throwaway virtual environment)
# and runs in a network namespace of its own when root, so nothing generated can reach another machine.
# CONFORMANCE_EXAMPLES (default 20) bounds the examples per operation; CONFORMANCE_SEED changes the fixed
# seed (so CI is repeatable); CONFORMANCE_ALLOW_X00=false keeps NUL bytes out of generated strings.
source "$(dirname "$0")/lib.sh"
source "$REPO_ROOT/scripts/e2e/stack.sh"

if [ -z "${E2E_IN_NETNS:-}" ]; then
  ensure_packages
  ensure_built
  ensure_e2e_venv
fi
isolate_network "$0" "$@"
ensure_built
ensure_e2e_venv

document="$REPO_ROOT/Sources/SupervisorCore/Observability/openapi.json"
prepare_e2e_folders conformance
output="$E2E_OUTPUT"
work="$E2E_WORK"

log "validating the document as OpenAPI 3.1"
"$E2E_VENV/bin/openapi-spec-validator" "$document"

# Callbacks go to a loopback port nobody listens on: deliveries fail and retry, which the
# deliveries route then shows.
start_demo_stack "$work" tenantsync_conformance "http://127.0.0.1:$(free_port)/callback" \
  --sites hotel-a,hotel-b,hotel-c --accommodations 6 --bookings 40

log "a first sync-all, so runs, deliveries and logs have content"
curl -fsS -X POST -H "X-API-KEY: $TENANTSYNC_API_KEY" "$E2E_URL/api/sync?background=false" >"$output/first-run.json"
curl -fsS -X POST -H "X-API-KEY: $TENANTSYNC_API_KEY" "$E2E_URL/api/tenants/hotel-b/sync?full=true&background=false" >"$output/second-run.json"
# The run operations are also tried with these real ids (see scripts/e2e/schemathesis_hooks.py).
CONFORMANCE_RUN_IDS="$("$E2E_PYTHON" -c 'import json, sys; print(",".join(json.load(open(p))["run_id"] for p in sys.argv[1:]))' \
  "$output/first-run.json" "$output/second-run.json")"
export CONFORMANCE_RUN_IDS

log "checking the served document and its YAML form"
"$E2E_PYTHON" - "$document" "$E2E_URL" <<'PY'
import json, sys, urllib.request, yaml
path, base = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    shipped = f.read()
def get(route):
    with urllib.request.urlopen(base + route) as response:
        return response.headers.get("Content-Type"), response.read()
kind, served = get("/openapi.json")
assert kind.startswith("application/json"), kind
assert served == shipped, "/openapi.json differs from the file in the repository"
kind, text = get("/openapi.yaml")
assert kind.startswith("application/yaml"), kind
assert yaml.safe_load(text) == json.loads(shipped), "/openapi.yaml is not the same document as /openapi.json"
print("served document: OK (JSON identical, YAML equal)")
PY

log "checking a followed log stream"
curl -sS -m 2 -D "$work/follow.headers" -o "$work/follow.body" -H "X-API-KEY: $TENANTSYNC_API_KEY" \
  "$E2E_URL/api/logs?follow=true&lines=5" || true
grep -qi '^HTTP/1.1 200' "$work/follow.headers" || die "GET /api/logs?follow=true did not answer 200"
grep -qi '^content-type: text/event-stream' "$work/follow.headers" || die "GET /api/logs?follow=true is not text/event-stream"
grep -q '^event: log' "$work/follow.body" || die "GET /api/logs?follow=true sent no log event"

log "schemathesis: ${CONFORMANCE_EXAMPLES:-20} examples per operation"
cd "$work" # schemathesis keeps a cache in its working directory
started=$SECONDS
SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$REPO_ROOT/scripts/e2e" HYPOTHESIS_STORAGE_DIRECTORY="$work/.hypothesis" \
  "$E2E_VENV/bin/schemathesis" --no-color --config-file "$REPO_ROOT/scripts/e2e/schemathesis.toml" run "$document" \
  --url "$E2E_URL" \
  --header "X-API-KEY: $TENANTSYNC_API_KEY" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${CONFORMANCE_EXAMPLES:-20}" \
  --seed "${CONFORMANCE_SEED:-20251016}" \
  --request-timeout 60 \
  --generation-database none \
  --generation-allow-x00 "${CONFORMANCE_ALLOW_X00:-true}" \
  --workers 2 \
  --report junit --report-dir "$output" \
  2>&1 | tee "$output/schemathesis.txt"
status=${PIPESTATUS[0]}
log "schemathesis took $((SECONDS - started)) s (report: $output)"
[ "$status" -eq 0 ] || die "the API does not conform to its OpenAPI document (see above)"
log "conformance: OK"
