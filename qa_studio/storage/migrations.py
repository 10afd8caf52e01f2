"""Numbered schema migrations: the schema changes here and nowhere else.

Each step is a sqlite-utils migration named ``mNNN_…``; it runs in one transaction with the record
of it having run, and it sets ``PRAGMA user_version`` to its own number inside that transaction, so
the version in the file header always matches the schema. Never edit a step that has shipped: add a
new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from qa_studio.storage.table_rebuild import rebuild_with_delete_rules

migrations = Migrations("qa_studio")

M001_SCHEMA = """
CREATE TABLE workspace (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    uuid TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE evaluators (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    name TEXT UNIQUE NOT NULL,
    role TEXT NOT NULL DEFAULT 'evaluator' CHECK (role IN ('evaluator', 'team_leader', 'qa_lead')),
    capacity_per_week INTEGER NOT NULL DEFAULT 20 CHECK (capacity_per_week >= 0),
    skills TEXT NOT NULL DEFAULT '{}',
    absent TEXT NOT NULL DEFAULT '[]',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    name TEXT UNIQUE NOT NULL,
    leader_id INTEGER REFERENCES evaluators(id)
);
CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    external_id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    team_id INTEGER REFERENCES teams(id),
    started_on TEXT,
    on_improvement_plan INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX agents_team ON agents(team_id);
CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    external_id TEXT UNIQUE NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('voice', 'chat', 'email', 'social', 'task')),
    agent_id INTEGER REFERENCES agents(id),
    queue TEXT,
    direction TEXT CHECK (direction IS NULL OR direction IN ('inbound', 'outbound')),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    queue_wait_s REAL CHECK (queue_wait_s IS NULL OR queue_wait_s >= 0),
    duration_s REAL CHECK (duration_s IS NULL OR duration_s >= 0),
    hold_s REAL CHECK (hold_s IS NULL OR hold_s >= 0),
    wrap_s REAL CHECK (wrap_s IS NULL OR wrap_s >= 0),
    customer_ref TEXT,
    outcome TEXT,
    csat INTEGER CHECK (csat IS NULL OR csat BETWEEN 1 AND 5),
    fcr INTEGER CHECK (fcr IS NULL OR fcr IN (0, 1)),
    complaint TEXT NOT NULL DEFAULT 'none' CHECK (complaint IN ('none', 'informal', 'formal')),
    vulnerable INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    recording_path TEXT,
    screen_recording_path TEXT,
    source TEXT,
    imported_at TEXT NOT NULL
);
CREATE INDEX interactions_agent_started ON interactions(agent_id, started_at);
CREATE INDEX interactions_channel_started ON interactions(channel, started_at);
CREATE INDEX interactions_started ON interactions(started_at);
CREATE INDEX interactions_customer ON interactions(customer_ref, started_at);
CREATE TABLE transcripts (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    interaction_id INTEGER UNIQUE NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    turns TEXT NOT NULL
);
CREATE TABLE scorecards (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    key TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    channel TEXT NOT NULL
);
CREATE TABLE scorecard_versions (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    scorecard_id INTEGER NOT NULL REFERENCES scorecards(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    yaml TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    change_note TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT,
    UNIQUE (scorecard_id, version)
);
CREATE TABLE samples (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    objective TEXT,
    spec TEXT NOT NULL,
    seed INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    due_on TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE sample_items (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id),
    evaluator_id INTEGER REFERENCES evaluators(id),
    stratum TEXT,
    weight REAL NOT NULL DEFAULT 1.0,
    reason TEXT,
    status TEXT NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'in_progress', 'done')),
    UNIQUE (sample_id, interaction_id)
);
CREATE INDEX sample_items_evaluator ON sample_items(evaluator_id, status);
CREATE INDEX sample_items_interaction ON sample_items(interaction_id);
CREATE TABLE calibration_sessions (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    expert_evaluator_id INTEGER REFERENCES evaluators(id),
    blind INTEGER NOT NULL DEFAULT 1,
    counts_toward_scores INTEGER NOT NULL DEFAULT 0,
    opened_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE TABLE calibration_items (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    session_id INTEGER NOT NULL REFERENCES calibration_sessions(id) ON DELETE CASCADE,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id),
    UNIQUE (session_id, interaction_id)
);
CREATE TABLE calibration_evaluators (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    session_id INTEGER NOT NULL REFERENCES calibration_sessions(id) ON DELETE CASCADE,
    evaluator_id INTEGER NOT NULL REFERENCES evaluators(id),
    UNIQUE (session_id, evaluator_id)
);
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    interaction_id INTEGER NOT NULL REFERENCES interactions(id),
    scorecard_version_id INTEGER NOT NULL REFERENCES scorecard_versions(id),
    evaluator_id INTEGER NOT NULL REFERENCES evaluators(id),
    sample_id INTEGER REFERENCES samples(id),
    calibration_session_id INTEGER REFERENCES calibration_sessions(id),
    source TEXT NOT NULL DEFAULT 'ad_hoc'
        CHECK (source IN ('sample', 'ad_hoc', 'targeted', 'calibration', 'mystery_shop')),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'signed_off', 'disputed', 'final')),
    revision INTEGER NOT NULL DEFAULT 1,
    score REAL,
    max_score REAL,
    percent REAL,
    fatal INTEGER NOT NULL DEFAULT 0,
    comment TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    signed_by TEXT,
    signed_at TEXT,
    acknowledged_by TEXT,
    acknowledged_at TEXT
);
CREATE INDEX evaluations_interaction ON evaluations(interaction_id);
CREATE INDEX evaluations_evaluator ON evaluations(evaluator_id, status);
CREATE INDEX evaluations_version ON evaluations(scorecard_version_id);
CREATE INDEX evaluations_submitted ON evaluations(status, submitted_at);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    value TEXT,
    na INTEGER NOT NULL DEFAULT 0,
    points REAL,
    max_points REAL,
    failed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (evaluation_id, question_key)
);
CREATE TABLE answer_notes (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    question_key TEXT,
    at_s REAL,
    text TEXT NOT NULL,
    author TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX answer_notes_evaluation ON answer_notes(evaluation_id);
CREATE TABLE coaching_sessions (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('one_to_one', 'team_briefing')),
    agent_id INTEGER REFERENCES agents(id),
    team_id INTEGER REFERENCES teams(id),
    leader_id INTEGER REFERENCES evaluators(id),
    attendees TEXT NOT NULL DEFAULT '[]',
    topic TEXT,
    question_keys TEXT NOT NULL DEFAULT '[]',
    held_at TEXT NOT NULL,
    notes TEXT,
    follow_up_due TEXT,
    evaluation_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE goals (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    coaching_session_id INTEGER NOT NULL REFERENCES coaching_sessions(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    question_keys TEXT NOT NULL DEFAULT '[]',
    metric TEXT,
    target REAL,
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'not_met', 'dropped'))
);
CREATE TABLE disputes (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
    question_key TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
    resolution TEXT,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    origin_uuid TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    os_user TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_uuid TEXT,
    payload TEXT,
    payload_sha256 TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (origin_uuid, seq)
);
CREATE INDEX audit_entity ON audit_log(entity, entity_uuid);
"""


def run_script(db: Database, script: str) -> None:
    """Run semicolon-separated DDL statement by statement.

    ``sqlite3.executescript`` would COMMIT first and so escape the migration's transaction.
    """
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def set_version(db: Database, version: int) -> None:
    db.execute(f"PRAGMA user_version = {int(version)}")


@migrations(name="m001_initial_schema")
def m001_initial_schema(db: Database) -> None:
    run_script(db, M001_SCHEMA)
    set_version(db, 1)


def latest_version() -> int:
    """The schema version this build writes: the number of registered migration steps."""
    return len(migrations.pending(Database(memory=True)))


def _frozen_after_sign_off(table: str, event: str, row: str, what: str, extra: str = "") -> str:
    """A trigger refusing ``event`` on ``table`` rows of a signed-off (or final) evaluation."""
    return (
        f"CREATE TRIGGER {table}_signed_off_{event.lower()} BEFORE {event} ON {table} "
        f"WHEN (SELECT status FROM evaluations WHERE id = {row}.evaluation_id) "
        f"IN ('signed_off', 'final'){extra} "
        f"BEGIN SELECT RAISE(ABORT, '{what} of a signed-off evaluation cannot change'); END"
    )


M002_EVALUATION_RULES: tuple[str, ...] = (
    "CREATE TRIGGER scorecard_versions_immutable_update BEFORE UPDATE ON scorecard_versions "
    "BEGIN SELECT RAISE(ABORT, 'published scorecard versions are immutable: "
    "publish a new version'); END",
    "CREATE TRIGGER scorecard_versions_immutable_delete BEFORE DELETE ON scorecard_versions "
    "BEGIN SELECT RAISE(ABORT, 'published scorecard versions are immutable: "
    "they cannot be deleted'); END",
    # A signed evaluation's record changes only with its status (reopen, dispute, final) or its
    # revision (migration to another version, upheld dispute); acknowledgement fields stay open.
    """CREATE TRIGGER evaluations_signed_off_frozen BEFORE UPDATE ON evaluations
    WHEN OLD.status IN ('signed_off', 'final') AND NEW.status IS OLD.status
        AND NEW.revision IS OLD.revision
        AND (NEW.uuid IS NOT OLD.uuid OR NEW.interaction_id IS NOT OLD.interaction_id
             OR NEW.scorecard_version_id IS NOT OLD.scorecard_version_id
             OR NEW.evaluator_id IS NOT OLD.evaluator_id OR NEW.source IS NOT OLD.source
             OR NEW.score IS NOT OLD.score OR NEW.max_score IS NOT OLD.max_score
             OR NEW.percent IS NOT OLD.percent OR NEW.fatal IS NOT OLD.fatal
             OR NEW.comment IS NOT OLD.comment OR NEW.started_at IS NOT OLD.started_at
             OR NEW.submitted_at IS NOT OLD.submitted_at OR NEW.signed_by IS NOT OLD.signed_by
             OR NEW.signed_at IS NOT OLD.signed_at)
    BEGIN SELECT RAISE(ABORT, 'a signed-off evaluation is read-only: a QA lead must reopen it');
    END""",
    _frozen_after_sign_off("answers", "INSERT", "NEW", "answers"),
    # Points may be recomputed (a migration keeps the answers but scores them by the new version).
    _frozen_after_sign_off(
        "answers",
        "UPDATE",
        "OLD",
        "answers",
        " AND (NEW.value IS NOT OLD.value OR NEW.na IS NOT OLD.na"
        " OR NEW.question_key IS NOT OLD.question_key"
        " OR NEW.evaluation_id IS NOT OLD.evaluation_id)",
    ),
    _frozen_after_sign_off("answers", "DELETE", "OLD", "answers"),
    _frozen_after_sign_off("answer_notes", "INSERT", "NEW", "notes"),
    _frozen_after_sign_off("answer_notes", "UPDATE", "OLD", "notes"),
    _frozen_after_sign_off("answer_notes", "DELETE", "OLD", "notes"),
    "CREATE INDEX evaluations_interaction_evaluator "
    "ON evaluations(interaction_id, evaluator_id, status)",
)


@migrations(name="m002_evaluation_rules")
def m002_evaluation_rules(db: Database) -> None:
    """Immutability the database enforces, whatever program writes to it.

    Published scorecard versions never change; the answers, score and notes of a signed-off
    evaluation change only through a reopen or a migration, both of which change ``status`` or
    ``revision`` and are audited.
    """
    for statement in M002_EVALUATION_RULES:
        db.execute(statement)
    set_version(db, 2)


@migrations(name="m003_browser_indexes")
def m003_browser_indexes(db: Database) -> None:
    """Indexes for the browser's complaint and vulnerable filters and sorts.

    Without them each of those filters reads every row of the table (0.2 s to count, seconds for a
    deep page on a million interactions); with them they are index ranges ordered by start time,
    like the agent and channel filters.
    """
    db.execute("CREATE INDEX interactions_complaint_started ON interactions(complaint, started_at)")
    db.execute(
        "CREATE INDEX interactions_vulnerable_started ON interactions(vulnerable, started_at)"
    )
    set_version(db, 3)


M004_BUNDLES = """
CREATE TABLE bundle_imports (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    bundle_uuid TEXT NOT NULL,
    manifest_sha256 TEXT UNIQUE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('assignment', 'results')),
    origin_uuid TEXT NOT NULL,
    origin_name TEXT,
    origin_head_seq INTEGER,
    origin_head_hash TEXT,
    created_by TEXT,
    created_at TEXT,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE bundle_bases (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    evaluation_id INTEGER UNIQUE NOT NULL REFERENCES evaluations(id),
    digest TEXT NOT NULL,
    import_id INTEGER REFERENCES bundle_imports(id),
    synced_at TEXT NOT NULL
);
CREATE TABLE bundle_conflicts (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    import_id INTEGER NOT NULL REFERENCES bundle_imports(id),
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
    kind TEXT NOT NULL CHECK (kind IN ('edited_both', 'signed_vs_edited')),
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'kept_mine', 'took_theirs')),
    base_digest TEXT,
    mine_digest TEXT NOT NULL,
    theirs_digest TEXT NOT NULL,
    theirs TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX bundle_conflicts_status ON bundle_conflicts(status, evaluation_id);
