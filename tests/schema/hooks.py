"""Schemathesis hooks (loaded through schemathesis.toml): one check of our own, one tool fix."""

import functools

import schemathesis
from schemathesis.specs.openapi.adapter import responses

# Rules between fields that JSON Schema cannot state: pydantic's type for model validators, and
# the caps on a network's parameters and a job's work (app/api/errors.py, app/api/schemas.py).
CROSS_FIELD = {"value_error", "too_many_parameters", "too_much_work"}
# A group's row and column values are checked against the setting they vary (app/api/routes/
# groups.py): a rule between fields too, whatever pydantic type it is reported with.
AXIS_VALUES = (["body", "rows", "values"], ["body", "columns", "values"])


@schemathesis.check
def semantic_rejections_only(ctx, response, case):
    """A schema-valid request may get 422 only for a cross-field rule, never a schema-level one."""
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if response.status_code != 422 or not positive:
        return None
    detail = response.json()["detail"]
    if isinstance(detail, str):  # ConfigError and DatasetError: cross-field rules in words
        return None
    kinds = {error["type"] for error in detail if error["loc"][:3] not in AXIS_VALUES}
    assert kinds <= CROSS_FIELD, f"schema-valid data rejected for {sorted(kinds - CROSS_FIELD)}"
    return None


# Schemathesis 4.32 rewrites OpenAPI 3.1 tuples (`prefixItems`) into Draft 4 `items: [...]` when it
# prepares a response schema, then validates with a Draft 2020-12 validator: a "Schema Error" for
# GET /api/sessions/{id}/data (rows [x, y, label]), and unchecked tuples elsewhere. Our schema is
# 3.1 throughout, so responses keep `prefixItems` as written. Drop this once schemathesis does.
responses.to_json_schema = functools.partial(responses.to_json_schema, convert_prefix_items=False)
