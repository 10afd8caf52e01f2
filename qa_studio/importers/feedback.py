"""Customer feedback import: survey responses and mystery-shop results (CSV or XLSX).

**Surveys** — one row per response: the interaction's external id, a score, an optional
free-text comment (the training-needs matrix reads its themes), optional ``responded_at``,
``survey`` name and ``scale_max``. Stored in ``survey_responses``, one per interaction and survey
(a re-import updates it).

**Mystery shops** — one row per shop, scored on a scorecard: ``interaction`` (an existing
contact's external id) or ``mystery_id`` (a new contact created for the shop, with ``channel``,
``agent`` and ``started_at``), ``scorecard`` (``key@version`` or ``key``; may be left out when the
caller names one scorecard for the whole file), ``evaluator`` and one column per question key
holding the answer. Stored as submitted evaluations with source
``mystery_shop`` through ``evaluation_import.record_evaluations``; an identical shop already
recorded (same contact, version and evaluator) is left unchanged.

The rules are the interaction importer's: every problem names its row (the header is row 1) and
column; by default a file with any bad row stores nothing; with ``skip_invalid`` the good rows
are stored and the bad ones go to ``<name>.rejects.csv`` with the reason. One transaction, one
audit row per import. A background job (the Import dialog) passes ``progress(rows, 0)`` and
``is_cancelled``; a cancelled import rolls back and says so (``report.cancelled``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from qa_studio.domain.ids import new_uuid
from qa_studio.domain.models import Interaction
from qa_studio.domain.scoring import normalise_answer
from qa_studio.domain.timeutil import parse_iso, to_iso, utcnow_iso
from qa_studio.errors import DataRefused, UsageError
from qa_studio.importers.fields import text_of
from qa_studio.importers.pipeline import rejects_path_for
from qa_studio.importers.report import ImportReport, RowError, SourceError
from qa_studio.importers.tabular import read_csv, read_xlsx
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import audit, scorecards
from qa_studio.storage.repository.evaluation_import import EvaluationImport, record_evaluations
from qa_studio.storage.repository.evaluation_records import evaluator as find_evaluator
from qa_studio.storage.repository.interactions import interaction_id, upsert_interactions

KINDS = ("survey", "mystery_shop")
CHANNELS = ("voice", "chat", "email", "social", "task")
#: Accepted header spellings (lower case, spaces/underscores ignored) for each field.
ALIASES = {
    "interaction": ("interaction", "externalid", "interactionid", "contactid", "interactionexternalid"),
    "score": ("score", "rating", "csat", "nps"),
    "comment": ("comment", "comments", "freetext", "verbatim", "feedback"),
    "responded_at": ("respondedat", "date", "responsedate", "submittedat"),
    "survey": ("survey", "surveyname"),
    "scale_max": ("scalemax", "outof", "max"),
    "mystery_id": ("mysteryid", "mysterycontactid", "shopid"),
    "channel": ("channel",),
    "agent": ("agent", "agentid", "agentexternalid"),
    "started_at": ("startedat", "shopdate", "contactat"),
    "scorecard": ("scorecard", "card"),
    "evaluator": ("evaluator", "shopper", "assessor"),
    "evaluation_comment": ("evaluationcomment", "notes", "note"),
}  # fmt: skip
#: Rows between two progress reports / cancellation checks.
REPORT_EVERY = 200


class _Cancelled(Exception):
    """The user cancelled: roll back."""


def _norm(header: str) -> str:
    return header.strip().lower().replace(" ", "").replace("_", "").replace("-", "")


def field_columns(headers: list[str]) -> dict[str, int]:
    """Our field → column index, from the header row (the Import dialog labels its preview)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _norm(header)
        for field, names in ALIASES.items():
            if key in names and field not in found:
                found[field] = index
    return found


def _read(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]], Any]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        headers, rows, close, _total = read_xlsx(path)
    else:
        headers, rows, close = read_csv(path)
    return headers, rows, close


