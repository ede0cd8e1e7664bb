"""One error envelope for every API failure."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.logging import get_logger

log = get_logger(__name__)


class ErrorDetail(BaseModel):
    loc: list[str | int] = []
    message: str
    fix: str | None = None


class ErrorBody(BaseModel):
    code: str
    message: str
    message_zh: str | None = None
    details: list[ErrorDetail] = []


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class ServiceError(Exception):
    """Base of the errors the API maps to a status and the envelope."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        message_zh: str | None = None,
        details: list[ErrorDetail] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.details = details or []
        if code:
            self.code = code

    def body(self) -> ErrorEnvelope:
        return ErrorEnvelope(
            error=ErrorBody(
                code=self.code,
                message=self.message,
                message_zh=self.message_zh,
                details=self.details,
            )
        )


class NotFound(ServiceError):
    status_code = 404
    code = "not_found"


class Conflict(ServiceError):
    status_code = 409
    code = "conflict"


class Forbidden(ServiceError):
    status_code = 403
    code = "forbidden"


class Unprocessable(ServiceError):
    status_code = 422
    code = "invalid_input"


class Unavailable(ServiceError):
    status_code = 503
    code = "unavailable"


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in (
        (403, "The caller's role or union may not take this action"),
        (404, "Unknown id, or outside the caller's jurisdiction"),
        (409, "The case's current step does not allow this action"),
        (422, "Invalid input; each detail names the field path and the fix"),
    )
}


def _validation_details(exc: RequestValidationError) -> list[ErrorDetail]:
    details = []
    for error in exc.errors():
        loc = [part for part in error.get("loc", ()) if part != "body"]
        details.append(ErrorDetail(loc=loc, message=error.get("msg", "invalid")))
    return details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        if exc.status_code >= 500:
            log.warning("request_failed", code=exc.code, message=exc.message)
        return JSONResponse(
            exc.body().model_dump(exclude_none=True), status_code=exc.status_code
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(
        request: Request, exc: StarletteHTTPException
    ) -> JSONResponse:
        # Errors raised by the framework itself (an unknown path, a body that
        # is not JSON) get the same envelope as the service's own.
        codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
        envelope = ErrorEnvelope(
            error=ErrorBody(
                code=codes.get(exc.status_code, "http_error"),
                message=str(exc.detail),
            )
        )
        return JSONResponse(
            envelope.model_dump(exclude_none=True),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Only the type is logged: the message of a database error may quote
        # values from the request.
        log.error(
            "request_failed_unexpectedly",
            method=request.method,
            path=request.url.path,
            error_type=type(exc).__name__,
        )
        envelope = ServiceError(
            "The service failed to handle this request; it has been logged. "
            "Retry with the same request_id, or report the time and path",
            message_zh="服务处理请求时出错，已记录；可用相同 request_id 重试",
            code="internal_error",
        ).body()
        return JSONResponse(envelope.model_dump(exclude_none=True), status_code=500)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(
        request: Request, exc: RequestValidationError
    ) -> JSONResponse:
        envelope = Unprocessable(
            "The request is invalid; see details for each field and its fix",
            message_zh="请求数据有误，请按各字段提示修改",
            details=_validation_details(exc),
        ).body()
        return JSONResponse(envelope.model_dump(exclude_none=True), status_code=422)
