"""The demo step that fills the complaints log, the breach log and two worked RCAs.

What a supervisor opening the demo's "Complaints & RCA" tab finds (times relative to ``--end``):

- complaints logged from the demo's flagged contacts (formal and informal, some vulnerable) in
  every state: open and on track, investigating and due within days of ``--end``, investigating
  and overdue (escalated, a vulnerable customer), resolved with redress, resolved by a summary
  resolution, referred to the ombudsman, closed after the follow-up; under the FCA, payment
  services (exceptional) and Ofcom regimes; each with its timeline of hand-offs and notes;
- the breach log opened from the evaluations' fatal data-protection/PCI fails, decided except
  the latest (still inside or past its 72 hours);
- two worked RCAs: the fee complaints (whys, causes on every bone, actions, QA-score effect
  check) with its complaints linked, and the most-failed scorecard question (pass-rate effect).

Deterministic: every time derives from ``--end`` and every uuid from ``ctx.rng("complaints")``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from qa_studio.domain.rca import ActionDraft, CauseDraft, RcaDraft
from qa_studio.domain.timeutil import to_iso
from qa_studio.storage.repository import breaches, rca
from qa_studio.storage.repository import complaints as repo
from qa_studio.storage.repository.counting import COUNTED_EVALUATION_SQL

if TYPE_CHECKING:
    from qa_studio.demo.builder import DemoContext

FEES = "Fees and charges"
#: (plan, days before --end received, regime, category, priority).
PLANS: tuple[tuple[str, int, str, str, str], ...] = (
    ("open", 5, "fca", FEES, "medium"),
    ("due_soon", 54, "fca", "Billing error", "high"),
    ("overdue", 75, "fca", "Service / attitude", "urgent"),
    ("resolved", 40, "fca", FEES, "medium"),
    ("summary", 30, "internal", "Delay", "low"),
    ("referred", 120, "fca", FEES, "high"),
    ("closed", 90, "fca", "Billing error", "medium"),
    ("closed_informal", 150, "internal", "Service / attitude", "low"),
    ("exceptional", 60, "payment_services", "Payments", "high"),
    ("ofcom", 20, "ofcom", "Broadband fault", "medium"),
)
OWNERS = ("Complaints team", "Team leader")


def _iso(ctx: DemoContext, day: date, hour: int = 12) -> str:
    return to_iso(ctx.at(day, hour))


def _flagged(ctx: DemoContext) -> list[tuple[int, str, str]]:
    return [
        (r[0], r[1], r[2])
        for r in ctx.ws.db.execute(
            "SELECT id, started_at, complaint FROM interactions WHERE complaint <> 'none' "
            "AND agent_id IS NOT NULL ORDER BY started_at, id"
        )
    ]


def _nearest(pool: list[tuple[int, str, str]], target: str) -> tuple[int, str, str] | None:
    if not pool:
        return None
    best = min(pool, key=lambda r: abs(datetime.fromisoformat(r[1][:19]).timestamp()
                                       - datetime.fromisoformat(target[:19]).timestamp()))  # fmt: skip
    if abs((date.fromisoformat(best[1][:10]) - date.fromisoformat(target[:10])).days) > 10:
        return None
    pool.remove(best)
    return best


def _log(ctx: DemoContext, rng, plan: tuple, pool: list) -> int:
    kind, days, regime, category, priority = plan
    end = ctx.spec.end
    received = _iso(ctx, end - timedelta(days=days), 10)
    contact = _nearest(pool, received)
    formal = regime != "internal"
    at = contact[1] if contact else received
    fields = {
        "category": category, "priority": priority, "regime": regime,
        "classification": "formal" if formal else "informal",
        "classification_reason": "customer asked to make a complaint" if formal
        else "dissatisfied, resolved on the spot; not a formal complaint",
        "owner": OWNERS[0] if formal else OWNERS[1],
        "first_line_attempted": True,
        "exceptional": kind == "exceptional",
        "summary": f"{category}: customer unhappy ({'formal' if formal else 'informal'}).",
    }  # fmt: skip
    if kind == "overdue":
        fields.update(vulnerable=True, vulnerability_need="health: recent hospital stay")
    if contact:
        cid = repo.create_from_interaction(ctx.ws, contact[0], category, at=at, rng=rng,
                                           **{k: v for k, v in fields.items()
                                              if k != "category"})  # fmt: skip
    else:
        cid = repo.create_complaint(ctx.ws, repo.NewComplaint(**fields, opened_at=received),
                                    at=received, rng=rng)  # fmt: skip
    day0 = datetime.fromisoformat(at.replace("Z", "+00:00")).date()

    def when(offset: int, hour: int = 11) -> str:
        return _iso(ctx, min(day0 + timedelta(days=offset), end), hour)

    if kind in ("due_soon", "overdue", "referred", "closed", "resolved", "exceptional"):
        repo.update_complaint(ctx.ws, cid, {"status": "investigating", "escalation_level": 1,
                                            "owner": "Complaints team"},
                              note="passed to the complaints team", at=when(1), rng=rng)  # fmt: skip
        repo.add_note(ctx.ws, cid, "Listened to the call; requested the account history.",
                      at=when(2), rng=rng)  # fmt: skip
    if kind == "overdue":
        repo.update_complaint(ctx.ws, cid, {"escalation_level": 2, "priority": "urgent"},
                              note="escalated: deadline at risk, vulnerable customer",
                              at=when(40), rng=rng)  # fmt: skip
    if kind == "summary":
        repo.record_final_response(ctx.ws, cid, "Apologised and explained the delay",
                                   summary_resolution=True, at=when(1), rng=rng)  # fmt: skip
    if kind in ("resolved", "referred", "closed", "exceptional"):
        repo.record_final_response(
            ctx.ws, cid, "Complaint upheld: fee refunded and apology sent", redress="refund",
            redress_amount=25.0 if kind != "exceptional" else 60.0,
            follow_up_due=(day0 + timedelta(days=35)).isoformat(), at=when(20), rng=rng,
        )  # fmt: skip
    if kind == "referred":
        repo.refer(ctx.ws, cid, reference="FOS-DEMO-0001", at=when(70), rng=rng)
    if kind in ("closed", "closed_informal"):
        if kind == "closed_informal":
            repo.record_final_response(ctx.ws, cid, "Explained the process; customer content",
                                       at=when(1), rng=rng)  # fmt: skip
        repo.record_follow_up(ctx.ws, cid, "Called back: customer satisfied with the outcome",
                              at=when(35), rng=rng)  # fmt: skip
    return cid


def _most_failed_question(ctx: DemoContext) -> str | None:
    row = ctx.ws.db.execute(
        "SELECT a.question_key FROM answers a JOIN evaluations e ON e.id = a.evaluation_id "
        f"WHERE a.failed = 1 AND {COUNTED_EVALUATION_SQL} GROUP BY a.question_key "
        "ORDER BY count(*) DESC, a.question_key LIMIT 1"
    ).fetchone()
    return None if row is None else row[0]


def _rcas(ctx: DemoContext, rng, fee_complaints: list[int]) -> int:
    end = ctx.spec.end
    start = _iso(ctx, end - timedelta(days=70), 9)
    fees = rca.start_rca(ctx.ws, "complaint_category", FEES,
                         "Fee complaints: customers say fees were not explained", owner="QA lead",
                         at=start, rng=rng)  # fmt: skip
    rca.save_rca(ctx.ws, fees, RcaDraft(
        problem="Fee complaints: customers say fees were not explained before they agreed",
        owner="QA lead", status="checking_effect", metric="qa_score",
        change_on=(end - timedelta(days=45)).isoformat(),
        effect_note="Briefing held; script step restored",
        whys=("Customers were not told about the fee before agreeing",
              "Agents skipped the fee statement on busy days",
              "The fee statement was moved to an optional script step",
              "The script change was not reviewed by compliance",
              "No owner for script changes after the team restructure"),
        causes=(CauseDraft("Process", "Fee statement moved to an optional script step", 9),
                CauseDraft("People", "New starters not trained on fee explanations", 5),
                CauseDraft("Policy", "Fee change published without a team briefing", 4),
                CauseDraft("Technology", "CRM hides the fee schedule two clicks deep", 3),
                CauseDraft("Measurement", "Scorecard question on fees is ambiguous", 2),
                CauseDraft("Environment", "Noisy floor at peak hours", 1)),
        actions=(ActionDraft("Restore the fee statement as a mandatory script step", "Team leader",
                             (end - timedelta(days=50)).isoformat(), "done"),
                 ActionDraft("Team briefing on fees for every team", "QA lead",
                             (end - timedelta(days=40)).isoformat(), "done"),
                 ActionDraft("Add the fee schedule to the CRM's first screen", "IT change board",
                             (end - timedelta(days=5)).isoformat(), "open"),
                 ActionDraft("Reword the scorecard's fee question", "QA lead",
                             (end + timedelta(days=20)).isoformat(), "open")),
    ), at=_iso(ctx, end - timedelta(days=45), 15), rng=rng)  # fmt: skip
    for cid in fee_complaints:
        repo.update_complaint(ctx.ws, cid, {"rca_id": fees}, note=f"linked to RCA {fees}",
                              at=_iso(ctx, end - timedelta(days=44), 9), rng=rng)  # fmt: skip
    key = _most_failed_question(ctx)
    if key is not None:
        q = rca.start_rca(ctx.ws, "question", key, f"Question '{key}' fails more than any other",
                          owner="QA lead", at=_iso(ctx, end - timedelta(days=30), 9),
                          rng=rng)  # fmt: skip
        rca.save_rca(ctx.ws, q, RcaDraft(
            problem=f"Question '{key}' fails more than any other on the scorecards",
            owner="QA lead", status="actions_agreed", metric=f"pass_rate:{key}",
            change_on=(end - timedelta(days=14)).isoformat(),
            whys=("Agents leave the step out on long calls",
                  "They are unsure when it applies",
                  "The guidance was never part of induction"),
            causes=(CauseDraft("People", "Unsure when the step applies", 6),
                    CauseDraft("Process", "Step not in the induction checklist", 4),
                    CauseDraft("Measurement", "Evaluators read the guidance differently", 2)),
            actions=(ActionDraft("Add the step to the induction checklist", "Team leader",
                                 (end - timedelta(days=10)).isoformat(), "done"),
                     ActionDraft("Calibration session on this question", "QA lead",
                                 (end + timedelta(days=14)).isoformat(), "open")),
        ), at=_iso(ctx, end - timedelta(days=14), 15), rng=rng)  # fmt: skip
        return 2
    return 1


def step_complaints(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("complaints")
    pool = _flagged(ctx)
    fee_complaints: list[int] = []
    for plan in PLANS:
        cid = _log(ctx, rng, plan, pool)
        if plan[3] == FEES:
            fee_complaints.append(cid)
    rcas = _rcas(ctx, rng, fee_complaints)
    opened = breaches.sync_from_evaluations(ctx.ws, rng=rng)
    for n, breach_id in enumerate(opened[:-1]):
        row = ctx.ws.db.execute("SELECT opened_at FROM breaches WHERE id = ?",
                                [breach_id]).fetchone()  # fmt: skip
        decided = to_iso(datetime.fromisoformat(row[0].replace("Z", "+00:00"))
                         + timedelta(hours=20))  # fmt: skip
        if n % 3 == 0:
            breaches.decide(ctx.ws, breach_id, "reported",
                            "Reported to the ICO; customer informed", at=decided)  # fmt: skip
        else:
            breaches.decide(ctx.ws, breach_id, "not_reportable",
                            "Assessed: unlikely to result in a risk to the customer; "
                            "agent coached", at=decided)  # fmt: skip
    ctx.progress(f"demo: {len(PLANS)} complaints, {rcas} RCAs, {len(opened)} breaches")
    return {"complaints": len(PLANS), "rcas": rcas, "breaches": len(opened)}
