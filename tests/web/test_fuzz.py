"""Property-based fuzz of the API from its OpenAPI description (schemathesis + hypothesis):
whatever the input — valid or not — no 5xx. Bounded: a few examples per operation and mode,
each sent as an admin (so every write path runs) and anonymously."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from tests.web.helpers import Web, report_json

EXAMPLES = 15


def test_openapi_fuzz_finds_no_server_error(web: Web) -> None:
    import schemathesis
    from schemathesis.generation import GenerationMode

    web.api("admin").post("/api/reports", files={"file": ("seed.json", report_json(**{"table3": {}}))})
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.app)
    admin = {"Authorization": f"Bearer {web.tokens['admin']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        "/api/reports",
        "/api/reports/{report_id}",
        "/api/reports/{report_id}/findings",
        "/api/findings/{finding_id}/decision",
        "/api/agencies",
        "/api/audits",
        "/api/register/applications",
        "/api/register/cases/{number}",
        "/api/register/due",
        "/api/register/import",
        "/api/register/compile",
        "/api/register/explain",
        "/api/calendar/{year}",
        "/api/calendar/days/{day}",
    }
    seen: list[int] = []
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=op.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
            )
            def run(case: Any) -> None:
                for headers in (admin, {}):
                    response = case.call(headers=headers)
                    seen.append(response.status_code)
                    assert response.status_code < 500, (
                        case.method,
                        case.formatted_path,
                        response.status_code,
                        response.text[:300],
                    )

            run()
    assert {200, 401, 422} <= set(seen)
