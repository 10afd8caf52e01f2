"""Horizontal stacked bars of each evaluator's sample work: done, in progress, assigned.

Why custom-painted: a handful of evaluators, three segments and a capacity mark do not need a
plotting library, and a painted widget sizes itself to its rows and reads well in screenshots.
Each row is one evaluator; the dashed mark is their weekly capacity and the red text counts
overdue items, so an overloaded or late evaluator stands out at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from qa_studio.storage.repository.sample_work import EvaluatorWorkload

SEGMENTS = (
    ("Done", "done", QColor("#2f855a")),
    ("In progress", "in_progress", QColor("#3b82f6")),
    ("Assigned", "assigned", QColor("#cbd5e1")),
)
OVERDUE = QColor("#b91c1c")
ROW_H, BAR_H, LEGEND_H, NAME_W, TAIL_W, PAD = 26, 16, 24, 150, 120, 8


class WorkloadBars(QWidget):
    """``set_workloads(list[EvaluatorWorkload])``; paints nothing but a note when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workloadBars")
        self.workloads: list[EvaluatorWorkload] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(LEGEND_H + 2 * ROW_H)

    def set_workloads(self, workloads: Sequence[EvaluatorWorkload]) -> None:
        self.workloads = list(workloads)
        self.setMinimumHeight(LEGEND_H + max(2, len(self.workloads)) * ROW_H + PAD)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, LEGEND_H + max(2, len(self.workloads)) * ROW_H + PAD)

    def scale_max(self) -> int:
        """The count at the right end of the bars: the largest total or capacity."""
        return max([1] + [w.assigned + w.in_progress + w.done for w in self.workloads]
                   + [w.capacity for w in self.workloads])  # fmt: skip

    def bar_widths(self, workload: EvaluatorWorkload) -> list[float]:
        """Pixel width of each segment (done, in progress, assigned) at the current size."""
        span = max(10.0, self.width() - NAME_W - TAIL_W - 2 * PAD)
        return [span * getattr(workload, key) / self.scale_max() for _l, key, _c in SEGMENTS]

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        text = self.palette().text().color()
        if not self.workloads:
            p.setPen(text)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                       "No evaluators with sample work yet.")  # fmt: skip
            p.end()
            return
        x = PAD + NAME_W
        for label, _key, colour in SEGMENTS:  # legend
            p.fillRect(QRectF(x, 6, 12, 12), colour)
            p.setPen(text)
            p.drawText(QRectF(x + 16, 2, 100, 20), Qt.AlignmentFlag.AlignVCenter, label)
            x += 26 + p.fontMetrics().horizontalAdvance(label)
        p.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
        p.drawLine(x + 2, 12, x + 14, 12)
        p.setPen(text)
        p.drawText(QRectF(x + 18, 2, 160, 20), Qt.AlignmentFlag.AlignVCenter, "weekly capacity")
        span = max(10.0, self.width() - NAME_W - TAIL_W - 2 * PAD)
        for row, w in enumerate(self.workloads):
            top = LEGEND_H + row * ROW_H
            p.setPen(text)
            name = p.fontMetrics().elidedText(w.name, Qt.TextElideMode.ElideRight, NAME_W - 8)
            p.drawText(QRectF(PAD, top, NAME_W - 8, ROW_H),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)  # fmt: skip
            x = float(PAD + NAME_W)
            y = top + (ROW_H - BAR_H) / 2
            for width, (_l, _k, colour) in zip(self.bar_widths(w), SEGMENTS, strict=True):
                if width > 0:
                    p.fillRect(QRectF(x, y, width, BAR_H), colour)
                x += width
            cap_x = PAD + NAME_W + span * w.capacity / self.scale_max()
            p.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
            p.drawLine(int(cap_x), int(y - 3), int(cap_x), int(y + BAR_H + 3))
            total = w.assigned + w.in_progress + w.done
            p.setPen(OVERDUE if w.overdue else text)
            tail = f"{total}" + (f" · {w.overdue} overdue" if w.overdue else "")
            p.drawText(QRectF(max(x, cap_x) + 6, top, TAIL_W + NAME_W, ROW_H),
                       Qt.AlignmentFlag.AlignVCenter, tail)  # fmt: skip
        p.end()
