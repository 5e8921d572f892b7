"""Answers to identical requests, kept in memory: runs are deterministic, so a repeated lesson
(a classroom opening the same link at nine o'clock) is answered without running it again.
Failures are not: what ran out of a resource depends on the machine, and is run again."""

from __future__ import annotations

from collections import OrderedDict

from app.service.worker import Answer


def cacheable(answer: Answer) -> bool:
    """Only a whole 200 depends on the request alone. A refusal (a limit of any kind), a run cut
    short by the machine (wall time, memory: the worker says so in `complete`) or a picture left
    undrawn is never kept, here or in a shared cache; a lost worker has no answer to keep."""
    return answer.status == 200 and answer.complete


class AnswerCache:
    """Least-recently-used, bounded by entries and by bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._answers: OrderedDict[str, Answer] = OrderedDict()

    def get(self, key: str) -> Answer | None:
        answer = self._answers.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._answers.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, key: str, answer: Answer) -> None:
        if not cacheable(answer):
            return
        size = len(answer.body) + len(key)
        if self.max_entries <= 0 or size > self.max_bytes:
            return
        if key in self._answers:
            return
        self._answers[key] = answer
        self.bytes += size
        while len(self._answers) > self.max_entries or self.bytes > self.max_bytes:
            old_key, old = self._answers.popitem(last=False)
            self.bytes -= len(old.body) + len(old_key)

    def __len__(self) -> int:
        return len(self._answers)
