"""Domain errors: bad input named plainly, raised before anything is written."""


class DomainError(ValueError):
    """Input the domain refuses; the message is safe to show to a person."""


class InvalidPhone(DomainError):
    pass


class UnknownTimeZone(DomainError):
    pass


class InvalidWindow(DomainError):
    pass


class InvalidDuration(DomainError):
    pass


class StartInPast(DomainError):
    pass


class NotFound(DomainError):
    pass
