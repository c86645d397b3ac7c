"""The old import path of the casework services (interviews, checks, visits, offers, decisions).

Kept for callers outside this app that still write `from allocations import casework`
(config's demo_load, tests/test_access.py, the browser tests); the services live in
allocations/services/ and new code imports them from `allocations.services`.
"""

from allocations.services import *  # noqa: F403
from allocations.services import __all__  # noqa: F401
