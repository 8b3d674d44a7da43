"""What the shop's forms share."""


class ErrorTextMixin:
    """Give a form `error_text()`: its errors as one sentence, for a message or a JSON answer."""

    def error_text(self) -> str:
        """Return the form's errors as one sentence."""
        return " ".join(str(e) for errors in self.errors.values() for e in errors)
