"""The store's settings a manager sets: name, language, the country phone numbers are read
for, when a wait turns amber and red, the service target, the idle lock and the folder backups
go to (empty: the default, beside the database). Checked by the domain on save (nothing is
stored if one is wrong); ``saved`` carries the settings as stored, so the counter screen can
follow them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter.backup import default_backup_folder
from counter.i18n import available_languages
from counter.roles import Session
from counter.settings import (
    MAX_STORE_NAME,
    MINUTE_RANGES,
    StoreSettings,
    load_settings,
    phone_regions,
    save_store_settings,
)
from ui.accessible import name_by_label
from ui.error_text import error_label, error_text
from ui.i18n import _, current
from ui.tasks import Runner

MINUTE_FIELDS = (
    "wait_amber_minutes",
    "wait_red_minutes",
    "service_target_minutes",
    "idle_lock_minutes",
)


class StoreSettingsView(QGroupBox):
    saved = Signal(object)  # the StoreSettings as stored

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        parent: QWidget | None = None,
        *,
        db_path: Path | None = None,  # where the default backup folder is (None: not known)
    ):
        super().__init__(parent)
        self.setObjectName("storeSettings")
        self._runner = runner
        self._session = session
        self._clock = clock
        self._db_path = db_path

        self.store_name = QLineEdit(self)
        self.store_name.setObjectName("settingsStoreName")
        self.store_name.setMaxLength(MAX_STORE_NAME)
        self.store_language = QComboBox(self)
        self.store_language.setObjectName("settingsStoreLanguage")
        for code in available_languages():
            self.store_language.addItem(code, code)
        self.phone_region = QComboBox(self)
        self.phone_region.setObjectName("settingsPhoneRegion")
        self.phone_region.setMaxVisibleItems(20)
        self.minutes: dict[str, QSpinBox] = {}
        for key in MINUTE_FIELDS:
            box = QSpinBox(self)
            box.setObjectName(key)
            box.setRange(*MINUTE_RANGES[key])
            self.minutes[key] = box
        self.backup_folder = QLineEdit(self)
        self.backup_folder.setObjectName("settingsBackupFolder")
        self.backup_folder.textChanged.connect(lambda _t: self._show_backup_state())
        self.choose_folder = QPushButton(self)
        self.choose_folder.setObjectName("settingsChooseFolder")
        self.choose_folder.clicked.connect(self.choose_backup_folder)
        self.default_folder = QPushButton(self)
        self.default_folder.setObjectName("settingsDefaultFolder")
        self.default_folder.clicked.connect(self.backup_folder.clear)
        self.backup_state = QLabel(self)
        self.backup_state.setObjectName("settingsBackupState")
        self.backup_state.setWordWrap(True)
        # The path gets the field's whole width; the buttons and what the field means below it.
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(self.choose_folder)
        folder_buttons.addWidget(self.default_folder)
        folder_buttons.addStretch(1)
        folder_row = QVBoxLayout()
        folder_row.addWidget(self.backup_folder)
        folder_row.addLayout(folder_buttons)
        folder_row.addWidget(self.backup_state)
        self.labels = [QLabel(self) for _i in range(8)]
        widgets = [self.store_name, self.store_language, self.phone_region, *self.minutes.values()]
        form = QFormLayout()
        form.setFieldGrowthPolicy(
            QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow
        )  # the name; boxes stay small
        for label, widget in zip(self.labels, widgets, strict=False):
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.labels[-1].setBuddy(self.backup_folder)
        form.addRow(self.labels[-1], folder_row)

        self.save_button = QPushButton(self)
        self.save_button.setObjectName("settingsSave")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(self)
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.errors = error_label(self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self._runner.run(load_settings, self.show_settings, self._failed, key="store_settings")

    def show_settings(self, settings: StoreSettings) -> None:
        self.store_name.setText(settings.store_name)
        self.store_language.setCurrentIndex(
            max(0, self.store_language.findData(settings.store_language))
        )
        self.phone_region.setCurrentIndex(max(0, self.phone_region.findData(settings.phone_region)))
        for key, box in self.minutes.items():
            box.setValue(getattr(settings, key))
        self.backup_folder.setText(settings.backup_folder)

    def values(self) -> dict[str, str]:
        return {
            "store_name": self.store_name.text(),
            "store_language": self.store_language.currentData() or "",
            "phone_region": self.phone_region.currentData() or "",
            **{key: str(box.value()) for key, box in self.minutes.items()},
            "backup_folder": self.backup_folder.text(),
        }

    def choose_backup_folder(self) -> None:
        start = self.backup_folder.text().strip() or str(self._default_folder() or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, _("Folder for backups"), start)
        if chosen:
            self.backup_folder.setText(str(Path(chosen)))

    def _default_folder(self) -> Path | None:
        return default_backup_folder(self._db_path) if self._db_path is not None else None

    def _show_backup_state(self) -> None:
        using_default = not self.backup_folder.text().strip()
        self.default_folder.setEnabled(not using_default)
        default = self._default_folder()
        if not using_default:
            self.backup_state.setText(_("Backups go to the folder above."))
        elif default is not None:
            self.backup_state.setText(
                _("Default: backups go to {path}, beside the database.").format(path=default)
            )
        else:
            self.backup_state.setText(_("Default: backups go to a folder beside the database."))

    def save(self) -> None:
        values, session, now = self.values(), self._session, self._clock()

        def save_and_load(db) -> StoreSettings:
            save_store_settings(db, session, values, now=now)
            return load_settings(db)

        self.message.clear()
        self._runner.run(save_and_load, self._saved, self._failed)

    def _saved(self, settings: StoreSettings) -> None:
        self.errors.hide()
        self.show_settings(settings)
        self.message.setText(_("Saved. The counter screen uses these settings now."))
        self.saved.emit(settings)

    def _failed(self, error: BaseException) -> None:
        self.message.clear()
        self.errors.setText(error_text(error))
        self.errors.show()

    def retranslate(self) -> None:
        tr = current()
        self.setTitle(_("Store settings"))
        texts = (
            _("Store &name:"),
            _("Store &language:"),
            _("Phone numbers without +code are from this &country:"),
            _("A wait turns &amber after:"),
            _("A wait turns &red after:"),
            _("Service &target:"),
            _("Lock the counter screen after this long &idle:"),
            _("&Backup folder:"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        name_by_label(self.store_language, self.labels[1])  # not by the language chosen
        name_by_label(self.phone_region, self.labels[2])
        for index in range(self.store_language.count()):
            code = self.store_language.itemData(index)
            self.store_language.setItemText(index, tr.language_name(code))
        # Countries by name in the UI language, so typing a name's first letters finds it.
        chosen = self.phone_region.currentData()
        territories = tr.locale.territories
        names = {code: territories.get(code, code) for code in phone_regions()}
        self.phone_region.clear()
        for code in sorted(names, key=lambda c: names[c].casefold()):
            self.phone_region.addItem(f"{names[code]} ({code})", code)
        self.phone_region.setCurrentIndex(max(0, self.phone_region.findData(chosen)))
        for box in self.minutes.values():
            box.setSuffix(" " + _("min"))
        self.minutes["idle_lock_minutes"].setSpecialValueText(_("Never"))
        self.minutes["wait_amber_minutes"].setAccessibleName(_("Minutes until a wait turns amber"))
        self.minutes["wait_red_minutes"].setAccessibleName(_("Minutes until a wait turns red"))
        self.minutes["service_target_minutes"].setAccessibleName(_("Service target in minutes"))
        self.minutes["idle_lock_minutes"].setAccessibleName(
            _("Minutes without input before the screen locks, 0 for never")
        )
        self.backup_folder.setPlaceholderText(_("Default folder"))
        self.backup_folder.setAccessibleName(_("Backup folder, empty for the default"))
        self.choose_folder.setText(_("C&hoose…"))
        self.default_folder.setText(_("Use the de&fault"))
        self._show_backup_state()
        self.save_button.setText(_("&Save settings"))
