"""One error shape for every failure: ``{"error": {"status": int, "message": str, ...}}``.

:func:`install_error_handlers` routes HTTP errors (unknown routes and methods
included), request validation errors, SPARQL errors and unexpected exceptions
to that shape. Unexpected exceptions become a 500 whose message gives no
internals; the traceback goes to the log only.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.sparql import (
    InvalidRequest,
    NotAcceptable,
    PoolBusy,
    QueryFailed,
    QueryMemoryExceeded,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RowLimitExceeded,
    SparqlError,
    StoreUnavailable,
)

__all__ = ["ApiError", "error_response", "install_error_handlers", "sparql_status"]

logger = logging.getLogger(__name__)

_SPARQL_STATUS: dict[type[SparqlError], int] = {
    InvalidRequest: 400,
    QuerySyntaxError: 400,
    RowLimitExceeded: 400,
    QueryRefused: 403,
    NotAcceptable: 406,
    QueryFailed: 500,
    PoolBusy: 503,
    StoreUnavailable: 502,
    QueryTimeout: 504,
    QueryMemoryExceeded: 507,
}


class ApiError(Exception):
    """An error a route raises on purpose; extra keyword fields join the body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers
        self.extra = extra


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """The JSON body every error has."""
    body = {"error": {"status": status, "message": message, **jsonable_encoder(extra)}}
    return JSONResponse(body, status_code=status, headers=headers)


def sparql_status(error: SparqlError) -> int:
    """The HTTP status for a SPARQL error (see docs/sparql.md for the reasons)."""
    for cls in type(error).__mro__:
        if cls in _SPARQL_STATUS:
            return _SPARQL_STATUS[cls]
    return 500


def _sparql_extra(error: SparqlError) -> dict[str, Any]:
    if isinstance(error, QueryTimeout):
        return {"timeout_seconds": error.seconds}
    if isinstance(error, RowLimitExceeded):
        return {"row_limit": error.limit}
    if isinstance(error, QueryMemoryExceeded):
        return {"memory_mb": error.megabytes}
    return {}


async def _on_api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error_response(error.status, error.message, error.headers, **error.extra)


async def _on_http_exception(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    message = (
        error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    )
    if error.status_code == 404 and error.detail == "Not Found":
        message = f"no resource at {request.url.path}"
    elif error.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    headers = dict(error.headers) if error.headers else None
    return error_response(error.status_code, message, headers)


async def _on_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = [
        {"location": list(item.get("loc", ())), "message": item.get("msg", "")}
        for item in error.errors()
    ]
    summary = "; ".join(f"{'.'.join(map(str, d['location']))}: {d['message']}" for d in details)
    return error_response(422, f"invalid request: {summary}", details=details)


async def _on_sparql_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SparqlError)
    status = sparql_status(error)
    headers = {"Retry-After": "2"} if isinstance(error, PoolBusy) else None
    return error_response(status, str(error), headers, **_sparql_extra(error))


async def _on_unexpected(request: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` answer in the one error shape."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(SparqlError, _on_sparql_error)
    app.add_exception_handler(Exception, _on_unexpected)
