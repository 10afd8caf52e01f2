"""The draw: per-cell targets for every agent, then one vectorised Pareto πps draw.

Pure numpy over the eligible contacts (see ``qa_studio.domain.sampling`` for the method and the
definitions). The result does not depend on the order the contacts arrive in: cells are ordered
by agent and stratum label, and within a cell by Pareto key (ties — practically only the
certain items — keep the order the contacts were given in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from qa_studio.domain.sample_keys import pareto_keys, uniforms
from qa_studio.domain.sampling import (
    AgentInfo,
    SampleSpec,
    Shortfall,
    agent_multiplier,
    cell_targets,
    risk_weights,
)

#: Pareto keys of chosen items are rarely above 1; sorting only keys up to 4 loses nothing.
_CUTOFF = 4.0


@dataclass(frozen=True)
class Draw:
    """Positions chosen (into the arrays given to :func:`draw`) and their λ, cell-ordered."""

    positions: np.ndarray
    inclusion: np.ndarray


def draw(
    cell: np.ndarray,
    weights: np.ndarray,
    u: np.ndarray,
    targets: np.ndarray,
    *,
    max_rounds: int = 64,
) -> Draw:
    """Pareto πps sampling of ``targets[c]`` items from every cell ``c`` at once.

    ``cell`` holds each item's cell code (0…C−1), ``weights`` its size measure and ``u`` its
    uniform. λ = n·w/Σw is capped at 1 iteratively: capped items are certain and the others
    share what is left. Equal keys (in practice only the certain items' −∞) keep the input
    order. One pair of sorts in total, whatever the number of cells.
    """
    n, c_count = len(cell), len(targets)
    if n == 0:
        return Draw(np.zeros(0, dtype=np.int64), np.zeros(0))
    sizes = np.bincount(cell, minlength=c_count)
    target = np.minimum(np.asarray(targets, dtype=np.int64), sizes)
    certain = (target >= sizes)[cell]
    lam = np.ones(n)
    for _ in range(max_rounds):
        rest = ~certain
        need = target - np.bincount(cell[certain], minlength=c_count)
        wsum = np.bincount(cell[rest], weights=weights[rest], minlength=c_count)
        need_i, wsum_i = need[cell], wsum[cell]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where((need_i > 0) & (wsum_i > 0), need_i * weights / wsum_i, 0.0)
        lam = np.where(certain, 1.0, share)
        newly = rest & (lam >= 1.0)
        if not newly.any():
            break
        certain = certain | newly
    keys = pareto_keys(u, lam)
    # Only the smallest keys of each cell can be chosen: sort just those below a cut-off
    # (about 4n per cell), plus every item of a cell that has fewer than n below it. The
    # result is exactly that of sorting everything.
    below = keys <= _CUTOFF
    short = np.bincount(cell[below], minlength=c_count) < target
    candidates = np.flatnonzero(below | short[cell])
    order = candidates[_cell_key_order(cell[candidates], keys[candidates], c_count)]
    sorted_cell = cell[order]
    first = np.searchsorted(sorted_cell, np.arange(c_count))
    rank = np.arange(len(order)) - first[sorted_cell]
    chosen = order[rank < target[sorted_cell]]
    return Draw(chosen, lam[chosen])


def _cell_key_order(cell: np.ndarray, keys: np.ndarray, c_count: int) -> np.ndarray:
    """Positions ordered by cell, then key, then input position — two *stable* sorts, whose
    result is uniquely defined (so identical everywhere) and several times faster than
    ``np.lexsort``; the cell sort is a radix sort when the codes fit in 16 bits."""
    by_key = np.argsort(keys, kind="stable")
    narrow = np.int16 if c_count <= np.iinfo(np.int16).max else np.int32
    return by_key[np.argsort(cell[by_key].astype(narrow), kind="stable")]


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for small non-negative ids, in linear time."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    present = np.zeros(int(values.max()) + 1, dtype=bool)
    present[values] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[values]


@dataclass(frozen=True)
class SampleDraw:
    """What :func:`draw_sample` chose: positions into its input arrays, their λ and stratum
    label, how many each agent was meant to get, and the shortfalls."""

    positions: np.ndarray
    inclusion: np.ndarray
    strata: tuple[str, ...]
    wanted: Mapping[int, int]
    shortfalls: tuple[Shortfall, ...]


def draw_sample(
    spec: SampleSpec,
    agents: Mapping[int, AgentInfo],
    agent: np.ndarray,
    stratum: np.ndarray,
    labels: Sequence[str],
    hashes: np.ndarray,
    flags: np.ndarray,
    *,
    last_day: date,
    in_scope: Iterable[int] = (),
) -> SampleDraw:
    """Draw from the eligible contacts: ``agent`` (agent ids), ``stratum`` (codes into
    ``labels``), ``hashes`` (of external ids) and ``flags`` (risk bits), one entry per contact.

    Agents in ``in_scope`` without any eligible contact are reported as shortfalls when the spec
    asks for a count.
    """
    n_labels = max(1, len(labels))
    agent_ids, agent_code = _codes(agent)
    cell_of = agent_code.astype(np.int64) * n_labels + stratum.astype(np.int64)
    sizes = np.bincount(cell_of, minlength=len(agent_ids) * n_labels)
    targets = np.zeros(len(sizes), dtype=np.int64)
    shortfalls: list[Shortfall] = []
    wanted: dict[int, int] = {}
    code = {label: i for i, label in enumerate(labels)}
    for a_code, a_id in enumerate(agent_ids.tolist()):
        base = a_code * n_labels
        counts = {labels[s]: int(sizes[base + s]) for s in range(n_labels) if sizes[base + s]}
        factor, _ = agent_multiplier(spec, agents[a_id], last_day)
        per_cell, short = cell_targets(spec, agents[a_id], counts, factor)
        shortfalls += short
        for label, count in per_cell.items():
            if label in code:
                targets[base + code[label]] = count
        wanted[a_id] = sum(per_cell.values()) + sum(s.wanted - s.available for s in short)
    present = set(agent_ids.tolist())
    if spec.per_agent is not None or spec.quotas:
        for a_id in sorted(set(in_scope) - present):
            factor, _ = agent_multiplier(spec, agents[a_id], last_day)
            _, short = cell_targets(spec, agents[a_id], {}, factor)
            shortfalls += short
            wanted[a_id] = sum(s.wanted for s in short)
    u = uniforms(hashes, spec.seed)
    result = draw(cell_of, risk_weights(flags, spec.risk), u, targets)
    names = tuple(labels[int(s)] for s in stratum[result.positions]) if labels else ()
    shortfalls.sort(key=lambda s: (s.agent, s.stratum or ""))
    return SampleDraw(result.positions, result.inclusion, names, wanted, tuple(shortfalls))
