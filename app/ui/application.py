"""GUI bootstrap: the QApplication, the database, the main window."""

import sys

from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__
from app.paths import default_database_path
from app.services import storage


def run_gui(args) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    db_path = args.db or default_database_path()
    storage.open(db_path)

    from app.ui.main_window import MainWindow

    window = MainWindow(db_path)
    window.show()
    try:
        return app.exec()
    finally:
        storage.close()