CREATE UNIQUE INDEX bundle_conflicts_one_open ON bundle_conflicts(evaluation_id)
    WHERE status = 'open'
"""


@migrations(name="m004_bundles")
def m004_bundles(db: Database) -> None:
    """Bookkeeping for offline bundles (issue 6).

    ``bundle_imports`` remembers every bundle taken in (by the digest of its manifest, which
    covers every member), so importing the same file twice changes nothing. ``bundle_bases`` holds,
    per evaluation, the digest of the content last agreed with another workspace — the common
    version that tells "changed here", "changed there" and "changed on both sides" apart.
    ``bundle_conflicts`` keeps the other side's version of an evaluation changed on both sides
    until the QA lead keeps theirs or takes the incoming one; at most one is open per evaluation.
    """
    run_script(db, M004_BUNDLES)
    set_version(db, 4)


M005_SAMPLING = """
CREATE TABLE targeted_reviews (
    id INTEGER PRIMARY KEY,
    uuid TEXT UNIQUE NOT NULL,
    interaction_id INTEGER UNIQUE NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dismissed')),
    closed_by TEXT,
    closed_at TEXT,
    note TEXT
);
CREATE INDEX targeted_reviews_status ON targeted_reviews(status, created_at);
ALTER TABLE samples ADD COLUMN summary TEXT NOT NULL DEFAULT '{}'
"""


@migrations(name="m005_sampling")
def m005_sampling(db: Database) -> None:
    """The standing targeted-review queue, and what a sample's draw reported (issue 5).

    ``targeted_reviews`` holds high-risk contacts picked by the rules run after each import
    (formal complaint, CSAT 1, vulnerable customer, a card number or security code read out), one
    row per interaction. ``samples.summary`` keeps the draw's shortfalls, frame counts, precision
    estimate and allocation beside the spec that produced them.
    """
    run_script(db, M005_SAMPLING)
    set_version(db, 5)


def _closed_session_guard(table: str, event: str, session: str, what: str) -> str:
    """A trigger refusing ``event`` on ``table`` rows when ``session`` (an SQL expression for the
    calibration session id) is a closed calibration session."""
    return (
        f"CREATE TRIGGER {table}_calibration_closed_{event.lower()} BEFORE {event} ON {table} "
        f"WHEN (SELECT closed_at FROM calibration_sessions WHERE id = {session}) IS NOT NULL "
        f"BEGIN SELECT RAISE(ABORT, 'calibration session is closed: {what}'); END"
    )


_EVALUATION_OF = "(SELECT calibration_session_id FROM evaluations WHERE id = {row}.evaluation_id)"

M006_CALIBRATION: tuple[str, ...] = (
    # One evaluation per evaluator, interaction and session: the unit of every agreement statistic.
    "CREATE UNIQUE INDEX evaluations_calibration_one ON evaluations"
    "(calibration_session_id, interaction_id, evaluator_id) "
    "WHERE calibration_session_id IS NOT NULL",
    _closed_session_guard(
        "evaluations", "INSERT", "NEW.calibration_session_id", "no new evaluations"
    ),
    "CREATE TRIGGER evaluations_calibration_closed_update BEFORE UPDATE ON evaluations "
    "WHEN (SELECT closed_at FROM calibration_sessions WHERE id = OLD.calibration_session_id) "
    "IS NOT NULL OR (SELECT closed_at FROM calibration_sessions "
    "WHERE id = NEW.calibration_session_id) IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'calibration session is closed: its evaluations cannot change');"
    " END",
    _closed_session_guard(
        "answers", "INSERT", _EVALUATION_OF.format(row="NEW"), "answers cannot change"
    ),
    _closed_session_guard(
        "answers", "UPDATE", _EVALUATION_OF.format(row="OLD"), "answers cannot change"
    ),
    _closed_session_guard(
        "answer_notes", "INSERT", _EVALUATION_OF.format(row="NEW"), "notes cannot change"
    ),
    _closed_session_guard(
        "answer_notes", "UPDATE", _EVALUATION_OF.format(row="OLD"), "notes cannot change"
    ),
    _closed_session_guard(
        "calibration_items", "INSERT", "NEW.session_id", "its interactions cannot change"
    ),
    _closed_session_guard(
        "calibration_items", "DELETE", "OLD.session_id", "its interactions cannot change"
    ),
    _closed_session_guard(
        "calibration_evaluators", "INSERT", "NEW.session_id", "its evaluators cannot change"
    ),
    _closed_session_guard(
        "calibration_evaluators", "DELETE", "OLD.session_id", "its evaluators cannot change"
    ),
    """CREATE TRIGGER calibration_sessions_closed_frozen BEFORE UPDATE ON calibration_sessions
    WHEN OLD.closed_at IS NOT NULL
        AND (NEW.uuid IS NOT OLD.uuid OR NEW.scorecard_version_id IS NOT OLD.scorecard_version_id
             OR NEW.expert_evaluator_id IS NOT OLD.expert_evaluator_id
             OR NEW.blind IS NOT OLD.blind
             OR NEW.counts_toward_scores IS NOT OLD.counts_toward_scores
             OR NEW.opened_at IS NOT OLD.opened_at OR NEW.closed_at IS NOT OLD.closed_at)
    BEGIN SELECT RAISE(ABORT, 'calibration session is closed: it cannot change'); END""",
)


@migrations(name="m006_calibration_guards")
def m006_calibration_guards(db: Database) -> None:
    """What a closed calibration session promises, enforced by the database (issue 7).

    Closing a session reveals its results to everyone taking part; from then on its evaluations,
    answers, notes, interactions and evaluators cannot change, or the statistics people discussed
    would silently move under them. Deleting answers is left alone so that a retention purge can
    still remove an evaluation whole. The unique index keeps one evaluation per evaluator per
    interaction in a session (and serves the session's queries).
    """
    for statement in M006_CALIBRATION:
        db.execute(statement)
    set_version(db, 6)


@migrations(name="m007_browser_agent_channel_index")
def m007_browser_agent_channel_index(db: Database) -> None:
    """Serve agent (or team) *and* channel filters from one index.

    The commonest combined filter in the browser ("this agent's chats", "this team's calls"):
    with only ``(agent_id, started_at)`` and ``(channel, started_at)`` every candidate row is
    looked up in the table — 0.3 s per count and page on a million interactions; with this index
    the count and pages are read from the index alone, in start-time order.
    """
    db.execute(
        "CREATE INDEX interactions_agent_channel_started"
        " ON interactions(agent_id, channel, started_at)"
    )
    set_version(db, 7)


M008_COACHING: tuple[str, ...] = (
    # What an upheld dispute changed, and who typed the dispute in for the agent.
    "ALTER TABLE disputes ADD COLUMN entered_by TEXT",
    "ALTER TABLE disputes ADD COLUMN previous_value TEXT",
    "ALTER TABLE disputes ADD COLUMN new_value TEXT",
    "ALTER TABLE disputes ADD COLUMN revision_before INTEGER",
    "ALTER TABLE disputes ADD COLUMN revision_after INTEGER",
    "ALTER TABLE disputes ADD COLUMN percent_before REAL",
    "ALTER TABLE disputes ADD COLUMN percent_after REAL",
    "CREATE UNIQUE INDEX disputes_one_open ON disputes(evaluation_id, question_key) "
    "WHERE status = 'open'",
    "CREATE INDEX disputes_evaluation ON disputes(evaluation_id, status)",
    "CREATE INDEX disputes_status ON disputes(status, raised_at)",
    "CREATE TRIGGER disputes_resolved_frozen BEFORE UPDATE ON disputes "
    "WHEN OLD.status <> 'open' "
    "BEGIN SELECT RAISE(ABORT, 'a resolved dispute cannot change'); END",
    # While an evaluation is disputed only the disputed question's answer may change (by the
    # QA lead upholding the dispute); every other answer keeps the value that was signed off.
    "CREATE TRIGGER answers_disputed_update BEFORE UPDATE ON answers "
    "WHEN (SELECT status FROM evaluations WHERE id = OLD.evaluation_id) = 'disputed' "
    "AND (NEW.value IS NOT OLD.value OR NEW.na IS NOT OLD.na) "
    "AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.evaluation_id = OLD.evaluation_id "
    "AND d.question_key = OLD.question_key AND d.status = 'open') "
    "BEGIN SELECT RAISE(ABORT, 'only a disputed answer of a disputed evaluation can change, "
    "by upholding its dispute'); END",
    # A follow-up is an event: when it happened and who held it (overdue until then).
    "ALTER TABLE coaching_sessions ADD COLUMN followed_up_at TEXT",
    "ALTER TABLE coaching_sessions ADD COLUMN followed_up_by TEXT",
    "ALTER TABLE coaching_sessions ADD COLUMN follow_up_note TEXT",
    "ALTER TABLE goals ADD COLUMN reviewed_at TEXT",
    "ALTER TABLE goals ADD COLUMN reviewed_by TEXT",
    "CREATE INDEX coaching_sessions_agent ON coaching_sessions(agent_id, held_at)",
    "CREATE INDEX coaching_sessions_team ON coaching_sessions(team_id, held_at)",
    "CREATE INDEX coaching_sessions_follow_up ON coaching_sessions(followed_up_at, follow_up_due)",
    "CREATE INDEX goals_session ON goals(coaching_session_id)",
)


@migrations(name="m008_coaching_disputes")
def m008_coaching_disputes(db: Database) -> None:
    """Coaching follow-ups and dispute outcomes (issue 8).

    An upheld dispute records the answer before and after, the revision and the score it moved
    between, so a dispute can be read on its own years later; at most one dispute per question is
    open at a time, and a resolved dispute never changes. A disputed evaluation's answers stay
    as signed off except the one under dispute. A coaching session's follow-up is recorded when
    it is held (until then it is overdue after its date), and each goal when it is reviewed.
    """
    for statement in M008_COACHING:
        db.execute(statement)
    set_version(db, 8)


M009_TARGETS: tuple[str, ...] = (
    "CREATE TABLE targets ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " team_id INTEGER REFERENCES teams(id),"
    " channel TEXT CHECK (channel IS NULL OR channel IN "
    "('voice', 'chat', 'email', 'social', 'task')),"
    " metric TEXT NOT NULL CHECK (metric IN "
    "('qa_score', 'aht_s', 'fcr_pct', 'csat', 'service_level_pct')),"
    " value REAL NOT NULL,"
    " threshold_s REAL CHECK (threshold_s IS NULL OR threshold_s >= 0),"
    " updated_at TEXT NOT NULL,"
    " updated_by TEXT)",
    # One target per (team or everyone, channel or every channel, metric).
    "CREATE UNIQUE INDEX targets_scope ON targets(coalesce(team_id, 0), coalesce(channel, ''), metric)",
)


@migrations(name="m009_targets")
def m009_targets(db: Database) -> None:
    """KPI targets per team and channel (issue 9): QA score, AHT, FCR, CSAT and service level
    (the share answered within ``threshold_s`` seconds of queue wait). A row with no team and
    no channel is the workspace-wide target, which coaching packs read too."""
    for statement in M009_TARGETS:
        db.execute(statement)
    set_version(db, 9)


M010_COMPLAINTS: tuple[str, ...] = (
    "CREATE TABLE rcas ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " source_kind TEXT NOT NULL CHECK (source_kind IN "
    "('question', 'complaint_category', 'kpi_miss', 'complaint', 'manual')),"
    " source_ref TEXT NOT NULL DEFAULT '',"
    " problem TEXT NOT NULL,"
    " owner TEXT,"
    " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN "
    "('open', 'actions_agreed', 'checking_effect', 'closed')),"
    " metric TEXT,"
    " change_on TEXT,"
    " effect_note TEXT,"
    " created_at TEXT NOT NULL,"
    " created_by TEXT,"
    " updated_at TEXT NOT NULL)",
    "CREATE INDEX rcas_source ON rcas(source_kind, source_ref)",
    "CREATE TABLE rca_whys ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " rca_id INTEGER NOT NULL REFERENCES rcas(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL CHECK (position >= 1),"
    " text TEXT NOT NULL,"
    " UNIQUE (rca_id, position))",
    "CREATE TABLE rca_causes ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " rca_id INTEGER NOT NULL REFERENCES rcas(id) ON DELETE CASCADE,"
    " category TEXT NOT NULL CHECK (category IN "
    "('People', 'Process', 'Technology', 'Policy', 'Environment', 'Measurement')),"
    " text TEXT NOT NULL,"
    " weight REAL NOT NULL DEFAULT 1 CHECK (weight >= 0))",
    "CREATE INDEX rca_causes_rca ON rca_causes(rca_id)",
    "CREATE TABLE rca_actions ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " rca_id INTEGER NOT NULL REFERENCES rcas(id) ON DELETE CASCADE,"
    " text TEXT NOT NULL,"
    " owner TEXT,"
    " due_on TEXT,"
    " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),"
    " done_on TEXT)",
    "CREATE INDEX rca_actions_rca ON rca_actions(rca_id)",
    "CREATE TABLE complaints ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " interaction_id INTEGER REFERENCES interactions(id),"
    " evaluation_id INTEGER REFERENCES evaluations(id),"
    " rca_id INTEGER REFERENCES rcas(id),"
    " customer_ref TEXT,"
    " opened_at TEXT NOT NULL,"
    " classification TEXT NOT NULL CHECK (classification IN ('formal', 'informal')),"
    " classification_reason TEXT NOT NULL DEFAULT '',"
    " category TEXT NOT NULL,"
    " priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN "
    "('low', 'medium', 'high', 'urgent')),"
    " vulnerable INTEGER NOT NULL DEFAULT 0,"
    " vulnerability_need TEXT,"
    " owner TEXT,"
    " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN "
    "('open', 'investigating', 'resolved', 'referred', 'closed')),"
    " escalation_level INTEGER NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 3),"
    " first_line_attempted INTEGER NOT NULL DEFAULT 0,"
    " regime TEXT NOT NULL,"
    " exceptional INTEGER NOT NULL DEFAULT 0,"
    " summary TEXT NOT NULL DEFAULT '',"
    " summary_due TEXT,"
    " final_due TEXT NOT NULL,"
    " summary_sent_at TEXT,"
    " final_response_at TEXT,"
    " resolution TEXT,"
    " redress_amount REAL CHECK (redress_amount IS NULL OR redress_amount >= 0),"
    " redress TEXT,"
    " ombudsman_referral_at TEXT,"
    " ombudsman_ref TEXT,"
    " follow_up_due TEXT,"
    " followed_up_at TEXT,"
    " created_at TEXT NOT NULL,"
    " created_by TEXT,"
    " updated_at TEXT NOT NULL)",
    "CREATE INDEX complaints_status_due ON complaints(status, final_due)",
    "CREATE INDEX complaints_interaction ON complaints(interaction_id)",
    "CREATE INDEX complaints_category ON complaints(category, opened_at)",
    "CREATE TABLE complaint_events ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
    " at TEXT NOT NULL,"
    " actor TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('created', 'note', 'status', 'handoff', "
    "'escalation', 'classification', 'edit', 'response', 'referral', 'follow_up')),"
    " text TEXT NOT NULL DEFAULT '',"
    " from_value TEXT,"
    " to_value TEXT)",
    "CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, at)",
    # The timeline is a record: entries are never edited or deleted.
    "CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events "
    "BEGIN SELECT RAISE(ABORT, 'complaint timeline entries cannot change'); END",
    "CREATE TABLE breaches ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " evaluation_id INTEGER REFERENCES evaluations(id),"
    " question_key TEXT,"
    " kind TEXT NOT NULL CHECK (kind IN ('data_protection', 'pci')),"
    " regulation TEXT,"
    " opened_at TEXT NOT NULL,"
    " ico_due TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN "
    "('open', 'reported', 'not_reportable')),"
    " reported_at TEXT,"
    " decided_by TEXT,"
    " notes TEXT NOT NULL DEFAULT '',"
    " UNIQUE (evaluation_id, question_key))",
    "CREATE INDEX breaches_status ON breaches(status, ico_due)",
    "CREATE TABLE survey_responses ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " interaction_id INTEGER NOT NULL REFERENCES interactions(id),"
    " survey TEXT NOT NULL DEFAULT '',"
    " score REAL,"
    " scale_max REAL,"
    " comment TEXT,"
    " responded_at TEXT,"
    " source TEXT,"
    " imported_at TEXT NOT NULL,"
    " UNIQUE (interaction_id, survey))",
)


@migrations(name="m010_complaints_rca")
def m010_complaints_rca(db: Database) -> None:
    """Complaints and escalations log, breach log, root-cause analyses and survey responses
    (issue 9). A complaint keeps its due dates (computed from its regime in England & Wales
    business days when logged) so a later change of rules never moves an old deadline silently;
    its timeline rows are append-only. A breach is unique per evaluation question so re-syncing
    from evaluations never opens it twice."""
    for statement in M010_COMPLAINTS:
        db.execute(statement)
    set_version(db, 10)


M011_REGULATION_REVIEWS: tuple[str, ...] = (
    "CREATE TABLE regulation_reviews ("
    " id INTEGER PRIMARY KEY,"
    " uuid TEXT UNIQUE NOT NULL,"
    " reference TEXT NOT NULL,"
    " reviewed_at TEXT NOT NULL,"
    " reviewed_by TEXT NOT NULL,"
    " note TEXT)",
    "CREATE INDEX regulation_reviews_reference ON regulation_reviews(reference, reviewed_at)",
)


@migrations(name="m011_regulation_reviews")
def m011_regulation_reviews(db: Database) -> None:
    """When each ``regulation`` reference cited by a scorecard was last checked against the
    current rule (issue 10): one row per review, so the history of who reviewed what stays."""
    for statement in M011_REGULATION_REVIEWS:
        db.execute(statement)
    set_version(db, 11)


#: ``ON DELETE`` rules made explicit by m012 (every other foreign key keeps ``NO ACTION``, which
#: SQLite enforces as "refuse the delete": agents, teams, evaluators, scorecard versions,
#: interactions and evaluations are never deleted — retention blanks recordings and
#: transcripts and keeps the rows — and the tables that hang off a parent and mean nothing
#: without it already cascade: answers, notes, transcripts, sample items, RCA parts, goals).
M012_DELETE_RULES: dict[str, dict[str, str]] = {
    # A dispute is the agent's challenge to a score and the QA lead's answer: evidence about a
    # performance decision that must outlive any clean-up, so its evaluation cannot go first.
    "disputes": {"evaluation_id": "RESTRICT"},
    # A breach (ICO 72-hour clock, PCI) is a regulatory record of what an evaluation found.
    "breaches": {"evaluation_id": "RESTRICT"},
}


@migrations(name="m012_evidence_delete_rules")
def m012_evidence_delete_rules(db: Database) -> None:
    """Disputes and breaches refuse the deletion of their evaluation (``ON DELETE RESTRICT``).

    Before, their foreign keys had no rule. SQLite's default ``NO ACTION`` refuses as well (at the
    end of the statement, or at commit when checks are deferred) but reads as "not decided";
    RESTRICT says in the schema that these records are evidence and refuses at once. CASCADE was
    rejected: a clean-up that removed an evaluation would silently take the agent's challenge
    or the breach record with it. The tables are rebuilt (``table_rebuild``), keeping every
    row, index and trigger, in the migration's one transaction.
    """
    for table, rules in M012_DELETE_RULES.items():
        rebuild_with_delete_rules(db, table, rules)
    set_version(db, 12)
