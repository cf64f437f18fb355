"""Domain errors of consultations. `.message` is always safe to show to the user."""


class ConsultationError(Exception):
    """A request the consultation rules refuse; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(ConsultationError):
    def __init__(self, *, what: str, pk: int, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(f"{what} {pk} cannot go from {current} to {target}.")
