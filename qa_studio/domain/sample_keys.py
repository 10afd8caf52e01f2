"""Reproducible random keys and the per-row risk signals the sampler needs, as array code.

Why keyed hashing and not ``random``: a sample must come out the same for the same spec, seed
and data on every machine and in every process. Drawing from a generator over rows would tie the
sample to the order rows happen to be read in; instead every interaction gets its own uniform
number from a hash of ``(seed, external_id)`` — the id the contact centre's platform gave it, so
even two workspaces that imported the same file in a different order agree.

The hash is defined byte by byte in :func:`hash_text` (the reference, pure Python) and computed
for a whole column at once by :func:`hash_joined` (numpy; tests check they agree): the UTF-8
bytes are read as little-endian 64-bit words (zero-padded), each word is mixed in with a multiply
and shift, and MurmurHash3's 64-bit finaliser ``fmix64`` avalanches the result. Integer arithmetic
modulo 2⁶⁴ is the same everywhere, and the uniforms built from it use only exactly rounded IEEE-754
operations, so the keys are bit-identical on every platform.
"""

from __future__ import annotations

import numpy as np

MASK64 = (1 << 64) - 1
_K0 = 0x9E3779B97F4A7C15  # 2⁶⁴ / golden ratio: the initial state
_K1 = 0xBF58476D1CE4E5B9  # splitmix64's multipliers: mix the length and each word
_K2 = 0x94D049BB133111EB
_F1 = 0xFF51AFD7ED558CCD  # MurmurHash3 fmix64
_F2 = 0xC4CEB9FE1A85EC53
#: Separator between strings in a joined column (ASCII unit separator; never in an id).
SEP = "\x1f"
SECONDS_PER_WEEK = 7 * 86400


def _fmix64(k: int) -> int:
    k ^= k >> 33
    k = (k * _F1) & MASK64
    k ^= k >> 33
    k = (k * _F2) & MASK64
    return k ^ (k >> 33)


def hash_text(text: str) -> int:
    """The 64-bit hash of one string (reference implementation of :func:`hash_joined`)."""
    data = text.encode("utf-8")
    h = (_K0 ^ ((len(data) * _K1) & MASK64)) & MASK64
    padded = data + b"\0" * (-len(data) % 8)
    for i in range(0, len(padded), 8):
        word = int.from_bytes(padded[i : i + 8], "little")
        h = ((h ^ word) * _K2) & MASK64
        h ^= h >> 32
    return _fmix64(h)


def _fmix64_array(k: np.ndarray) -> np.ndarray:
    k = k ^ (k >> np.uint64(33))
    k = k * np.uint64(_F1)
    k = k ^ (k >> np.uint64(33))
    k = k * np.uint64(_F2)
    return k ^ (k >> np.uint64(33))


