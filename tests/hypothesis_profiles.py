"""How many examples the property tests try.

Under the ``suite`` profile (the default here) each test tries the count it names; under ``check``,
the profile of `make check` (the edit loop), a quarter of it. `make test` runs every full count.
Neither profile has a deadline: on a loaded machine a slow example is not a failing one.
"""

from __future__ import annotations

from hypothesis import settings

FULL = 100  # the suite profile's max_examples, against which a test's own count is scaled


def register() -> None:
    settings.register_profile("suite", max_examples=FULL, deadline=None)
    settings.register_profile("check", settings.get_profile("suite"), max_examples=FULL // 4)
    settings.load_profile("suite")


def examples(count: int) -> int:
    """``count`` under the suite profile, scaled like the active profile's max_examples (at least 10)."""
    return max(10, count * settings.default.max_examples // FULL)
