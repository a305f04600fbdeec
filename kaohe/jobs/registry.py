"""The kinds of background job: each app registers its own in its `tasks` module.

    @job_kind("history.check")
    def history_check(ctx: JobContext) -> JobOutcome: ...

A kind reads its input through the context, reports progress with ``ctx.progress`` (outside its
own transaction, so the page sees it at once), does its writes in one audited transaction, and
returns a JobOutcome, or raises JobProblems: the job fails with the problems listed and, because
the writes were in one transaction, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kaohe.jobs.models import BackgroundJob
from kaohe.org.models import County, User


@dataclass(frozen=True)
class OutputFile:
    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class JobOutcome:
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    # A preview: the first row is the header.
    table: list[list[str]] = field(default_factory=list)
    url: str = ""
    url_label: str = ""
    file: OutputFile | None = None
    # The next step offered as a button: a job of this kind with the same input and params.
    confirm_kind: str = ""
    confirm_label: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class JobProblems(Exception):
    """The job cannot be done: these problems are listed, and nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


class JobContext:
    """What a running job sees of itself."""

    def __init__(self, job: BackgroundJob) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params)
        self.user: User | None = job.user
        self.county: County | None = job.county
        self.input_name = job.input_name

    def input_bytes(self) -> bytes | None:
        if not self.job.input_file:
            return None
        with self.job.input_file.open("rb") as f:
            data: bytes = f.read()
        return data

    def progress(self, done: int, total: int, step: str = "") -> None:
        """Record how far the job has got; written at once, so call it outside transactions."""
        BackgroundJob.objects.filter(pk=self.job.pk).update(
            done=max(0, done), total=max(0, total), step=str(step)[:200]
        )


Kind = Callable[[JobContext], JobOutcome]
KINDS: dict[str, Kind] = {}


def job_kind(name: str) -> Callable[[Kind], Kind]:
    """Register a function as the kind of job called `name`."""

    def register(fn: Kind) -> Kind:
        if name in KINDS and KINDS[name] is not fn:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = fn
        return fn

    return register
