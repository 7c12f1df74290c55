"""The first column of a wide table stays in place while the rest scrolls sideways (the roster's 姓名).

``FrozenColumn(view)`` lays a second view over the left edge of ``view``: same model, same selection,
only the first column shown, scrolled up and down with it. Clicks, double-clicks, the context menu and
the header's sort and column menu reach ``view`` as if made on it (the Qt "frozen column" example)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from ui.widgets.rows_view import RowsView


class FrozenColumn(RowsView):
    def __init__(self, view: QTableView):
        super().__init__(view)
        self.view = view
        self.setObjectName("frozenColumn")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(view.verticalScrollMode())
        self.setSelectionBehavior(view.selectionBehavior())
        self.setSelectionMode(view.selectionMode())
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(view.alternatingRowColors())
        self.setWordWrap(view.wordWrap())
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        rows.setDefaultSectionSize(view.verticalHeader().defaultSectionSize())
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSortIndicatorShown(view.horizontalHeader().isSortIndicatorShown())
        header.setHighlightSections(view.horizontalHeader().highlightSections())
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.viewport().stackUnder(self)

        self.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        view.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        main = view.horizontalHeader()
        main.sectionResized.connect(lambda *_a: self.place())
        main.geometriesChanged.connect(self.place)
        view.verticalHeader().geometriesChanged.connect(self.place)  # more digits in the row numbers
        main.sortIndicatorChanged.connect(lambda section, order: header.setSortIndicator(section, order))
        header.sectionClicked.connect(main.sectionClicked.emit)
        header.customContextMenuRequested.connect(
            lambda pos: main.customContextMenuRequested.emit(main.mapFromGlobal(header.mapToGlobal(pos))))
        self.customContextMenuRequested.connect(
            lambda pos: view.customContextMenuRequested.emit(view.viewport().mapFromGlobal(self.viewport().mapToGlobal(pos))))
        self.doubleClicked.connect(view.doubleClicked.emit)
        if isinstance(view, RowsView):  # the view need not paint what lies under this one
            view.cover = self
        self.attach()
        self._watcher = _Watcher(self)
        view.installEventFilter(self._watcher)
        self.show()

    def attach(self) -> None:
        """Share the view's model and selection (again after the view got a new model)."""
        model = self.view.model()
        if self.model() is not model:
            self.setModel(model)
            if model is not None:
                model.modelReset.connect(self.place)
                model.layoutChanged.connect(self.place)
                model.columnsInserted.connect(self.place)
                model.columnsRemoved.connect(self.place)
        if self.view.selectionModel() is not None:
            self.setSelectionModel(self.view.selectionModel())
        self.place()

    def place(self) -> None:
        """Show only the first column, as wide as the view's, over the view's left edge."""
        model = self.model()
        columns = model.columnCount() if model is not None else 0
        for column in range(columns):
            self.setColumnHidden(column, column != 0)
        if columns == 0:
            self.hide()
            return
        self.setColumnWidth(0, self.view.columnWidth(0))
        self.horizontalHeader().setFixedHeight(self.view.horizontalHeader().height())
        frame = self.view.frameWidth()
        left = frame + (self.view.verticalHeader().width() if self.view.verticalHeader().isVisible() else 0)
        self.setGeometry(left, frame, self.view.columnWidth(0),
                         self.view.viewport().height() + self.view.horizontalHeader().height())
        self.verticalScrollBar().setValue(self.view.verticalScrollBar().value())
        self.show()


class _Watcher(QObject):
    """Follows the view's size (and its header's height) as the window changes."""

    def __init__(self, frozen: FrozenColumn):
        super().__init__(frozen)
        self.frozen = frozen

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self.frozen.place()
        return False
