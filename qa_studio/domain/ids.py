"""Stable identities: every record that can travel between workspaces carries a UUID.

A caller that must be deterministic (the demo builder) passes its own seeded ``random.Random``;
everything else gets a random UUID4.
"""

from __future__ import annotations

import random
import uuid


def new_uuid(rng: random.Random | None = None) -> str:
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
