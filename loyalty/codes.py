"""Gift card codes: unguessable, easy to read aloud and to type back.

16 characters from a 32-letter alphabet without 0/O and 1/I is 80 random bits, shown as
XXXX-XXXX-XXXX-XXXX and stored without the dashes. Typing is forgiven: case, dashes and
spaces do not matter.
"""

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 16
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(typed: str) -> str:
    """The stored form of what someone typed: upper case, no dashes or spaces."""
    return "".join(character for character in typed.upper() if character not in "- \t\r\n")


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(character in ALPHABET for character in code)


def display_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
