"""The courier client's exception tree: ``str(exc)`` is one line of Chinese, never the key.

    RefundXLError (refund_xl._core.errors)
    └── CourierError              the courier service cannot be used as configured
        ├── CredentialsMissing    no Kuaidi100 customer/key (environment or the user's config file)
        ├── EndpointError         KUAIDI100_URL is not an http:// or https:// address
        ├── AuthError             the API refused the account: sign/key (503, 600), expired (601)
        └── TransportError        one request got no usable HTTP answer (row-level: the client
            │                     turns it into the row's reason in 物流备注, never raises it on)
            ├── RequestTimeout    the whole-request deadline passed (a silent or trickling server)
            └── Unreachable       refused, reset, name not found, TLS, an answer too large

The first three stop a run before anything is written (exit 2, or one message box).
An interrupted run is not an error of ours: KeyboardInterrupt goes through untouched.
"""

from __future__ import annotations

from refund_xl._core.errors import RefundXLError

__all__ = ["CourierError", "CredentialsMissing", "EndpointError", "AuthError", "TransportError",
           "RequestTimeout", "Unreachable"]


class CourierError(RefundXLError):
    """A courier run cannot go on as configured (the message never holds the key)."""


class CredentialsMissing(CourierError):
    """No Kuaidi100 customer/key configured."""


class EndpointError(CourierError):
    """The configured endpoint is not an http/https address (``file://``, no scheme, garbage)."""


class AuthError(CourierError):
    """The API refused the account: wrong key or sign, or expired / no balance."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class TransportError(CourierError):
    """A request got no usable HTTP answer.  Row-level: becomes the row's reason."""


class RequestTimeout(TransportError):
    """The whole request (connect, send, every byte of the answer) took longer than its deadline."""

    def __init__(self, seconds: float):
        super().__init__(f"快递100 应答超时（超过 {seconds_text(seconds)} 秒）")
        self.seconds = seconds


def seconds_text(seconds: float) -> str:
    """Seconds as a desk set them: whole, or to one decimal (15, 2.5), never a timer's 4.99966."""
    return f"{round(seconds, 1):g}"


class Unreachable(TransportError):
    """Refused, reset, name not found, TLS failure, or an answer too large to be one."""
