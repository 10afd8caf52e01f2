"""The evaluation lifecycle (ARCHITECTURE.md § Evaluation lifecycle) as one table.

Screens, the CLI and the repository all ask this module whether an action is allowed, so the rule
"a signed evaluation is read-only and only a QA lead can reopen it, with a reason" is written once
and every refusal reads the same wherever it is met. Pure Python: it knows statuses and roles,
never rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_studio.errors import DataRefused

DRAFT, SUBMITTED, SIGNED_OFF, DISPUTED, FINAL = (
    "draft",
    "submitted",
    "signed_off",
    "disputed",
    "final",
)
STATUSES: tuple[str, ...] = (DRAFT, SUBMITTED, SIGNED_OFF, DISPUTED, FINAL)

#: Statuses whose answers, comment and notes may still change.
EDITABLE: frozenset[str] = frozenset({DRAFT, SUBMITTED})
#: Statuses the database itself guards: answers and the stored score are frozen.
LOCKED: frozenset[str] = frozenset({SIGNED_OFF, FINAL})

#: Who may act. ``owner`` is the evaluation's own evaluator (whatever their role).
OWNER, QA_LEAD, TEAM_LEADER, AGENT, SYSTEM = "owner", "qa_lead", "team_leader", "agent", "system"

_LABELS = {
    DRAFT: "a draft",
    SUBMITTED: "submitted",
    SIGNED_OFF: "signed off",
    DISPUTED: "disputed",
    FINAL: "final",
    None: "not yet started",
}


@dataclass(frozen=True)
class Transition:
    """One row of the lifecycle table: ``action`` moves ``source`` to ``target`` for ``who``."""

    action: str
    source: str | None
    target: str
    who: frozenset[str]
    needs_reason: bool = False
    description: str = ""


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "create", None, DRAFT, frozenset({OWNER}), description="answers autosave on every change"
    ),
    Transition(
        "submit",
        DRAFT,
        SUBMITTED,
        frozenset({OWNER, QA_LEAD}),
        description="every question answered; score computed and stored",
    ),
    Transition(
        "sign_off",
        SUBMITTED,
        SIGNED_OFF,
        frozenset({OWNER, QA_LEAD}),
        description="the signer's name and time recorded; read-only from now on",
    ),
    Transition(
        "reopen",
        SIGNED_OFF,
        SUBMITTED,
        frozenset({QA_LEAD}),
        needs_reason=True,
        description="a QA lead reopens a signed evaluation with a reason; audited",
    ),
    Transition(
        "acknowledge",
        SIGNED_OFF,
        SIGNED_OFF,
        frozenset({TEAM_LEADER, QA_LEAD, AGENT}),
        description="the agent's acknowledgement, entered by the team leader",
    ),
    Transition(
        "dispute",
        SIGNED_OFF,
        DISPUTED,
        frozenset({AGENT, TEAM_LEADER}),
        needs_reason=True,
        description="scores keep counting until the dispute is resolved",
    ),
    Transition(
        "uphold",
        DISPUTED,
        FINAL,
        frozenset({QA_LEAD}),
        needs_reason=True,
        description="answers changed, revision + 1, score recomputed; audited",
    ),
    Transition(
        "reject",
        DISPUTED,
        FINAL,
        frozenset({QA_LEAD}),
        needs_reason=True,
        description="the dispute is rejected; audited",
    ),
    Transition(
        "finalise",
        SIGNED_OFF,
        FINAL,
        frozenset({SYSTEM, QA_LEAD}),
        description="after acknowledgement, or once the dispute window passes",
    ),
)

_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def transition_for(action: str) -> Transition:
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise ValueError(f"unknown lifecycle action {action!r}") from None


def label(status: str | None) -> str:
    """How a status reads in a sentence ("it is signed off")."""
    return _LABELS.get(status, str(status))


def capacities(role: str | None, *, is_owner: bool) -> frozenset[str]:
    """The lifecycle capacities of a person: their role plus ``owner`` of their own evaluations."""
    caps = {role} if role else set()
    if is_owner:
        caps.add(OWNER)
    return frozenset(caps)


def require(
    action: str,
    status: str | None,
    *,
    role: str | None = None,
    is_owner: bool = True,
    who: str | None = None,
    reason: str | None = None,
) -> str:
    """Return the status ``action`` leads to, or raise ``DataRefused`` saying why not.

    ``role`` is the acting person's evaluator role (``qa_lead`` …), ``is_owner`` whether the
    evaluation is theirs, ``who`` their name for the message.
    """
    t = transition_for(action)
    verb = action.replace("_", " ")
    if status != t.source:
        raise DataRefused(
            f"cannot {verb} this evaluation: it is {label(status)}; only an evaluation that is "
            f"{label(t.source)} can be {_past(action)}."
        )
    if not (t.who & capacities(role, is_owner=is_owner)):
        person = f"{who} ({(role or 'no role').replace('_', ' ')})" if who else "this person"
        raise DataRefused(f"{person} may not {verb} this evaluation: only {_people(t.who)} may.")
    if t.needs_reason and not (reason or "").strip():
        raise DataRefused(f"a reason is required to {verb} an evaluation.")
    return t.target


def require_editable(status: str, what: str = "answers") -> None:
    """Refuse a change to answers, comment or notes once the evaluation is no longer editable."""
    if status not in EDITABLE:
        extra = " Ask a QA lead to reopen it." if status == SIGNED_OFF else ""
        raise DataRefused(f"the evaluation is {label(status)}: its {what} cannot change.{extra}")


def allowed_actions(status: str | None, role: str | None, *, is_owner: bool) -> list[str]:
    """Actions the person may take now (for enabling buttons); reasons are not checked here."""
    caps = capacities(role, is_owner=is_owner)
    return [t.action for t in TRANSITIONS if t.source == status and t.who & caps]


def _past(action: str) -> str:
    return {
        "create": "created",
        "submit": "submitted",
        "sign_off": "signed off",
        "reopen": "reopened",
        "acknowledge": "acknowledged",
        "dispute": "disputed",
        "uphold": "upheld",
        "reject": "rejected",
        "finalise": "finalised",
    }[action]


def _people(who: frozenset[str]) -> str:
    names = {
        OWNER: "the evaluation's own evaluator",
        QA_LEAD: "a QA lead",
        TEAM_LEADER: "a team leader",
        AGENT: "the agent",
        SYSTEM: "QA Studio itself",
    }
    parts = [names[w] for w in (OWNER, QA_LEAD, TEAM_LEADER, AGENT, SYSTEM) if w in who]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
