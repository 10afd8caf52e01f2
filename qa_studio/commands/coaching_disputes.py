"""``qa-studio --db FILE dispute …`` and ``evaluation print|acknowledge`` (registered by
``commands.coaching``).

* ``dispute raise EVALUATION --question KEY --agent NAME --reason TEXT [--entered-by NAME]``
* ``dispute resolve DISPUTE (--uphold VALUE | --reject) --by NAME --reason TEXT``
* ``dispute list [--status open|upheld|rejected] [--agent ID] [--team NAME] [--evaluation ID]``
* ``dispute rates [--period P]`` — dispute rates per evaluator and per question
* ``evaluation print ID --out FILE.pdf|FILE.xlsx`` — the one-page form for the one-to-one
* ``evaluation acknowledge ID --agent NAME`` — the agent's acknowledgement, entered for them
"""

from __future__ import annotations

from pathlib import Path

from qa_studio.errors import UsageError
from qa_studio.storage.repository import disputes, evaluations
from qa_studio.storage.repository.evaluation_sheet import printable_evaluation

FORMATS = (".pdf", ".xlsx")


def register(sub, common) -> None:
    group = sub.add_parser(
        "dispute",
        help="raise, resolve and report disputes",
        description="An agent disputes one answer of a signed-off evaluation "
        "(entered by their team leader); a QA lead upholds or rejects it.",
    )
    actions = group.add_subparsers(dest="dispute_command", metavar="SUBCOMMAND", required=True)
    r = actions.add_parser("raise", parents=[common], help="dispute one question")
    r.add_argument("evaluation", type=int, metavar="EVALUATION")
    r.add_argument("--question", required=True, metavar="KEY")
    r.add_argument("--agent", required=True, metavar="NAME", help="the agent (name or id)")
    r.add_argument("--reason", required=True, metavar="TEXT")
    r.add_argument("--entered-by", dest="entered_by", metavar="NAME", help="team leader")
    r.set_defaults(func=run_raise)
    s = actions.add_parser("resolve", parents=[common], help="uphold or reject (QA lead)")
    s.add_argument("dispute", type=int, metavar="DISPUTE")
    how = s.add_mutually_exclusive_group(required=True)
    how.add_argument("--uphold", metavar="VALUE", help="uphold: the answer becomes VALUE")
    how.add_argument("--reject", action="store_true", help="reject: the answer stands")
    s.add_argument("--by", required=True, metavar="NAME", help="the QA lead")
    s.add_argument("--reason", required=True, metavar="TEXT")
    s.set_defaults(func=run_resolve)
    ls = actions.add_parser("list", parents=[common], help="disputes, oldest first")
    ls.add_argument("--status", choices=("open", "upheld", "rejected"))
    ls.add_argument("--agent", metavar="ID")
    ls.add_argument("--team", metavar="NAME")
    ls.add_argument("--evaluation", type=int, metavar="ID")
    ls.set_defaults(func=run_list)
    rt = actions.add_parser("rates", parents=[common], help="rates per evaluator and question")
    rt.add_argument("--period", metavar="PERIOD", help="YYYY-MM, YYYY-Qn or YYYY (default all)")
    rt.set_defaults(func=run_rates)

    ev = sub.add_parser(
        "evaluation",
        help="print or acknowledge one evaluation",
        description="One evaluation: its printable form, the agent's acknowledgement.",
    )
    ev_actions = ev.add_subparsers(dest="evaluation_command", metavar="SUBCOMMAND", required=True)
    p = ev_actions.add_parser("print", parents=[common], help="one-page form (PDF or XLSX)")
    p.add_argument("evaluation", type=int, metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf or FILE.xlsx")
    p.set_defaults(func=run_print)
    a = ev_actions.add_parser("acknowledge", parents=[common], help="the agent acknowledges")
    a.add_argument("evaluation", type=int, metavar="ID")
    a.add_argument("--agent", required=True, metavar="NAME", help="the agent (name or id)")
    a.set_defaults(func=run_acknowledge)


def _line(d: disputes.Dispute) -> str:
    change = f" ({d.previous_value} → {d.new_value})" if d.new_value is not None else ""
    return (
        f"dispute {d.id}: evaluation {d.evaluation_id} ({d.interaction}) question "
        f"{d.question_key} by {d.raised_by}: {d.status}{change}"
    )


def run_raise(ctx) -> int:
    a = ctx.args
    d = disputes.raise_dispute(
        ctx.workspace(create=False),
        a.evaluation,
        a.question,
        a.reason,
        agent=a.agent,
        entered_by=a.entered_by,
    )
    ctx.emit(d.as_dict(), _line(d))
    return 0


def run_resolve(ctx) -> int:
    a = ctx.args
    ws = ctx.workspace(create=False)
    if a.reject:
        d = disputes.reject(ws, a.dispute, by=a.by, resolution=a.reason)
    else:
        d = disputes.uphold(ws, a.dispute, by=a.by, value=a.uphold, resolution=a.reason)
    ctx.emit(d.as_dict(), _line(d))
    return 0


def run_list(ctx) -> int:
    a = ctx.args
    found = disputes.list_disputes(
        ctx.workspace(create=False),
        status=a.status,
        agent=a.agent,
        team=a.team,
        evaluation_id=a.evaluation,
    )
    ctx.emit(
        {"disputes": [d.as_dict() for d in found]},
        "\n".join(_line(d) for d in found) or "no disputes",
    )
    return 0


def run_rates(ctx) -> int:
    rates = disputes.dispute_rates(ctx.workspace(create=False), period=ctx.args.period)
    doc = rates.as_dict()
    lines = [
        f"{e['evaluator']}: {e['disputed_evaluations']}/{e['evaluations']} evaluations "
        f"disputed ({e['dispute_rate']} %), {e['upheld']} upheld"
        for e in doc["evaluators"]
    ]
    lines += [
        f"{q['question_key']}: {q['disputes']}/{q['answers']} answers disputed, "
        f"{q['upheld']} upheld"
        for q in doc["questions"]
        if q["disputes"]
    ]
    ctx.emit(doc, "\n".join(lines) or "nothing to report")
    return 0


def run_print(ctx) -> int:
    a = ctx.args
    out = Path(a.out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"--out {a.out}: the file must end in .pdf or .xlsx.")
    form = printable_evaluation(ctx.workspace(create=False), a.evaluation)
    if suffix == ".xlsx":
        from qa_studio.export.evaluation_form import write_evaluation_xlsx

        written = write_evaluation_xlsx(form, out)
    else:
        from qa_studio.ui.views.evaluation_print import write_evaluation_pdf

        written = write_evaluation_pdf(form, out)
    ctx.emit(
        {"evaluation": form.id, "file": str(written), "format": suffix[1:]}, f"wrote {written}"
    )
    return 0


def run_acknowledge(ctx) -> int:
    a = ctx.args
    e = evaluations.acknowledge(ctx.workspace(create=False), a.evaluation, a.agent)
    ctx.emit(
        {
            "evaluation": e.id,
            "status": e.status,
            "revision": e.revision,
            "acknowledged_by": e.acknowledged_by,
            "acknowledged_at": e.acknowledged_at,
        },
        f"evaluation {e.id} acknowledged by {e.acknowledged_by}",
    )
    return 0
