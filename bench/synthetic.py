"""Realistic synthetic specs of any size: `python bench/synthetic.py 400 > spec.json`.

Every four operations share a resource (list, get, create, update); each resource
has a nested object, an enum, arrays of references and a shared error body, and
each operation several parameters, as real meeting APIs do.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def resource(name: str) -> dict[str, Any]:
    return {
        name: {
            "type": "object",
            "description": f"A {name}.",
            "required": ["id", "title", "state"],
            "properties": {
                "id": {"type": "string", "readOnly": True},
                "title": {"type": "string", "maxLength": 200, "description": "What it is called."},
                "state": {"$ref": "#/components/schemas/State"},
                "startsAt": {"type": "string", "format": "date-time"},
                "durationMinutes": {"type": "integer", "minimum": 1, "maximum": 1440},
                "owner": {"$ref": "#/components/schemas/Person"},
                "attendees": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
                "settings": {
                    "type": "object",
                    "description": "Options, nested.",
                    "properties": {
                        "muted": {"type": "boolean", "default": False},
                        "layout": {"type": "string", "enum": ["grid", "speaker", "gallery"]},
                        "limits": {
                            "type": "object",
                            "properties": {"capacity": {"type": "integer"}, "video": {"type": "boolean"}},
                        },
                    },
                },
                "tags": {"type": "array", "items": {"type": "string"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        f"{name}Page": {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                "next": {"type": ["string", "null"]},
            },
        },
    }


def operation(op_id: str, name: str, method: str, with_id: bool) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [{"$ref": "#/components/parameters/Trace"}]
    if with_id:
        parameters.insert(0, {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}})
    else:
        parameters += [
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
            },
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            {"name": "state", "in": "query", "schema": {"$ref": "#/components/schemas/State"}},
        ]
    body = (
        {"$ref": f"#/components/schemas/{name}Page"}
        if method == "get" and not with_id
        else {"$ref": f"#/components/schemas/{name}"}
    )
    result: dict[str, Any] = {
        "operationId": op_id,
        "summary": f"{method.upper()} a {name}",
        "tags": [name],
        "parameters": parameters,
        "responses": {
            "200": {"description": "OK.", "content": {"application/json": {"schema": body}}},
            "400": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
        },
    }
    if method in ("post", "put"):
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    return result


def spec(operations: int) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "State": {"type": "string", "enum": ["draft", "scheduled", "live", "ended"]},
        "Person": {
            "type": "object",
            "required": ["email"],
            "properties": {"email": {"type": "string", "format": "email"}, "name": {"type": "string"}},
        },
        "Error": {
            "type": "object",
            "required": ["code"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
    }
    paths: dict[str, Any] = {}
    for index in range(operations // 4):
        name = f"Resource{index}"
        schemas.update(resource(name))
        paths[f"/resources{index}"] = {
            "get": operation(f"list{name}", name, "get", False),
            "post": operation(f"create{name}", name, "post", False),
        }
        paths[f"/resources{index}/{{id}}"] = {
            "get": operation(f"get{name}", name, "get", True),
            "put": operation(f"update{name}", name, "put", True),
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Synthetic {operations}", "version": "1.0.0"},
        "servers": [{"url": "https://synthetic.example/v1"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": {"Trace": {"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}}},
            "responses": {
                "Error": {
                    "description": "An error.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }


if __name__ == "__main__":
    json.dump(spec(int(sys.argv[1])), sys.stdout, indent=1)
