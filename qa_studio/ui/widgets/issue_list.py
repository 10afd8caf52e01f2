"""The editor's validation problems: every issue, with its path and where it is in the form.

``validate`` reports paths such as ``sections[1].questions[0].scale.anchors.5``; this module maps
a path back to the section and question of the working copy it points into (so clicking an issue
can select the item) and to the property widget for the rest of the path (so the field can take
focus). The property widgets carry those names as their ``objectName``.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from qa_studio.scorecards.schema import Issue
from qa_studio.ui.models.working_copy import QuestionDraft, SectionDraft, WorkingCopy

PATH_ROLE = Qt.ItemDataRole.UserRole
_ISSUE_PATH = re.compile(r"^sections\[(\d+)\](?:\.questions\[(\d+)\])?(?:\.(.*))?$")
_SCALE_WIDGETS = {"min": "scale_min", "max": "scale_max", "pass_at": "scale_pass_at"}


def locate(wc: WorkingCopy, path: str) -> tuple[SectionDraft | None, QuestionDraft | None, str]:
    """The section and question ``path`` points into, and the rest of the path."""
    m = _ISSUE_PATH.match(path)
    if not m or int(m.group(1)) >= len(wc.sections):
        return None, None, path
    section = wc.sections[int(m.group(1))]
    row, rest = m.group(2), m.group(3) or ""
    if row is None:
        return section, None, rest
    if int(row) < len(section.questions):
        return section, section.questions[int(row)], rest
    return section, None, f"questions[{row}]" + (f".{rest}" if rest else "")


def describe(wc: WorkingCopy, path: str) -> str:
    """Where an issue is, in the author's words: the question's key and its section's name."""
    section, question, _rest = locate(wc, path)
    if section is None:
        return ""
    name = section.fields.get("name") or section.key or "?"
    if question is not None:
        return f"question “{question.key or '(no key)'}” in {name}"
    return f"section “{name}”"


def field_widget_name(rest: str) -> str:
    """The objectName of the property widget for the rest of an issue path (``scale.max`` …)."""
    if rest.startswith("scale."):
        return _SCALE_WIDGETS.get(rest.split(".")[1], "anchors")
    if rest.startswith("options"):
        return "options"
    if rest == "pass_at":
        return "points_pass_at"
    return rest.split(".")[0].split("[")[0]


class IssuePanel(QWidget):
    """A one-line verdict above the list of problems; choosing a problem reports its path."""

    issueChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("issuesLabel")
        self.label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("issueList")
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)
        box.addWidget(self.label)
        box.addWidget(self.list, 1)

    def show_issues(self, issues: list[Issue], wc: WorkingCopy) -> None:
        self.list.clear()
        for issue in issues:
            where = describe(wc, issue.path)
            text = f"{issue.path or '(scorecard)'}: {issue.message}"
            item = QListWidgetItem(text + (f"  — {where}" if where else ""))
            item.setData(PATH_ROLE, issue.path)
            item.setToolTip("Click to select the item with this problem.")
            self.list.addItem(item)
        n = len(issues)
        self.list.setVisible(bool(n))
        if not n:
            self.label.setText(
                "<span style='color:#166534'>✓ No problems — ready to publish</span>"
            )
        else:
            self.label.setText(
                f"<span style='color:#b91c1c'><b>{n} problem{'' if n == 1 else 's'}</b> — "
                "click one to go to it; publishing is disabled until they are fixed</span>"
            )

    def texts(self) -> list[str]:
        return [self.list.item(r).text() for r in range(self.list.count())]

    def _chosen(self, item: QListWidgetItem) -> None:
        self.issueChosen.emit(str(item.data(PATH_ROLE) or ""))
