"""A file imported in two jobs: a check that lists every problem or previews the import and
offers it as its next step, then the import on the same file, which reads it again (the county
may have changed in between) and writes it whole, in one audited transaction, or not at all.

Each pair says only how to read its file, word a refusal, preview and write; the order, the
confirm button and what a problem of the file does (the check lists it, the import fails with
it) are the same for every pair, here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from kaohe.exchange.workbook import FileProblems
from kaohe.jobs.registry import JobContext, JobOutcome, JobProblems, job_kind

T = TypeVar("T")


def job_pair(
    check: str,
    confirm: str,
    *,
    read: Callable[[JobContext], T],
    refused: Callable[[JobContext, list[str]], JobOutcome],
    preview: Callable[[JobContext, T], JobOutcome],
    write: Callable[[JobContext, T], JobOutcome],
    reading: Any,
    confirm_label: Any,
) -> tuple[Callable[[JobContext], JobOutcome], Callable[[JobContext], JobOutcome]]:
    """Register the job kinds `check` and `confirm` (the import); returns both functions.

    `read` gives the checked file or raises FileProblems (every problem) or JobProblems (the job
    cannot run: no file, no permission); `reading` is the step shown meanwhile. The check's
    outcome is `refused` (the problems) or `preview`, which gets the import as its next step
    (`confirm_label`) unless it lists problems of its own; the import runs `write`, which does
    every write in one transaction."""

    def check_job(ctx: JobContext) -> JobOutcome:
        ctx.progress(0, 1, step=str(reading))
        try:
            value = read(ctx)
        except FileProblems as exc:
            return refused(ctx, exc.lines())
        outcome = preview(ctx, value)
        if outcome.problems:
            return outcome
        return dataclasses.replace(outcome, confirm_kind=confirm, confirm_label=str(confirm_label))

    def confirm_job(ctx: JobContext) -> JobOutcome:
        ctx.progress(0, 1, step=str(reading))
        try:
            value = read(ctx)
        except FileProblems as exc:
            raise JobProblems(exc.lines()) from None
        return write(ctx, value)

    check_job.__name__ = check_job.__qualname__ = check.replace(".", "_")
    check_job.__doc__ = f"Check for {confirm}: every problem listed, or a preview; writes nothing."
    confirm_job.__name__ = confirm_job.__qualname__ = confirm.replace(".", "_")
    confirm_job.__doc__ = f"Read the file of {check} again and import it whole, or nothing."
    return job_kind(check)(check_job), job_kind(confirm)(confirm_job)
