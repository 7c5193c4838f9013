"""The contract, as a document for programs and as a page for the people who write them."""

from flask import jsonify, render_template

from .core import bp
from .openapi import document

METHODS = ("get", "post", "patch", "delete")


def _schema_name(reference: dict | None) -> str | None:
    return reference["$ref"].rsplit("/", 1)[-1] if reference else None


def _operations(spec: dict) -> list[dict]:
    """Each operation with what the page shows: parameters, body fields, responses."""
    schemas = spec["components"]["schemas"]
    operations = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            body_name = _schema_name(body)
            operations.append({
                "method": method.upper(),
                "path": path,
                "anchor": f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}",
                "operation": operation,
                "parameters": [*item.get("parameters", []), *operation.get("parameters", [])],
                "body": body_name,
                "fields": schemas[body_name] if body_name else None,
            })  # fmt: skip
    return operations


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(document())


@bp.get("/docs")
def reference():
    spec = document()
    return render_template("api/reference.html", spec=spec, operations=_operations(spec))
