"""What a domain operation can refuse, independent of HTTP.

The web layer maps them: NotFound → 404, Forbidden → 403, Invalid → 422,
Conflict → 409, RateLimited → 429.
"""


class DomainError(Exception):
    pass


class NotFound(DomainError):
    """Missing, or belongs to another merchant: the two are indistinguishable on purpose."""


class Forbidden(DomainError):
    """The actor's role does not allow this."""


class Invalid(DomainError):
    """Input that breaks a rule; `errors` maps a field name to a translated message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class Conflict(DomainError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RateLimited(DomainError):
    def __init__(self, retry_after_seconds: int):
        super().__init__(retry_after_seconds)
        self.retry_after_seconds = retry_after_seconds
