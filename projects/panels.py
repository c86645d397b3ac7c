"""The slots the projects app's pages offer the apps above it (config/panels.py)."""

from config.panels import Slot

HOME = Slot("Sections of the home page between the greeting and the change history.")
