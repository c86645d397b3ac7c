"""The slots the residents app's pages offer the apps above it (config/panels.py)."""

from config.panels import Slot

HOUSEHOLD_ACTIONS = Slot(
    "Buttons and links under a household's communication needs; the context has `household`."
)
