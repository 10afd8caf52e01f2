"""The training-needs matrix as tables: what the screen shows and what "Export…" writes.

Data in, rows out (no widgets), so the screen, a batch job and a test share one definition. The
workbook always has the same sheets, empty or not, so a recipient's own formulas keep pointing at
the same places: fail rates and their n, team training needs, complaints (when the workspace logs
them), survey themes per agent with redacted example comments, mystery shops per agent, and the
theme lexicon itself with the rule for a negative response — the export explains its own counts.
Every text goes through ``table_xlsx`` (string cells, never a formula).
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.domain import survey_themes as st
from qa_studio.export.table_xlsx import Table, write_tables
from qa_studio.storage.repository.training_needs import TrainingMatrix

NEEDS_TITLE = "Training needs"
NEEDS_HEADERS = ["Team", "Question", "Text", "Agents over", "Agents assessed", "Share (%)"]
MYSTERY_HEADERS = ["Mystery shops", "Mystery-shop mean (%)", "Mystery shops passed"]
NEGATIVE_HEADER = "Negative surveys"
NEGATIVE_RULE = (
    f"A survey response is negative when its score is at or below {st.NEGATIVE_SHARE:.0%} of "
    f"its scale's maximum ({st.DEFAULT_SCALE_MAX:g} when not stored): 0–2 of 5, 0–4 of 10. "
    "Each negative response counts once for every theme its comment mentions."
)
MATCH_RULE = (
    "Whole words or phrases, any case; spaces and hyphens inside a phrase are optional "
    "(call back = call-back = callback); apostrophes optional; n't also as 'not'."
)


def needs_rows(m: TrainingMatrix) -> list[list]:
    texts = dict(zip(m.questions, m.question_texts, strict=True))
    return [[n.team, n.question, texts.get(n.question, ""), n.agents_over, n.agents_assessed,
             n.share_pct] for n in m.needs]  # fmt: skip


def complaint_rows(m: TrainingMatrix) -> tuple[list[str], list[list]]:
    """Agents with at least one complaint, by category."""
    rows = [[a, t, *c] for a, t, c in zip(m.agents, m.agent_teams, m.complaints, strict=True)
            if any(c)]  # fmt: skip
    return ["Agent", "Team", *m.complaint_categories], rows


def theme_rows(m: TrainingMatrix) -> tuple[list[str], list[list]]:
    """Every agent of the matrix: negative responses and the count per theme (all themes)."""
    heads = ["Agent", "Team", NEGATIVE_HEADER, *(t.label for t in m.themes)]
    rows = [[a, team, s.negative, *s.counts]
            for a, team, s in zip(m.agents, m.agent_teams, m.surveys, strict=True)]  # fmt: skip
    return heads, rows


def example_rows(m: TrainingMatrix) -> tuple[list[str], list[list]]:
    """One row per agent and theme mentioned: the count and its (redacted) example comments."""
    rows = []
    for a, team, s in zip(m.agents, m.agent_teams, m.surveys, strict=True):
        for theme, n, examples in zip(m.themes, s.counts, s.examples, strict=True):
            if n:
                rows.append([a, team, theme.label, n, " | ".join(examples)])
    return ["Agent", "Team", "Theme", "Responses", "Example comments (redacted)"], rows


def mystery_rows(m: TrainingMatrix) -> tuple[list[str], list[list]]:
    """Agents with at least one counted mystery shop."""
    rows = [[a, team, s.n, s.mean, s.passed]
            for a, team, s in zip(m.agents, m.agent_teams, m.mystery, strict=True) if s.n]  # fmt: skip
    return ["Agent", "Team", *MYSTERY_HEADERS], rows


def lexicon_rows(themes: tuple[st.Theme, ...] = st.THEMES) -> tuple[list[str], list[list]]:
    """The lexicon and the two rules, as a reader checks them."""
    rows: list[list] = [["(negative response)", NEGATIVE_RULE], ["(matching)", MATCH_RULE]]
    rows += [[t.label, ", ".join(t.phrases)] for t in themes]
    return ["Theme", "Words and phrases"], rows


def matrix_tables(m: TrainingMatrix) -> list[Table]:
    """Every sheet of the export, in order."""
    heads = ["Agent", "Team", *m.questions]
    rates = [[a, t, *r] for a, t, r in zip(m.agents, m.agent_teams, m.rates, strict=True)]
    counts = [[a, t, *c] for a, t, c in zip(m.agents, m.agent_teams, m.counts, strict=True)]
    tables: list[Table] = [("Fail rates (%)", heads, rates), ("Assessed (n)", heads, counts),
                           (NEEDS_TITLE, NEEDS_HEADERS, needs_rows(m))]  # fmt: skip
    if m.complaint_categories:
        tables.append(("Complaints", *complaint_rows(m)))
    tables += [("Survey themes", *theme_rows(m)), ("Survey theme examples", *example_rows(m)),
               ("Mystery shops", *mystery_rows(m)), ("Theme lexicon", *lexicon_rows(m.themes))]  # fmt: skip
    return tables


def write_matrix(m: TrainingMatrix, path: Path | str) -> Path:
    """The whole matrix as one workbook; ``DataRefused`` when the file cannot be written."""
    return write_tables(matrix_tables(m), path)
