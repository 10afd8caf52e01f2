"""Scorecard editor screen: build or change a scorecard, check it, preview it, publish a version.

Left: the workspace's scorecards and versions, and the structure tree of the *working copy* (from a
published version, a built-in or an imported file). Middle: the properties of the selected item and
every validation problem, re-checked after each edit by ``scorecards.schema.validate`` — the same
rules the CLI and the repository apply, so what the editor accepts can be published. Right: a live
preview (the scoring screen's own form, read-only) and the what-if panel.

Publishing never edits a version: it stores the next one with a change note (the repository
refuses a card identical to the latest version, and the editor shows its message). Publish and
the what-if migration are the screen's only writes, marked for ``ui.write_guard``: in a read-only
workspace a card can still be opened, edited as a working copy, previewed, compared and exported.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_studio.errors import QAStudioError
from qa_studio.scorecards import loader
from qa_studio.scorecards.schema import Issue, Scorecard, ScorecardInvalid, to_dict, validate
from qa_studio.storage.db import Workspace
from qa_studio.storage.repository import scorecards
from qa_studio.storage.repository.scorecards import ScorecardVersion
from qa_studio.ui.models.scorecard_tree_model import ScorecardTreeModel
from qa_studio.ui.models.working_copy import QuestionDraft, SectionDraft, WorkingCopy
from qa_studio.ui.widgets.card_library import CardLibrary
from qa_studio.ui.widgets.form_preview import FormPreview
from qa_studio.ui.widgets.issue_list import IssuePanel, field_widget_name, locate
from qa_studio.ui.widgets.item_properties import FormProperties, SectionProperties
from qa_studio.ui.widgets.question_properties import QuestionProperties
from qa_studio.ui.widgets.structure_panel import StructurePanel
from qa_studio.ui.widgets.whatif_panel import WhatIfPanel
from qa_studio.ui.write_guard import mark_writes


class ScorecardEditor(QWidget):
    """The whole editor screen for one workspace."""

    scorecardPublished = Signal(str, int)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model = ScorecardTreeModel(parent=self)
        self.card: Scorecard | None = None
        self.issues: list[Issue] = []
        self.origin = "a new scorecard"
        self.base_version: ScorecardVersion | None = None
        self.baseline: dict = self.model.working.to_dict()
        self._build()
        self.model.edited.connect(self._after_edit)
        self.structure.currentItemChanged.connect(self._show_properties)
        self.library.refresh()
        self.model.set_working_copy(WorkingCopy())
        # Open on the first published scorecard (what someone visiting the tab came to read),
        # not on a blank card that starts with "1 problem".
        cards = scorecards.list_cards(ws)
        if cards:
            self.open_card(cards[0][0])
            self.library.select_card(cards[0][0])

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.builtin_button = QToolButton()
        self.builtin_button.setText("New from built-in ▸")
        self.builtin_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.builtin_menu = QMenu(self.builtin_button)
        blank = self.builtin_menu.addAction("Blank scorecard")
        blank.triggered.connect(self.new_blank)
        self.builtin_menu.addSeparator()
        for key in loader.builtin_keys():
            action = self.builtin_menu.addAction(key)
            action.triggered.connect(lambda _c=False, k=key: self.new_from_builtin(k))
        self.builtin_button.setMenu(self.builtin_menu)
        self.import_button = QPushButton("Import YAML…")
        self.import_button.clicked.connect(lambda: self.import_yaml())
        self.export_button = QPushButton("Export YAML…")
        self.export_button.clicked.connect(lambda: self.export_yaml())
        self.publish_button = QPushButton("Publish…")
        self.publish_button.setObjectName("publishButton")
        self.publish_button.clicked.connect(lambda: self.publish())
        mark_writes(self.publish_button)
        self.origin_label = QLabel()
        self.origin_label.setObjectName("originLabel")
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        for w in (self.builtin_button, self.import_button, self.export_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(self.origin_label, 1)
        bar.addWidget(self.status_label)
        bar.addWidget(self.publish_button)
        outer.addLayout(bar)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QSplitter(Qt.Orientation.Vertical)
        self.library = CardLibrary(self.ws)
        self.library.cardChosen.connect(self.open_card)
        self.library.versionChosen.connect(self.open_version)
        self.structure = StructurePanel(self.model)
        left.addWidget(self.library)
        left.addWidget(self.structure)
        left.setSizes([330, 470])
        splitter.addWidget(left)
        splitter.addWidget(self._build_middle())
        self.tabs = QTabWidget()
        self.preview = FormPreview()
        self.whatif = WhatIfPanel(self.ws)
        self.tabs.addTab(self.preview, "Preview")
        self.tabs.addTab(self.whatif, "What-if")
        splitter.addWidget(self.tabs)
        splitter.setSizes([370, 460, 570])
        outer.addWidget(splitter, 1)

    def _build_middle(self) -> QWidget:
        middle = QSplitter(Qt.Orientation.Vertical)
        self.pages = QStackedWidget()
        self.empty_page = QLabel("Select the form, a section or a question in the tree.")
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.form_page, self.section_page = FormProperties(), SectionProperties()
        self.question_page = QuestionProperties()
        for page in (self.empty_page, self.form_page, self.section_page, self.question_page):
            self.pages.addWidget(page)
        for page in (self.form_page, self.section_page, self.question_page):
            page.fieldEdited.connect(self._field_edited)
        self.question_page.scaleEdited.connect(self._scale_edited)
        self.question_page.optionsEdited.connect(self._options_edited)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.pages)
        middle.addWidget(scroll)
        self.issue_panel = IssuePanel()
        self.issue_panel.issueChosen.connect(self.go_to_issue)
        middle.addWidget(self.issue_panel)
        middle.setSizes([720, 110])
        return middle

    def refresh(self) -> None:
        """Re-read the workspace's scorecards (e.g. when the tab is shown again after a demo
        build or a CLI publish); the working copy is left alone."""
        self.library.refresh()

    # --- the working copy ---------------------------------------------------------------------

    @property
    def working(self) -> WorkingCopy:
        return self.model.working

    @property
    def dirty(self) -> bool:
        return self.working.to_dict() != self.baseline

    def _load(self, data: dict, origin: str, base: ScorecardVersion | None) -> None:
        self.origin, self.base_version = origin, base
        self.baseline = WorkingCopy.from_dict(data).to_dict()
        self.library.show_versions(base.key if base else None)
        self.library.mark_version(base.id if base else None)
        self.model.set_working_copy(WorkingCopy.from_dict(data))
        self.preview.flush()
        self.whatif.set_card(base.key if base else None)

    def _confirm_discard(self) -> bool:
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self, "Discard changes?",
            f"The working copy of {self.origin} has changes that are not published.\n"
            "Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Discard

    def open_card(self, key: str) -> None:
        """Edit the latest published version of ``key``."""
        version = scorecards.latest(self.ws, key)
        if version is not None:
            self.open_version(version.id)

    def open_version(self, version_id: int) -> None:
        if not self._confirm_discard():
            self.library.select_card(self.base_version.key if self.base_version else None)
            return
        v = scorecards.get_version(self.ws, version_id)
        self._load(to_dict(v.card), f"{v.key} v{v.version}", v)

    def new_blank(self) -> None:
        if self._confirm_discard():
            self._load(WorkingCopy().to_dict(), "a new scorecard", None)

    def new_from_builtin(self, key: str) -> None:
        if self._confirm_discard():
            card = loader.load_builtin(key)
            self._load(to_dict(card), f"built-in {key}", scorecards.latest(self.ws, card.key))

    def import_yaml(self, path: str | None = None) -> bool:
        """Load a YAML file as the working copy; problems are shown with file:line path."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, "Import scorecard YAML", "", "Scorecards (*.yaml *.yml);;All files (*)"
            )
        if not path or not self._confirm_discard():
            return False
        file = Path(path)
        try:
            card = loader.load_file(file, filename=file.name)
        except ScorecardInvalid as exc:
            lines = [str(issue) for issue in exc.issues]
            self.status_label.setText(f"Import failed: {lines[0] if lines else exc.message}")
            QMessageBox.warning(
                self, "Import failed", f"{file.name} was not imported:\n\n" + "\n".join(lines)
            )
            return False
        self._load(to_dict(card), f"imported {file.name}", scorecards.latest(self.ws, card.key))
        return True

    def export_yaml(self, path: str | None = None) -> bool:
        key = self.working.fields.get("key") or "scorecard"
        if self.card is None:
            answer = QMessageBox.question(
                self, "Export with problems?",
                f"The scorecard has {len(self.issues)} problem(s); the exported file will not "
                "load until they are fixed. Export anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, "Export scorecard YAML", f"{key}.yaml", "Scorecards (*.yaml *.yml)"
            )
        if not path:
            return False
        if self.card is not None:
            text = loader.dump_text(self.card)
        else:
            text = yaml.safe_dump(self.working.to_dict(), sort_keys=False, allow_unicode=True)
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(
                self, "Export failed", f"{path} could not be written: {exc.strerror or exc}"
            )
            return False
        self.status_label.setText(f"Exported {Path(path).name}")
        return True

    def publish(self) -> ScorecardVersion | None:
        """Ask for a change note and store the working copy as the card's next version."""
        if self.card is None:
            QMessageBox.warning(
                self, "Cannot publish", "Fix the problems listed under the properties first."
            )
            return None
        card = self.card
        note, ok = QInputDialog.getMultiLineText(
            self,
            f"Publish {card.key}",
            "Change note (required): what changed and why. Evaluators and auditors read it.",
        )
        if not ok:
            return None
        if not note.strip():
            QMessageBox.warning(
                self,
                "Not published",
                "A change note is required to publish. Nothing was published.",
            )
            return None
        latest = scorecards.latest(self.ws, card.key)
        # An unchanged card is sent as the stored text so the repository can say so.
        text = latest.yaml if latest is not None and latest.card == card else loader.dump_text(card)
        try:
            version = scorecards.publish(self.ws, text, note, filename=f"{card.key}.yaml")
        except QAStudioError as exc:
            QMessageBox.warning(self, "Not published", exc.message)
            return None
        self.origin, self.base_version = f"{version.key} v{version.version}", version
        self.baseline = self.working.to_dict()
        self.library.refresh(version.key)
        self.library.mark_version(version.id)
        self.whatif.set_card(version.key)
        self._after_edit()
        self.status_label.setText(f"Published {version.key} v{version.version}")
        self.scorecardPublished.emit(version.key, version.version)
        return version

    # --- edits and validation -----------------------------------------------------------------

    def _field_edited(self, name: str, value: object) -> None:
        self.model.set_field(self.structure.current(), name, value)

    def _scale_edited(self, scale: dict) -> None:
        self.model.update_question(self.structure.current(), lambda q: q.scale.update(scale))

    def _options_edited(self, options: list, pass_at: object) -> None:
        def apply(q: QuestionDraft) -> None:
            q.options = options
            q.points_pass_at = pass_at

        self.model.update_question(self.structure.current(), apply)

    def _after_edit(self) -> None:
        key = self.working.fields.get("key") or "scorecard"
        try:
            self.card = validate(self.working.to_dict(), filename=f"{key}.yaml")
            self.issues = []
        except ScorecardInvalid as exc:
            self.card, self.issues = None, list(exc.issues)
        self.issue_panel.show_issues(self.issues, self.working)
        self.publish_button.setEnabled(self.card is not None)
        self.preview.show_card(self.card, len(self.issues))
        state = " · <b>modified</b>" if self.dirty else ""
        self.origin_label.setText(f"Editing {self.origin}{state}")
        self.status_label.setText("")

    def _show_properties(self, index: QModelIndex) -> None:
        node = self.model.node(index)
        if isinstance(node, WorkingCopy):
            self.form_page.load(node.fields)
            self.pages.setCurrentWidget(self.form_page)
        elif isinstance(node, SectionDraft):
            self.section_page.load(node.fields)
            self.pages.setCurrentWidget(self.section_page)
        elif isinstance(node, QuestionDraft):
            self.question_page.load(node)
            self.pages.setCurrentWidget(self.question_page)
            self.preview.reveal(node.key)
        else:
            self.pages.setCurrentWidget(self.empty_page)

    def go_to_issue(self, path: str) -> None:
        """Select the item an issue path names and focus the field it is about."""
        section, question, rest = locate(self.working, path)
        node = question or section
        index = self.model.index_for_uid(node.uid) if node else self.model.form_index()
        self.structure.select(index)
        page = self.pages.currentWidget()
        widget = page.findChild(QWidget, field_widget_name(rest)) if rest else None
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
