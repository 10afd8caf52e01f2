"""The fishbone (Ishikawa) diagram of an RCA, painted with QPainter onto a QImage.

The same function feeds the RCA editor's live picture and the PNG export, so what the team sees
is what the report gets. Layout: a horizontal spine ending in the head (the problem statement,
wrapped), three category bones above and three below, each cause a labelled horizontal rib on
its bone with its weight. Text is elided, never clipped mid-glyph; a bone with more causes than
fit says how many are not shown. Needs a Q(Gui)Application (``charts.ensure_app``) for fonts;
the ``offscreen`` platform will do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from qa_studio.domain.rca import CATEGORIES, CauseDraft, by_category
from qa_studio.export.charts import ensure_app

BONE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
MARGIN = 24.0
HEAD_WIDTH = 250.0
LABEL_HEIGHT = 30.0
RIB_LENGTH = 26.0


def _weight(value: float) -> str:
    return f"{value:g}"


def paint_fishbone(
    painter: QPainter, rect: QRectF, problem: str, causes: Sequence[CauseDraft]
) -> None:
    """Paint the diagram into ``rect`` with ``painter`` (white background included)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(rect, QColor("white"))
    body = QFont()
    body.setPixelSize(13)
    bold = QFont(body)
    bold.setBold(True)
    bold.setPixelSize(14)
    left, top = rect.left() + MARGIN, rect.top() + MARGIN
    right, bottom = rect.right() - MARGIN, rect.bottom() - MARGIN
    spine_y = rect.center().y()
    head_left = right - HEAD_WIDTH
    # Head: the problem.
    head = QRectF(head_left + 12, spine_y - 70, HEAD_WIDTH - 12, 140)
    painter.setPen(QPen(QColor("#333333"), 2))
    painter.setBrush(QColor("#fdf1d6"))
    painter.drawRoundedRect(head, 10, 10)
    painter.setFont(bold)
    text_rect = head.adjusted(10, 8, -10, -8)
    metrics = QFontMetricsF(bold)
    flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
    shown = problem.strip() or "(no problem statement yet)"
    while len(shown) > 20 and metrics.boundingRect(text_rect, flags, shown).height() > (
        text_rect.height()
    ):
        shown = shown[: int(len(shown) * 0.9)].rstrip() + "…"
    painter.setPen(QColor("#222222"))
    painter.drawText(text_rect, flags, shown)
    # Spine.
    painter.setPen(QPen(QColor("#333333"), 4))
    painter.drawLine(QPointF(left, spine_y), QPointF(head.left(), spine_y))
    slot = (head.left() - left) / 3.0
    groups = by_category(causes)
    body_metrics = QFontMetricsF(body)
    line_h = body_metrics.height() + 5
    for index, category in enumerate(CATEGORIES):
        column, upper = index % 3, index < 3
        colour = QColor(BONE_COLOURS[index])
        end_y = top + LABEL_HEIGHT if upper else bottom - LABEL_HEIGHT
        attach = QPointF(left + (column + 1) * slot - 8, spine_y)
        dx = abs(spine_y - end_y) * 0.45
        end = QPointF(attach.x() - dx, end_y)
        painter.setPen(QPen(colour, 3))
        painter.drawLine(attach, end)
        # Category label box at the bone's outer end.
        label = QRectF(end.x() - 70, end_y - LABEL_HEIGHT if upper else end_y, 140, LABEL_HEIGHT)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(label.adjusted(0, 3, 0, -3), 6, 6)
        painter.setPen(QColor("white"))
        painter.setFont(bold)
        items = groups.get(category, [])
        title = f"{category} ({len(items)})" if items else category
        painter.drawText(label, int(Qt.AlignmentFlag.AlignCenter), title)
        # Ribs: causes spread along the bone, heaviest nearest the spine.
        span = abs(spine_y - end_y) - 14
        fit = max(1, int(span // line_h))
        ordered = sorted(items, key=lambda c: (-c.weight, c.text))
        visible = ordered if len(ordered) <= fit else ordered[: fit - 1]
        painter.setFont(body)
        text_width = slot - 2 * RIB_LENGTH - 12
        step = min(2.0 * line_h, span / (len(visible) + 1)) if visible else line_h
        for k, cause in enumerate(visible):
            offset = 10 + step * (k + 0.5)
            y = spine_y - offset if upper else spine_y + offset
            t = offset / abs(spine_y - end_y)
            x = attach.x() - dx * t
            painter.setPen(QPen(colour, 1.5))
            painter.drawLine(QPointF(x - RIB_LENGTH, y), QPointF(x, y))
            painter.setPen(QColor("#222222"))
            text = f"{cause.text} (×{_weight(cause.weight)})"
            _draw_rib_text(painter, body_metrics, text, x - RIB_LENGTH - 4, y, text_width,
                           line_h, two_lines=step >= 2 * line_h - 0.5)  # fmt: skip
        hidden = len(ordered) - len(visible)
        if hidden:
            offset = 10 + step * (len(visible) + 0.5)
            y = spine_y - offset if upper else spine_y + offset
            x = attach.x() - dx * offset / abs(spine_y - end_y)
            painter.setPen(QColor("#666666"))
            box = QRectF(x - RIB_LENGTH - 4 - text_width, y - line_h / 2, text_width, line_h)
            painter.drawText(
                box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"+{hidden} more",
            )  # fmt: skip
    painter.restore()


def _draw_rib_text(
    painter: QPainter, metrics: QFontMetricsF, text: str, right: float, y: float, width: float,
    line_h: float, *, two_lines: bool,
) -> None:  # fmt: skip
    """Right-aligned label ending at ``right``, centred on ``y``: wrapped onto two lines when
    there is room and it needs them, otherwise elided in the middle (never clipped)."""
    align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if two_lines and metrics.horizontalAdvance(text) > width:
        box = QRectF(right - width, y - line_h, width, 2 * line_h)
        flags = int(align) | int(Qt.TextFlag.TextWordWrap)
        if metrics.boundingRect(box, flags, text).height() <= box.height():
            painter.drawText(box, flags, text)
            return
        words = text.split(" ")
        first = ""
        for word in words:  # as many whole words as fit on the first line
            trial = f"{first} {word}".strip()
            if metrics.horizontalAdvance(trial) > width:
                break
            first = trial
        rest = text[len(first) :].strip()
        second = metrics.elidedText(rest, Qt.TextElideMode.ElideMiddle, width)
        painter.drawText(QRectF(right - width, y - line_h, width, line_h), int(align), first)
        painter.drawText(QRectF(right - width, y, width, line_h), int(align), second)
        return
    elided = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)
    painter.drawText(QRectF(right - width, y - line_h / 2, width, line_h), int(align), elided)


def render_fishbone(
    problem: str, causes: Sequence[CauseDraft], *, width: int = 1400, height: int = 760
) -> QImage:
    """The diagram as an image (needs no window)."""
    ensure_app()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        paint_fishbone(painter, QRectF(0, 0, width, height), problem, causes)
    finally:
        painter.end()
    return image


def save_fishbone_png(
    path: str | Path, problem: str, causes: Sequence[CauseDraft], *, width: int = 1400,
    height: int = 760,
) -> Path:  # fmt: skip
    """Write the diagram to ``path`` as PNG; ``OSError`` when it cannot be written."""
    target = Path(path)
    image = render_fishbone(problem, causes, width=width, height=height)
    if not image.save(str(target), "PNG"):
        raise OSError(f"could not write {target}")
    return target
