"""全国地方公共団体コード (lg_code): the official 6-digit local government code.

The first five digits identify the body (two for the prefecture, three for the municipality);
the sixth is a check digit: weights 6,5,4,3,2 on d1..d5, check = (11 - sum % 11) % 10.
"""

import re

_WEIGHTS = (6, 5, 4, 3, 2)
_CODE5 = re.compile(r"[0-9]{5}")
_CODE6 = re.compile(r"[0-9]{6}")


def check_digit(code5: str) -> str:
    """Return the check digit for the first five digits of an lg_code."""
    if not _CODE5.fullmatch(code5):
        raise ValueError(f"expected 5 ASCII digits, got {code5!r}")
    total = sum(int(d) * w for d, w in zip(code5, _WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def is_valid(code6: str) -> bool:
    """Tell whether `code6` is a well-formed lg_code: 6 digits, prefecture 01..47, check digit."""
    if not _CODE6.fullmatch(code6):
        return False
    return 1 <= int(code6[:2]) <= 47 and check_digit(code6[:5]) == code6[5]


def prefecture_code(code6: str) -> str:
    """Return the two-digit prefecture code ("01".."47") of a valid lg_code."""
    if not is_valid(code6):
        raise ValueError(f"invalid lg_code {code6!r}")
    return code6[:2]
