"""A run that asks a person: parked while it waits, resumed with the answer, escalated if late."""

from __future__ import annotations

import pytest

from rpa.engine import Runner
from rpa.errors import BusinessError, RunError
from rpa.flow import CompiledFlow
from rpa.store import RunStore, TaskStore
from rpa.store.views import open_tasks

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server

REVIEW = """
flow: review
states:
  ask:
    do:
      - activity: human.task
        with:
          title: "Check the applicant's name"
          form: {type: object, required: [name], properties: {name: {type: string, minLength: 2}}}
          data: {name_read: "CHAN TAI MAN?"}
          due: 1h
        as: answer
      - {activity: set, with: {name: "{{ vars.answer.name }}"}}
    catch: [{error: TaskOverdue, goto: late}]
    next: done
  done: {final: success}
  late: {final: business_exception}
"""


def test_human_task_parks_the_run_and_resumes_with_the_answer(store: RunStore, compiled) -> None:
    flow: CompiledFlow = compiled(REVIEW)
    waiting = Runner(store).start(flow)
    assert waiting.status == "waiting"
    assert (store.get(waiting.run_id).status, store.get(waiting.run_id).owner) == ("waiting", None)
    assert store.interrupted() == []  # nothing for `resume --all` while a person decides
    tasks = TaskStore(store.engine)
    [task] = tasks.list()
    assert (task.title, task.data, task.role) == ("Check the applicant's name", {"name_read": "CHAN TAI MAN?"}, "staff")
    with pytest.raises(BusinessError, match="name: 'X' is too short"):
        tasks.complete(task.id, {"name": "X"})
    tasks.complete(task.id, {"name": "CHAN Tai-man"}, by="clerk1")
    assert store.get(waiting.run_id).status == "ready"
    done = Runner(store).resume(waiting.run_id, flow)
    assert (done.status, done.vars["name"]) == ("success", "CHAN Tai-man")
    with pytest.raises(RunError, match="is done, not open"):
        tasks.complete(task.id, {"name": "again"})


def test_human_task_past_due_escalates_to_catch(store: RunStore, compiled) -> None:
    flow = compiled(REVIEW.replace("due: 1h", "due: 10ms"))
    waiting = Runner(store).start(flow)
    [task] = TaskStore(store.engine).list("open")
    assert TaskStore(store.engine).escalate_overdue(now=task.due_at - 0.001) == []
    [task] = TaskStore(store.engine).escalate_overdue(now=task.due_at + 0.001)
    assert store.get(waiting.run_id).status == "ready"
    result = Runner(store).resume(waiting.run_id, flow)
    assert result.status == "business_exception"
    assert "passed its due time" in result.error and str(task.id) in result.error


def test_human_task_open_list_flags_overdue_at_the_given_time(store: RunStore) -> None:
    tasks = TaskStore(store.engine)
    due = tasks.create("k-due", "r1", "Due one", {"type": "object"}, due_at=1000.0)
    tasks.create("k-none", "r1", "No due date", {"type": "object"})
    flags = lambda now: [(t["id"], t["overdue"]) for t in open_tasks(store.engine, now=now)]  # noqa: E731
    assert flags(999.0)[0] == (due.id, False)
    assert flags(1000.5)[0] == (due.id, True)
    assert flags(1000.5)[1][1] is False  # no due date is never overdue, and comes last
