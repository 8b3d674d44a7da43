"""The sections of a patient's data download: each app adds what it holds about a patient.

An app registers a reader in its AppConfig.ready():

    from shop.privacy.registry import data_section_register
    data_section_register("package_credits", lambda *, user: [...])

The reader takes the user (keyword) and returns JSON-ready values (str, numbers, lists,
dicts; dates as ISO strings). It may also register an eraser, called when the account is
deleted, to remove or anonymise what it holds (amounts kept for accounting stay).
"""

from collections.abc import Callable

Reader = Callable[..., object]
Eraser = Callable[..., dict]

_READERS: dict[str, Reader] = {}
_ERASERS: dict[str, Eraser] = {}


def data_section_register(name: str, reader: Reader, eraser: Eraser | None = None) -> None:
    """Add a section to the data download (and, optionally, to the account's deletion)."""
    _READERS[name] = reader
    if eraser is not None:
        _ERASERS[name] = eraser


def data_sections() -> dict[str, Reader]:
    """Return the registered readers by section name."""
    return dict(_READERS)


def data_erasers() -> dict[str, Eraser]:
    """Return the registered erasers by section name."""
    return dict(_ERASERS)
