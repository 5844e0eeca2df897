"""The text of a file's bytes: UTF-8, with a leading byte-order mark dropped."""

from __future__ import annotations

BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def utf8_text(data: bytes) -> tuple[str, UnicodeDecodeError | None]:
    """The text of UTF-8 bytes (a leading byte-order mark dropped); when a byte is not UTF-8, the text up
    to it and the error that names it."""
    data = data.removeprefix(BYTE_ORDER_MARK)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return data[: error.start].decode("utf-8"), error
