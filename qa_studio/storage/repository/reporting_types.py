"""The records ``reporting.agent_reports`` returns: plain frozen data, no SQL, no Excel.

Percentages are 0–100 floats at full precision (rounding is for display); ``None`` means "no
data", never zero. Rates are derived properties so a pack, the coaching screen and a test all
compute them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.domain.periods import Period


def _rate(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class AgentInfo:
    id: int
    external_id: str
    name: str
    team_id: int | None
    team: str | None
    leader: str | None


@dataclass(frozen=True)
class ScoreSummary:
    """Counted evaluations of one agent (or team) in one period.

    ``n`` counts evaluations; ``n_scored`` those with a percent (an all-N/A form has none), over
    which ``mean`` and ``sd`` (sample SD, n − 1) are taken. ``n_pass`` met their own scorecard's
    target; ``n_fatal`` had a fatal fail; ``n_critical`` had at least one failed critical
    question. ``target`` is the mean of the scorecards' targets over the evaluations (the single
    target when one scorecard was used).
    """

    n: int
    n_scored: int
    mean: float | None
    sd: float | None
    n_pass: int
    n_fatal: int
    n_critical: int
    target: float | None

    @property
    def pass_rate(self) -> float | None:
        return _rate(self.n_pass, self.n_scored)


@dataclass(frozen=True)
class MonthPoint:
    """One month of the trend: ``month`` ``YYYY-MM``, ``label`` ``Oct 2026``."""

    month: str
    label: str
    agent_n: int
    agent_mean: float | None
    team_n: int
    team_mean: float | None


@dataclass(frozen=True)
class SectionScore:
    """Mean section percent (each evaluation's section scored by the scoring rules)."""

    scorecard_key: str
    scorecard: str
    section_key: str
    section: str
    agent_n: int
    agent_mean: float | None
    team_n: int
    team_mean: float | None


@dataclass(frozen=True)
class QuestionRate:
    """Pass rate of one question (by key across the scorecard's versions): ``*_n`` answers that
    could fail (N/A left out), ``*_passed`` of them passed."""

    scorecard_key: str
    scorecard: str
    key: str
    text: str
    section: str
    regulation: str | None
    critical: bool
    fatal: bool
    agent_n: int
    agent_passed: int
    team_n: int
    team_passed: int

    @property
    def agent_rate(self) -> float | None:
        return _rate(self.agent_passed, self.agent_n)

    @property
    def team_rate(self) -> float | None:
        return _rate(self.team_passed, self.team_n)

    @property
    def gap(self) -> float | None:
        """Agent minus team, in percentage points."""
        if self.agent_rate is None or self.team_rate is None:
            return None
        return self.agent_rate - self.team_rate


@dataclass(frozen=True)
class EvidenceRow:
    """One moment to replay: a failed or commented answer, a general note or the overall
    comment. ``comment`` is stored text, unredacted (exporters redact); ``date`` is the London
    day the contact was handled."""

    evaluation_id: int
    date: str
    channel: str
    interaction: str
    scorecard: str
    question_key: str | None
    question: str
    failed: bool
    comment: str | None
    at_s: float | None
    recording_path: str | None
    evaluator: str


@dataclass(frozen=True)
class Kpis:
    """Contact KPIs in the period: AHT in seconds (voice), FCR in percent, CSAT on 1–5."""

    aht_s: float | None
    aht_n: int
    fcr: float | None
    fcr_n: int
    csat: float | None
    csat_n: int


@dataclass(frozen=True)
class KpiTargets:
    """KPI targets; ``from_settings`` names those the workspace set (others are defaults)."""

    aht_s: float
    fcr: float
    csat: float
    from_settings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgentReport:
    """Everything a coaching pack (or the coaching screen) shows for one agent and period.

    ``scorecards`` lists ``(ref, name, target, n)`` for the versions the agent was scored on.
    """

    agent: AgentInfo
    period: Period
    previous_period: Period
    summary: ScoreSummary
    team: ScoreSummary
    previous: ScoreSummary
    trend: tuple[MonthPoint, ...]
    sections: tuple[SectionScore, ...]
    questions: tuple[QuestionRate, ...]
    evidence: tuple[EvidenceRow, ...]
    kpis: Kpis
    team_kpis: Kpis
    kpi_targets: KpiTargets
    scorecards: tuple[tuple[str, str, float, int], ...]

    @property
    def change(self) -> float | None:
        """Mean now minus mean in the previous period (percentage points)."""
        if self.summary.mean is None or self.previous.mean is None:
            return None
        return self.summary.mean - self.previous.mean
