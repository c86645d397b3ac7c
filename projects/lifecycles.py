"""Which status may follow which: one transition table per projects model with a status."""

from config.kernel.lifecycle import Lifecycle
from projects.models import Project, Risk, WorkItem

_OPEN, _DONE, _CANCELLED = WorkItem.Status.OPEN, WorkItem.Status.DONE, WorkItem.Status.CANCELLED

# Work is done or cancelled once; either can be reopened (with a reason).
WORK_ITEM = Lifecycle({_OPEN: {_DONE, _CANCELLED}, _DONE: {_OPEN}, _CANCELLED: {_OPEN}})

# The project board moves a project between any of its states (closed ones included: a
# closed project can be reopened); what a closed project refuses is new tasks.
PROJECT = Lifecycle(
    {status: set(Project.Status.values) - {status} for status in Project.Status.values}
)

# An entry in the risks and issues log is closed when it no longer needs watching, and may be
# opened again.
RISK = Lifecycle({Risk.Status.OPEN: {Risk.Status.CLOSED}, Risk.Status.CLOSED: {Risk.Status.OPEN}})
