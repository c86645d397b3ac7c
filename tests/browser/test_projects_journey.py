"""The head of service starts a project with a task and a risk, and reviews the risk; the officer
who owns the task is reminded by email, acknowledges the reminder, finds the task in their work
queue and completes it; an auditor reads the project's history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects.tasks import reminders_send
from tests.browser.conftest import assert_accessible, sign_in, sign_out, success_banner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "Amenity block renewal"
TASK = "Get three quotes for the blocks"


def _fill_date(page: Page, group: str, value) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(value.day))
    fields.get_by_label("Month").fill(str(value.month))
    fields.get_by_label("Year").fill(str(value.year))


def _head_starts_project(page: Page, head) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Projects").click()
    expect(page.get_by_role("heading", level=1, name="Projects")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start a project").click()
    expect(page.get_by_role("heading", level=1, name="Start a project")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill(PROJECT)
    page.get_by_label("Description").fill("Replace the amenity blocks on two sites.")
    page.get_by_label("Project lead").select_option(label=head.get_full_name())
    page.get_by_role("group", name="Status").get_by_label("Active").check()
    page.get_by_role("group", name="RAG rating").get_by_label("Amber").check()
    page.get_by_label("Reason for the RAG rating").fill("Funding not yet confirmed")
    page.get_by_role("button", name="Save project").click()
    success_banner(page, f"{PROJECT} was started.")
    expect(page.get_by_role("heading", level=1, name=PROJECT)).to_be_visible()
    assert_accessible(page)


def _head_adds_task(page: Page, officer) -> None:
    page.get_by_role("button", name="Add a task").click()
    expect(page.get_by_role("heading", level=1, name=f"Add a task to {PROJECT}")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Task", exact=True).fill(TASK)
    page.get_by_label("Owner").select_option(label=officer.get_full_name())
    _fill_date(page, "Due date", timezone.localdate() + timedelta(days=1))
    page.get_by_role("group", name="Priority").get_by_label("High").check()
    page.get_by_role("button", name="Save task").click()
    success_banner(page, f"Task “{TASK}” was added.")
    expect(page.get_by_role("table", name="Open tasks")).to_contain_text(TASK)
    assert_accessible(page)


def _head_adds_risk(page: Page, officer) -> None:
    page.get_by_role("button", name="Add a risk or issue").click()
    expect(
        page.get_by_role("heading", level=1, name=f"Add to the risks and issues log of {PROJECT}")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Risk or issue").get_by_label("Risk", exact=True).check()
    page.get_by_label("Description").fill("Contractor unavailable in winter")
    page.get_by_role("group", name="Likelihood").get_by_label("Medium").check()
    page.get_by_role("group", name="Impact").get_by_label("High").check()
    page.get_by_label("Owner").select_option(label=officer.get_full_name())
    page.get_by_label("Mitigation").fill("Book early")
    _fill_date(page, "Review date", timezone.localdate() + timedelta(days=30))
    page.get_by_role("button", name="Add to the log").click()
    success_banner(page, "was added to the log")
    expect(page.get_by_role("table", name="Risks and issues")).to_contain_text("Book early")
    assert_accessible(page)


def _head_reviews_risk(page: Page) -> None:
    page.get_by_role("table", name="Risks and issues").get_by_role("link", name="Change").click()
    expect(
        page.get_by_role("heading", level=1, name="Change “Contractor unavailable in winter”")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mitigation").fill("Booked for September")
    page.get_by_label("Reason for this change").fill("Contractor booked")
    page.get_by_role("button", name="Save changes").click()
    success_banner(page, "Your changes to “Contractor unavailable in winter” were saved.")
    expect(page.get_by_role("table", name="Risks and issues")).to_contain_text("Booked for")
    assert_accessible(page)


def _officer_acknowledges_reminder(page: Page) -> None:
    reminders = page.get_by_role("table", name="Reminders to acknowledge")
    expect(reminders).to_contain_text(TASK)
    reminders.get_by_role("button", name="Acknowledge").click()
    success_banner(page, f"Reminder about “{TASK}” acknowledged.")
    expect(page.get_by_role("table", name="Reminders to acknowledge")).to_have_count(0)
    assert_accessible(page)


def _officer_completes_task(page: Page) -> None:
    queue = page.get_by_role("table", name="Your work, by due date")
    expect(queue).to_contain_text(TASK)
    expect(page.get_by_role("table", name="Work by kind")).to_contain_text("Project task")
    queue.get_by_role("link", name=TASK).click()
    expect(page.get_by_role("heading", level=1, name=TASK)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as done").click()
    success_banner(page, f"“{TASK}” was marked as done.")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Done")
    assert_accessible(page)
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(TASK)
    assert_accessible(page)


def _auditor_reads_history(page: Page, head_name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Projects").click()
    expect(page.get_by_role("button", name="Start a project")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1, name=PROJECT)).to_be_visible()
    expect(page.get_by_role("table", name="Done tasks")).to_contain_text(TASK)
    assert_accessible(page)
    page.get_by_role("link", name="History of this project").click()
    expect(page.get_by_role("heading", level=1, name=PROJECT)).to_be_visible()
    entry = page.locator(".app-timeline__entry").first
    expect(entry.get_by_role("heading", name="Created")).to_be_visible()
    expect(entry).to_contain_text(f"by {head_name} on")
    assert_accessible(page)


def test_a_project_task_is_reminded_queued_completed_and_audited(
    page, head_of_service, officer, auditor, mailoutbox
):
    sign_in(page, head_of_service)
    _head_starts_project(page, head_of_service)
    _head_adds_task(page, officer)
    _head_adds_risk(page, officer)
    _head_reviews_risk(page)
    sign_out(page)

    reminders_send()
    assert [(m.subject, m.to) for m in mailoutbox] == [(f"Due tomorrow: {TASK}", [officer.email])]

    sign_in(page, officer)
    _officer_acknowledges_reminder(page)
    _officer_completes_task(page)
    sign_out(page)

    sign_in(page, auditor)
    _auditor_reads_history(page, head_of_service.get_full_name())
