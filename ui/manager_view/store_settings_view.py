"""The store's settings a manager sets: name, language, the country phone numbers are read
for, when a wait turns amber and red, the service target and the idle lock. Checked by the
domain on save (nothing is stored if one is wrong); ``saved`` carries the settings as stored,
so the counter screen can follow them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
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
    ):
        super().__init__(parent)
        self.setObjectName("storeSettings")
        self._runner = runner
        self._session = session
        self._clock = clock

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
        self.labels = [QLabel(self) for _i in range(7)]
        widgets = [self.store_name, self.store_language, self.phone_region, *self.minutes.values()]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)  # the name; boxes stay small
        for label, widget in zip(self.labels, widgets, strict=True):
            label.setBuddy(widget)
            form.addRow(label, widget)

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

    def values(self) -> dict[str, str]:
        return {
            "store_name": self.store_name.text(),
            "store_language": self.store_language.currentData() or "",
            "phone_region": self.phone_region.currentData() or "",
            **{key: str(box.value()) for key, box in self.minutes.items()},
        }

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
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
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
        self.save_button.setText(_("&Save settings"))
