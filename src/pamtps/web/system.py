"""Routes for machines and developers: the health check and the offline API documentation.

FastAPI's own docs page loads Swagger UI from a CDN, which a closed command-post network cannot
reach: the service turns it off and serves ``/api/v1/docs``, a plain page rendered from the
OpenAPI document (``/api/v1/openapi.json``) with no JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse

from pamtps.store import Database
from pamtps.store.health import database_answers
from pamtps.web.auth import get_database
from pamtps.web.core import API_PREFIX, render

router = APIRouter(include_in_schema=False)

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@router.get("/healthz")
def healthz(database: Annotated[Database, Depends(get_database)]) -> JSONResponse:
    """200 when the service answers and its database too, 503 otherwise."""
    if not database_answers(database):
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The operations of an OpenAPI document, by path then method, with what a reader needs."""
    found = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method in HTTP_METHODS:
            if method in item:
                operation = item[method]
                body: dict[str, Any] = operation.get("requestBody", {}).get("content", {})
                media = list(body.values())
                schema = media[0].get("schema", {}) if media else {}
                found.append({
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tags": operation.get("tags", []),
                    "parameters": operation.get("parameters", []),
                    "body": schema.get("$ref", "").rsplit("/", 1)[-1],
                    "responses": sorted(operation.get("responses", {})),
                })
    return found


def _type_name(details: dict[str, Any]) -> str:
    if "$ref" in details:
        return str(details["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in details:
        return " | ".join(_type_name(option) for option in details["anyOf"])
    if details.get("type") == "array":
        return f"array of {_type_name(details.get('items', {}))}"
    return str(details.get("type", "any"))


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas of an OpenAPI document with each field's type, for people to read."""
    found = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {"name": field, "type": _type_name(details), "required": field in required,
             "description": details.get("description", "")}
            for field, details in schema.get("properties", {}).items()
        ]
        found.append({"name": name, "fields": fields, "enum": schema.get("enum", [])})
    return found


@router.get(f"{API_PREFIX}/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    context = {
        "spec": spec,
        "spec_url": request.app.openapi_url,
        "operations": operations(spec),
        "schemas": schemas(spec),
    }
    return render(request, "api_docs.html", context)