def split_joined(joined: bytes, count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Start and end offsets of the ``count`` strings in ``joined`` (UTF-8, ``SEP``-separated),
    or None when the number of pieces differs (a value contained the separator)."""
    data = np.frombuffer(joined, dtype=np.uint8)
    seps = np.flatnonzero(data == ord(SEP))
    if len(seps) != count - 1 or count == 0:
        return None if count else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    starts = np.empty(count, dtype=np.int64)
    ends = np.empty(count, dtype=np.int64)
    starts[0] = 0
    starts[1:] = seps + 1
    ends[:-1] = seps
    ends[-1] = len(data)
    return starts, ends


def _byte_matrix(joined: bytes, starts: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """The strings as rows of ``width`` bytes, zero-padded on the right.

    Ids and customer references are usually all the same length, one separator apart; that
    block is then a grid read with one strided copy instead of a gather per byte."""
    count = len(starts)
    length = int(lengths[0])
    if (
        length <= width
        and bool((lengths == length).all())
        and bool((starts == np.arange(count, dtype=np.int64) * (length + 1)).all())
        and len(joined) == count * (length + 1) - 1
    ):
        grid = np.frombuffer(joined + SEP.encode(), dtype=np.uint8).reshape(count, length + 1)
        matrix = np.zeros((count, width), dtype=np.uint8)
        matrix[:, :length] = grid[:, :length]
        return matrix
    data = np.frombuffer(joined, dtype=np.uint8)
    padded = np.concatenate([data, np.zeros(width, dtype=np.uint8)])
    cols = np.arange(width, dtype=np.int64)
    matrix = padded[starts[:, None] + cols[None, :]]
    matrix[cols[None, :] >= lengths[:, None]] = 0
    return matrix


def hash_joined(joined: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """:func:`hash_text` of every string ``joined[starts[i]:ends[i]]``, as a ``uint64`` array."""
    count = len(starts)
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    lengths = ends - starts
    longest, shortest = int(lengths.max()), int(lengths.min())
    words = (longest + 7) // 8
    matrix = _byte_matrix(joined, starts, lengths, 8 * words)
    as_words = matrix.view("<u8").astype(np.uint64, copy=False)
    h = np.uint64(_K0) ^ (lengths.astype(np.uint64) * np.uint64(_K1))
    for j in range(words):
        mixed = (h ^ as_words[:, j]) * np.uint64(_K2)
        mixed ^= mixed >> np.uint64(32)
        # Only strings longer than 8·j bytes have a word j (all of them, usually).
        h = mixed if shortest > 8 * j else np.where(lengths > 8 * j, mixed, h)
    return _fmix64_array(h)


def hash_texts(texts: list[str]) -> np.ndarray:
    """:func:`hash_text` of each string (a convenience over :func:`hash_joined`)."""
    if not texts:
        return np.zeros(0, dtype=np.uint64)
    if any(SEP in t for t in texts):
        return np.array([hash_text(t) for t in texts], dtype=np.uint64)
    joined = SEP.join(texts).encode("utf-8")
    starts, ends = split_joined(joined, len(texts))  # type: ignore[misc]
    return hash_joined(joined, starts, ends)


def uniforms(hashes: np.ndarray, seed: int) -> np.ndarray:
    """One uniform number in (0, 1) per hash for this seed: ``((x >> 11) + ½) · 2⁻⁵³`` where
    ``x = fmix64(hash XOR fmix64(seed + K0))``; every step is exact, so results are identical
    everywhere."""
    salt = np.uint64(_fmix64((int(seed) + _K0) & MASK64))
    x = _fmix64_array(hashes.astype(np.uint64) ^ salt)
    return ((x >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def uniform_for(external_id: str, seed: int) -> float:
    """The uniform number one interaction gets for ``seed`` (reference for :func:`uniforms`)."""
    x = _fmix64(hash_text(external_id) ^ _fmix64((int(seed) + _K0) & MASK64))
    return ((x >> 11) + 0.5) * 2.0**-53


def pareto_keys(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Rosén's Pareto ranking keys ``[u/(1−u)] / [λ/(1−λ)]``; the n smallest form the sample.

    Pareto order sampling (Rosén 1997, "On sampling with probability proportional to size",
    J. Stat. Planning & Inference 62) draws a fixed-size sample without replacement whose
    inclusion probabilities are very close to the target ``λ`` — closer than any other order
    sampling — so ``1/λ`` is the right inverse-probability weight. Unlike Efraimidis–Spirakis
    keys ``u^(1/w)`` it needs no logarithm, only exactly rounded arithmetic. Take-all items
    (``λ ≥ 1``) get ``-inf`` and come first; ``λ = 0`` gets ``+inf`` and never comes.
    """
    lam = np.asarray(lam, dtype=np.float64)
    odds_u = u / (1.0 - u)
    with np.errstate(divide="ignore", invalid="ignore"):
        keys = odds_u / (lam / (1.0 - lam))
    keys = np.where(lam >= 1.0, -np.inf, keys)
    return np.where(lam <= 0.0, np.inf, keys)


def long_handle_flags(group: np.ndarray, handle: np.ndarray) -> np.ndarray:
    """True where ``handle`` is above its group's 90th percentile (nearest-rank definition:
    the ⌈0.9·m⌉-th smallest of the group's m values), so about one contact in ten per agent.

    ``group`` (agent ids, ≥ 0) and ``handle`` (whole seconds) are integers; they are packed into
    one 64-bit key so that a single sort orders both."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=bool)
    key = (group.astype(np.int64) << 32) | np.clip(handle, 0, 2**31 - 1).astype(np.int64)
    order = np.argsort(key)
    g_sorted = group[order]
    starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    sizes = np.diff(np.r_[starts, n])
    rank = (9 * sizes + 9) // 10 - 1
    thresholds = handle[order][starts + rank]
    group_of_sorted = np.repeat(np.arange(len(starts)), sizes)
    threshold = np.empty(n, dtype=thresholds.dtype)
    threshold[order] = thresholds[group_of_sorted]
    return handle > threshold


def repeat_flags(
    customer: np.ndarray,
    has_customer: np.ndarray,
    times: np.ndarray,
    other_customer: np.ndarray,
    other_times: np.ndarray,
    window_s: int = SECONDS_PER_WEEK,
) -> np.ndarray:
    """True where the same customer contacted again (any channel) within ``window_s`` seconds
    after this contact started (strictly later, so a transfer's twin record does not count).

    ``customer``/``times`` are the frame's contacts; ``other_*`` every other contact that can
    follow one of them (the days after the period, and contacts in the period outside the
    frame: abandoned, other channels, too short). Customers are compared by hash.
    """
    n = len(customer)
    flags = np.zeros(n, dtype=bool)
    if n == 0:
        return flags
    keep = np.flatnonzero(has_customer)
    cust = np.concatenate([customer[keep], other_customer])
    when = np.concatenate([times[keep], other_times]).astype(np.int64)
    origin = np.concatenate([keep, np.full(len(other_customer), -1, dtype=np.int64)])
    # By customer, then time: two stable sorts (the times arrive in a few sorted runs, which
    # a stable sort merges almost for free), faster than np.lexsort.
    order = np.argsort(when, kind="stable")
    order = order[np.argsort(cust[order], kind="stable")]
    cust, when, origin = cust[order], when[order], origin[order]
    if len(cust) < 2:
        return flags
    same = cust[1:] == cust[:-1]
    gap = when[1:] - when[:-1]
    hit = same & (gap > 0) & (gap <= window_s)
    flags[origin[:-1][hit & (origin[:-1] >= 0)]] = True
    # Two records of one customer in the same second: look past them for the next later one.
    for p in np.flatnonzero(same & (gap == 0) & (origin[:-1] >= 0)):
        q = p + 1
        while q < len(cust) and cust[q] == cust[p] and when[q] == when[p]:
            q += 1
        if q < len(cust) and cust[q] == cust[p] and 0 < when[q] - when[p] <= window_s:
            flags[origin[p]] = True
    return flags


def iso_seconds(
    joined: bytes, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since 1970 of ``YYYY-MM-DDTHH:MM:SSZ`` strings (the stored UTC form), parsed as a
    block; the mask says which strings had exactly that form (parse the others one by one)."""
    count = len(starts)
    if count == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    if bool(((ends - starts) == 20).all()) and bool((starts == np.arange(count) * 21).all()):
        # The usual case: every value has the stored form, so the block is a 21-byte grid.
        chars = np.frombuffer(joined + SEP.encode(), dtype=np.uint8).reshape(count, 21)[:, :20]
    else:
        data = np.concatenate([np.frombuffer(joined, dtype=np.uint8), np.zeros(20, np.uint8)])
        chars = data[starts[:, None] + np.arange(20)[None, :]]
    digits = chars.astype(np.int16) - ord("0")
    punct = {4: "-", 7: "-", 10: "T", 13: ":", 16: ":", 19: "Z"}
    ok = (ends - starts) == 20
    for i, ch in punct.items():
        ok &= chars[:, i] == ord(ch)
    number_cols = [i for i in range(20) if i not in punct]
    ok &= ((digits[:, number_cols] >= 0) & (digits[:, number_cols] <= 9)).all(axis=1)

    def field(a: int, b: int) -> np.ndarray:
        out = np.zeros(count, dtype=np.int64)
        for i in range(a, b):
            out = out * 10 + digits[:, i]
        return out

    y, m, d = field(0, 4), field(5, 7), field(8, 10)
    # Days from the civil date (H. Hinnant's algorithm; proleptic Gregorian calendar).
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    seconds = days * 86400 + field(11, 13) * 3600 + field(14, 16) * 60 + field(17, 19)
    return np.where(ok, seconds, 0), ok