def _cell(cells: list[Any], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return text_of(cells[index]).strip()


def _instant(raw: str) -> str:
    """ISO date-time (or a plain date, taken as noon UTC) → stored UTC text."""
    try:
        if len(raw) == 10:
            return to_iso(datetime.combine(date.fromisoformat(raw), datetime.min.time()).replace(
                hour=12))  # fmt: skip
        return to_iso(parse_iso(raw))
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a date-time such as 2026-10-05T09:30:00Z") from exc


def _write_rejects(path: Path, headers: list[str], rejects: list[tuple[list[Any], str]]) -> Path:
    target = rejects_path_for(path)
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([*headers, "reason"])
        for cells, reason in rejects:
            texts = [text_of(c) for c in cells]
            out.writerow([*texts, *[""] * (len(headers) - len(texts)), reason])
    return target


def import_feedback(
    ws: Workspace,
    path: Path,
    kind: str,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    scorecard: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import a survey or mystery-shop file; see the module docstring for the rules.

    ``scorecard`` (mystery shops) is used for rows without a scorecard of their own.
    """
    if kind not in KINDS:
        raise UsageError(f"--kind: one of {', '.join(KINDS)}, not {kind!r}")
    path = Path(path)
    report = ImportReport(path=path, format=f"{kind} {path.suffix.lstrip('.') or 'csv'}",
                          dry_run=dry_run)  # fmt: skip
    try:
        headers, rows, close = _read(path)
    except SourceError as exc:
        report.errors = exc.errors
        return report
    try:
        cols = field_columns(headers)
        reader = (
            _SurveyRows(ws, headers, cols)
            if kind == "survey"
            else _ShopRows(ws, headers, cols, scorecard)
        )
        missing = reader.missing()
        if missing:
            report.errors = [RowError(1, m, f"{path.name} needs a column {m!r}") for m in missing]
            return report
        good: list[Any] = []
        rejects: list[tuple[list[Any], str]] = []
        for done, (number, cells) in enumerate(rows, 1):
            if done % REPORT_EVERY == 0:
                if is_cancelled is not None and is_cancelled():
                    raise _Cancelled
                if progress is not None:
                    progress(done, 0)
            item, problems = reader.row(number, cells)
            if problems:
                report.rejected += 1
                report.errors.extend(RowError(number, c, m) for c, m in problems)
                rejects.append((cells, "; ".join(f"{c}: {m}" for c, m in problems)))
            else:
                good.append(item)
    except SourceError as exc:
        report.errors = exc.errors + report.errors
        return report
    except _Cancelled:
        return _cancelled(report)
    finally:
        close()
    if (report.rejected and not skip_invalid) or dry_run:
        if dry_run:
            report.inserted = len(good)
        return report
    try:
        with ws.db.atomic():
            reader.store(good, report)
            audit.append(ws, f"import.{kind}", "feedback", None, {
                "file": str(path), "inserted": report.inserted, "updated": report.updated,
                "unchanged": report.unchanged, "rejected": report.rejected,
            })  # fmt: skip
            if is_cancelled is not None and is_cancelled():
                raise _Cancelled
    except _Cancelled:
        return _cancelled(report)
    except DataRefused as exc:
        report.errors.append(RowError(0, "", f"{exc.message} {' '.join(map(str, exc.details))}"))
        report.inserted = report.updated = report.unchanged = 0
        return report
    report.written = True
    if rejects and skip_invalid:
        report.rejects_path = _write_rejects(path, headers, rejects)
    return report


def _cancelled(report: ImportReport) -> ImportReport:
    report.cancelled = True
    report.inserted = report.updated = report.unchanged = 0
    return report


class _SurveyRows:
    def __init__(self, ws: Workspace, headers: list[str], cols: dict[str, int]) -> None:
        self.ws, self.headers, self.cols = ws, headers, cols

    def missing(self) -> list[str]:
        return [f for f in ("interaction", "score") if f not in self.cols]

    def _name(self, field: str) -> str:
        return self.headers[self.cols[field]]

    def row(self, number: int, cells: list[Any]) -> tuple[tuple, list[tuple[str, str]]]:
        c = self.cols
        problems: list[tuple[str, str]] = []
        external = _cell(cells, c["interaction"])
        found = interaction_id(self.ws, external) if external else None
        if not external:
            problems.append((self._name("interaction"), "the interaction's external id is empty"))
        elif found is None:
            problems.append((self._name("interaction"), f"no interaction {external!r} is stored"))
        scale_text = _cell(cells, c.get("scale_max"))
        scale = 5.0
        if scale_text:
            try:
                scale = float(scale_text)
            except ValueError:
                problems.append((self._name("scale_max"), f"{scale_text!r} is not a number"))
        raw = _cell(cells, c["score"])
        score = None
        try:
            score = float(raw)
            if not 0 <= score <= scale:
                problems.append((self._name("score"), f"{raw} is outside 0–{scale:g}"))
        except ValueError:
            problems.append((self._name("score"), f"{raw!r} is not a number" if raw else
                             "the score is empty"))  # fmt: skip
        responded = _cell(cells, c.get("responded_at"))
        when = None
        if responded:
            try:
                when = _instant(responded)
            except ValueError as exc:
                problems.append((self._name("responded_at"), str(exc)))
        comment = _cell(cells, c.get("comment")) or None
        survey = _cell(cells, c.get("survey"))
        return (found, survey, score, scale, comment, when), problems

    def store(self, items: list[tuple], report: ImportReport) -> None:
        stamp = utcnow_iso()
        for found, survey, score, scale, comment, when in items:
            old = self.ws.db.execute(
                "SELECT id, score, scale_max, comment, responded_at FROM survey_responses "
                "WHERE interaction_id = ? AND survey = ?",
                [found, survey],
            ).fetchone()
            if old is None:
                self.ws.db.execute(
                    "INSERT INTO survey_responses (uuid, interaction_id, survey, score, scale_max, "
                    "comment, responded_at, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [new_uuid(), found, survey, score, scale, comment, when, "import", stamp],
                )
                report.inserted += 1
            elif tuple(old[1:]) == (score, scale, comment, when):
                report.unchanged += 1
            else:
                self.ws.db.execute(
                    "UPDATE survey_responses SET score = ?, scale_max = ?, comment = ?, "
                    "responded_at = ?, imported_at = ? WHERE id = ?",
                    [score, scale, comment, when, stamp, old[0]],
                )
                report.updated += 1


class _ShopRows:
    def __init__(self, ws: Workspace, headers: list[str], cols: dict[str, int],
                 scorecard: str | None = None) -> None:  # fmt: skip
        self.ws, self.headers, self.cols = ws, headers, cols
        self.default_card = scorecard or ""
        self._cards: dict[str, Any] = {}
        self._new_ids: set[str] = set()

    def missing(self) -> list[str]:
        needed = ("evaluator",) if self.default_card else ("scorecard", "evaluator")
        out = [f for f in needed if f not in self.cols]
        if "interaction" not in self.cols and "mystery_id" not in self.cols:
            out.append("interaction")
        return out

    def _name(self, field: str) -> str:
        return self.headers[self.cols[field]] if field in self.cols else field

    def _card(self, ref: str):
        if ref not in self._cards:
            self._cards[ref] = scorecards.find(self.ws, ref)
        return self._cards[ref]

    def row(self, number: int, cells: list[Any]) -> tuple[dict, list[tuple[str, str]]]:
        c = self.cols
        problems: list[tuple[str, str]] = []
        item: dict[str, Any] = {"new": None}
        external = _cell(cells, c.get("interaction"))
        mystery = _cell(cells, c.get("mystery_id"))
        started = _cell(cells, c.get("started_at"))
        if external:
            item["external"] = external
            if interaction_id(self.ws, external) is None:
                problems.append(
                    (self._name("interaction"), f"no interaction {external!r} is stored")
                )
        elif mystery:
            item["external"] = mystery
            channel = _cell(cells, c.get("channel")) or "voice"
            if channel not in CHANNELS:
                problems.append((self._name("channel"), f"one of {', '.join(CHANNELS)}"))
            agent = _cell(cells, c.get("agent"))
            if not agent:
                problems.append((self._name("agent"), "a new mystery contact needs its agent"))
            if mystery in self._new_ids:
                problems.append((self._name("mystery_id"), f"{mystery!r} appears twice"))
            self._new_ids.add(mystery)
            if not started:
                problems.append((self._name("started_at"), "a new mystery contact needs its time"))
            # A re-import finds the contact it created last time and records nothing new.
            existing = interaction_id(self.ws, mystery) is not None
            item["new"] = None if existing else (channel, agent)
        else:
            problems.append((self._name("interaction"), "give the interaction or a mystery_id"))
        if started:
            try:
                item["started_at"] = _instant(started)
            except ValueError as exc:
                problems.append((self._name("started_at"), str(exc)))
        who = _cell(cells, c["evaluator"])
        try:
            item["evaluator"] = find_evaluator(self.ws, who).name
        except DataRefused as exc:
            problems.append((self._name("evaluator"), exc.message))
        ref = _cell(cells, c.get("scorecard")) or self.default_card
        try:
            version = self._card(ref)
        except DataRefused as exc:
            problems.append((self._name("scorecard"), exc.message))
            return item, problems
        item["version"] = version
        answers: dict[str, object] = {}
        lower = {_norm(h): i for i, h in enumerate(self.headers)}
        for q in version.card.questions():
            index = lower.get(_norm(q.key))
            raw = _cell(cells, index)
            if index is None:
                problems.append((q.key, f"no column for question {q.key!r} of {version.ref}"))
            elif not raw:
                problems.append((self.headers[index], "the answer is empty"))
            else:
                try:
                    answers[q.key] = normalise_answer(q, raw)
                except ValueError as exc:
                    problems.append((self.headers[index], str(exc)))
        item["answers"] = answers
        item["comment"] = _cell(cells, c.get("evaluation_comment")) or None
        return item, problems

    def store(self, items: list[dict], report: ImportReport) -> None:
        new = [
            Interaction(external_id=i["external"], channel=i["new"][0], started_at=i["started_at"],
                        agent_external_id=i["new"][1], source="mystery_shop",
                        tags=("mystery_shop",))
            for i in items if i["new"]
        ]  # fmt: skip
        if new:
            upsert_interactions(self.ws, new)
        records: list[EvaluationImport] = []
        for i in items:
            iid = interaction_id(self.ws, i["external"])
            assert iid is not None
            version = i["version"]
            seen = self.ws.db.execute(
                "SELECT 1 FROM evaluations e JOIN evaluators p ON p.id = e.evaluator_id "
                "WHERE e.interaction_id = ? AND e.scorecard_version_id = ? AND p.name = ? "
                "AND e.source = 'mystery_shop'",
                [iid, version.id, i["evaluator"]],
            ).fetchone()
            if seen:
                report.unchanged += 1
                continue
            when = (
                i.get("started_at")
                or self.ws.db.execute(
                    "SELECT started_at FROM interactions WHERE id = ?", [iid]
                ).fetchone()[0]
            )
            records.append(EvaluationImport(
                iid, version.id, i["evaluator"], i["answers"], when, status="submitted",
                submitted_at=when, comment=i["comment"], source="mystery_shop",
            ))  # fmt: skip
        if records:
            record_evaluations(self.ws, records)
        report.inserted += len(records)
