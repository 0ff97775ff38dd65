"""A face to tap: drawn, not written, so it needs no words in any language. Large enough for a
finger; the palette gives its colours (a tint from red to green over the base colour), so it
reads in light and dark themes alike."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

FACE_SIZE = 120  # pixels at scale 1: well over the 9 mm a fingertip needs


def tint(face: int, palette: QPalette) -> QColor:
    """Face 1 red ... face 5 green, as light or dark as the palette's base colour."""
    base = palette.color(QPalette.ColorRole.Base)
    hue = (face - 1) * 30  # 0 red, 30 orange, 60 yellow, 90 yellow-green, 120 green
    dark = base.lightness() < 128
    return QColor.fromHsv(hue, 150 if dark else 110, 120 if dark else 250)


class FaceButton(QAbstractButton):
    """One of five faces: 1 very unhappy, 3 neither, 5 very happy."""

    def __init__(self, face: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.face = face
        self.setObjectName(f"customerFace{face}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)

    def sizeHint(self) -> QSize:
        return QSize(FACE_SIZE, FACE_SIZE)

    def minimumSizeHint(self) -> QSize:
        return QSize(FACE_SIZE * 2 // 3, FACE_SIZE * 2 // 3)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        if self.hasFocus():
            focus = self.palette().color(QPalette.ColorRole.Highlight)
            painter.setPen(QPen(focus, max(3.0, side / 20)))
            painter.drawEllipse(box.adjusted(-2, -2, 2, 2))
        draw_face(painter, box, self.face, self.palette(), down=self.isDown())
        painter.end()


def draw_face(
    painter: QPainter, box: QRectF, face: int, palette: QPalette, *, down: bool = False
) -> None:
    """One face in ``box`` (a square): the customer screen's buttons and the visit log's
    small icons draw the same face."""
    side = box.width()
    ink = palette.color(QPalette.ColorRole.Text)
    fill = tint(face, palette)
    if down:
        fill = fill.darker(115)
    pen = QPen(ink, max(1.0, side / 30))
    painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawEllipse(box.adjusted(side / 40, side / 40, -side / 40, -side / 40))
    # Eyes.
    painter.setBrush(ink)
    painter.setPen(Qt.PenStyle.NoPen)
    eye = side / 14
    for x in (0.35, 0.65):
        painter.drawEllipse(QPointF(box.left() + side * x, box.top() + side * 0.38), eye, eye)
    # Mouth: a curve from frown (1) through a straight line (3) to a smile (5).
    painter.setBrush(Qt.BrushStyle.NoBrush)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setWidthF(max(1.2, side / 18))
    painter.setPen(pen)
    bend = (face - 3) * side * 0.09
    left = QPointF(box.left() + side * 0.3, box.top() + side * 0.68 - bend / 2)
    right = QPointF(box.left() + side * 0.7, box.top() + side * 0.68 - bend / 2)
    mouth = QPainterPath(left)
    mouth.quadTo(QPointF(box.center().x(), left.y() + bend * 2), right)
    painter.drawPath(mouth)


def face_pixmap(face: int, side: int, palette: QPalette, ratio: float = 1.0) -> QPixmap:
    """A small face for a table cell or a report."""
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw_face(painter, QRectF(0.5, 0.5, side - 1, side - 1), face, palette)
    painter.end()
    return pixmap
