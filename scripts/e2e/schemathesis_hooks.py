"""Schemathesis hooks for scripts/conformance.sh.

- Tenants the fuzzer adds or changes (PUT and PATCH /api/tenants/{tenant}, POST /api/tenants/reload) point
  at a closed loopback port and get no callback URLs, so no generated URL can make the supervisor or a worker send anything
  off this machine (the script also runs in a network namespace of its own when it can).
- A PUT's body gets the tenant id of its path for about half of the ids, so that generated tenants are also
  accepted and the operations linked from PUT reach a tenant that exists.
- Run operations get the id of a real run (CONFORMANCE_RUN_IDS) for about half of the generated ids, so
  they answer about runs that exist as well as with 404.
- Works around CPython 3.11's `SystemError: AST constructor recursion depth mismatch` (fixed in 3.11.8),
  which Hypothesis can hit while only describing a filter for its own reports.
"""

import schemathesis
from hypothesis.internal import lambda_sources

import os

CLOSED_LOOPBACK = "http://127.0.0.1:9"
RUN_OPERATIONS = {"getRun", "cancelRun", "followRunEvents", "listRunDeliveries"}
REAL_RUN_IDS = [run for run in os.environ.get("CONFORMANCE_RUN_IDS", "").split(",") if run]

_describe_lambda = lambda_sources.lambda_description


def _lambda_description(function):
    try:
        return _describe_lambda(function)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources.lambda_description = _lambda_description


def _operation_id(context):
    operation = getattr(context, "operation", None)
    definition = getattr(operation, "definition", None)
    raw = getattr(definition, "raw", None)
    return raw.get("operationId") if isinstance(raw, dict) else None


def _tame_tenant(tenant, patch=False):
    if not isinstance(tenant, dict):
        return tenant
    tenant = dict(tenant)
    tenant.pop("webhook_urls", None)
    settings = tenant.get("settings")
    if isinstance(settings, dict):
        settings = {key: value for key, value in settings.items() if "url" not in str(key).lower()}
        settings["base_url"] = CLOSED_LOOPBACK
        tenant["settings"] = settings
    elif patch and "settings" in tenant:
        # A merge patch that replaces the settings whole keeps the closed port too.
        tenant["settings"] = {"base_url": CLOSED_LOOPBACK}
    return tenant


@schemathesis.hook
def map_case(context, case):
    operation_id = _operation_id(context)
    if operation_id == "putTenant":
        body = _tame_tenant(case.body)
        tenant = (case.path_parameters or {}).get("tenant")
        if isinstance(body, dict) and isinstance(tenant, str) and sum(map(ord, tenant)) % 2 == 0:
            body["id"] = tenant
        case.body = body
    elif operation_id == "patchTenant":
        case.body = _tame_tenant(case.body, patch=True)
    elif operation_id in RUN_OPERATIONS and REAL_RUN_IDS:
        run = (case.path_parameters or {}).get("run")
        if isinstance(run, str) and sum(map(ord, run)) % 2 == 0:
            case.path_parameters = dict(case.path_parameters, run=REAL_RUN_IDS[len(run) % len(REAL_RUN_IDS)])
    elif operation_id == "reloadTenants" and isinstance(case.body, dict) and isinstance(case.body.get("tenants"), list):
        case.body = dict(case.body, tenants=[_tame_tenant(tenant) for tenant in case.body["tenants"]])
    return case
