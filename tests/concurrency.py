"""Races for the concurrency tests: jobs run at once, each on its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from talentpool.extensions import db
from talentpool.services.errors import DomainError

Job = Callable[[threading.Barrier], None]


def run_together(app, jobs: list[Job]) -> list[str]:
    """Run the jobs in threads at once (each waits on the barrier when its transaction has
    read what it needs), committing each; per job "ok", the refusal's message, or
    "integrity" when the database refused the write."""
    barrier = threading.Barrier(len(jobs), timeout=10)
    results = [""] * len(jobs)

    def run(index: int, job: Job) -> None:
        with app.test_request_context():
            try:
                job(barrier)
                db.session.commit()
                results[index] = "ok"
            except DomainError as error:
                db.session.rollback()
                results[index] = str(error.message)
            except IntegrityError:
                db.session.rollback()
                results[index] = "integrity"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
