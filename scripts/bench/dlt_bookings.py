"""dlt's rest_api source loading one demo site's bookings into PostgreSQL with `merge`.

Usage: dlt_bookings.py API_ROOT CONSUMER_KEY CONSUMER_SECRET DATABASE_URL
API_ROOT is the MotoPress REST root (…/wp-json/mphb/v1). Prints one JSON line:
{"records": N, "seconds": S} where S covers extract, normalise and load.
"""
import json
import sys
import time

import dlt
from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator
from dlt.sources.rest_api import rest_api_source


class WordPressPaginator(PageNumberPaginator):
    """Page numbers from 1, stopping at the X-WP-TotalPages header WordPress sends."""

    def __init__(self) -> None:
        super().__init__(base_page=1, page_param="page", total_path=None, stop_after_empty_page=True)

    def update_state(self, response, data=None) -> None:
        total = response.headers.get("X-WP-TotalPages")
        if total is not None:
            self.maximum_value = int(total) + 1
        super().update_state(response, data)


def main() -> None:
    api_root, key, secret, database_url = sys.argv[1:5]
    source = rest_api_source({
        "client": {
            "base_url": api_root.rstrip("/") + "/",
            "auth": {"type": "http_basic", "username": key, "password": secret},
            "paginator": WordPressPaginator(),
        },
        "resource_defaults": {
            "primary_key": "id",
            "write_disposition": "merge",
            "endpoint": {"params": {"per_page": 100}},
        },
        "resources": [{"name": "bookings", "endpoint": {"path": "bookings", "data_selector": "$"}}],
    })
    pipeline = dlt.pipeline(
        pipeline_name="bench_bookings",
        destination=dlt.destinations.postgres(credentials=database_url),
        dataset_name="dlt_bench",
    )
    start = time.monotonic()
    info = pipeline.run(source)
    seconds = time.monotonic() - start
    info.raise_on_failed_jobs()
    records = pipeline.last_trace.last_normalize_info.row_counts.get("bookings", 0)
    print(json.dumps({"records": records, "seconds": seconds}))


if __name__ == "__main__":
    main()
