"""The order in which free workers take waiting runs (app/service/fairness.py), on a clock of
the test's own: clients take turns, and clients whose runs ran out of time go last and never
hold every worker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.service.fairness import Fairness


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fairness(workers: int = 2) -> tuple[Fairness, _Clock]:
    clock = _Clock()
    return Fairness(workers, slow_seconds=60.0, penalty_seconds=5.0, clock=clock), clock


def _arrive(fairness: Fairness, clock: _Clock, *clients: str | None, start: int = 1) -> None:
    for job, client in enumerate(clients, start):
        clock.now += 0.001
        fairness.add(job, client)


def test_with_nobody_else_waiting_it_is_first_come_first_served() -> None:
    fairness, clock = _fairness()
    _arrive(fairness, clock, "a", "b", "c")
    assert [fairness.next(9), fairness.next(9), fairness.next(9), fairness.next(9)] == [
        1,
        2,
        3,
        None,
    ]


def test_a_client_with_a_run_going_waits_behind_clients_with_none() -> None:
    fairness, clock = _fairness()
    _arrive(fairness, clock, "flood", "flood", "flood", "student")
    assert fairness.next(9) == 1  # the flood's first run
    assert fairness.next(9) == 4  # then the student's, which came after its next two
    assert fairness.next(9) == 2  # nobody else waits: the flood's next run takes a worker
    fairness.ended(1, ran_out_of_time=False)
    fairness.ended(2, ran_out_of_time=False)
    assert fairness.next(9) == 3


def test_a_client_whose_run_ran_out_of_time_goes_behind_the_others() -> None:
    fairness, clock = _fairness(workers=3)
    _arrive(fairness, clock, "slow")
    assert fairness.next(9) == 1
    fairness.ended(1, ran_out_of_time=True)
    assert fairness.is_slow("slow")
    _arrive(fairness, clock, "slow", "a", "b", start=2)  # the slow client's came first
    assert [fairness.next(9), fairness.next(9), fairness.next(9)] == [3, 4, 2]


def test_slow_clients_never_take_the_last_free_worker() -> None:
    fairness, clock = _fairness(workers=2)
    _arrive(fairness, clock, "x", "y")
    assert fairness.next(2) == 1 and fairness.next(1) == 2
    fairness.ended(1, ran_out_of_time=True)
    fairness.ended(2, ran_out_of_time=True)
    _arrive(fairness, clock, "x", "y", start=3)
    assert fairness.next(1) is None  # one worker free (the other one busy, or being replaced)
    assert fairness.next(2) == 3
    assert fairness.next(1) is None  # one slow run going: the other worker is kept free
    _arrive(fairness, clock, "student", start=5)
    assert fairness.next(1) == 5
    fairness.ended(3, ran_out_of_time=True)
    fairness.ended(5, ran_out_of_time=False)
    assert fairness.next(2) == 4  # both free again: the next slow run may go


def test_a_slow_client_is_not_starved_by_a_steady_stream_of_others() -> None:
    fairness, clock = _fairness(workers=2)
    _arrive(fairness, clock, "slow")
    fairness.next(9)
    fairness.ended(1, ran_out_of_time=True)
    _arrive(fairness, clock, "slow", start=2)
    taken = []
    for job in range(3, 30):  # one more run of someone else every half second
        clock.now += 0.5
        fairness.add(job, f"student{job}")
        chosen = fairness.next(9)
        taken.append(chosen)
        fairness.ended(chosen, ran_out_of_time=False)  # type: ignore[arg-type]
    assert 2 in taken, "the slow client's run waited for ever"
    assert 6 <= taken.index(2) <= 12  # about max_run_seconds behind


def test_slowness_wears_off() -> None:
    fairness, clock = _fairness()
    _arrive(fairness, clock, "was-slow")
    fairness.next(9)
    fairness.ended(1, ran_out_of_time=True)
    clock.now += 61
    assert not fairness.is_slow("was-slow")
    _arrive(fairness, clock, "was-slow", "other", start=2)
    assert fairness.next(9) == 2


def test_runs_of_unknown_clients_are_each_their_own_client() -> None:
    fairness, clock = _fairness(workers=2)
    _arrive(fairness, clock, None, None, "a")
    assert fairness.next(9) == 1 and fairness.next(9) == 2  # no turns to wait for
    fairness.ended(1, ran_out_of_time=True)
    assert not fairness.is_slow(None)


def test_dropped_and_unknown_runs_change_nothing() -> None:
    fairness, clock = _fairness()
    _arrive(fairness, clock, "a", "b")
    fairness.drop(1)
    fairness.ended(99, ran_out_of_time=True)  # never handed out
    assert fairness.next(9) == 2 and fairness.next(9) is None


def test_slow_clients_hold_at_most_half_the_workers_and_a_single_worker_serves_everyone() -> None:
    for workers, share in ((1, 1), (2, 1), (4, 2), (5, 2)):
        fairness, clock = _fairness(workers)
        clients = [f"slow{i}" for i in range(workers)]
        _arrive(fairness, clock, *clients)
        for _ in clients:
            fairness.next(9)
        for job in range(1, workers + 1):
            fairness.ended(job, ran_out_of_time=True)
        _arrive(fairness, clock, *clients, start=workers + 1)
        taken = [fairness.next(workers) for _ in clients]  # every worker free
        assert sum(job is not None for job in taken) == share, workers


# --- any sequence of arrivals, hand-outs and endings ----------------------------------------------

_EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["arrive", "free", "end", "end-slow", "tick"]),
        st.integers(0, 4),  # which client (arrive) or which running run (end)
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(workers=st.integers(1, 4), events=_EVENTS)
def test_the_rules_hold_for_any_sequence_of_events(workers: int, events: list) -> None:
    fairness, clock = _fairness(workers)
    running: list[int] = []
    client_of: dict[int, str] = {}
    jobs = iter(range(1, 10_000))
    for kind, which in events:
        if kind == "arrive":
            job = next(jobs)
            client_of[job] = f"c{which}"
            fairness.add(job, client_of[job])
        elif kind == "free" and len(running) < workers:
            free = workers - len(running)
            chosen = fairness.next(free)
            if chosen is not None:
                run = fairness._running[chosen]
                if run.slow and workers > 1:
                    assert free > 1, "a slow client took the last free worker"
                running.append(chosen)
        elif kind.startswith("end") and running:
            fairness.ended(running.pop(which % len(running)), ran_out_of_time=kind == "end-slow")
        elif kind == "tick":
            clock.now += 7
        slow = sum(fairness._running[job].slow for job in running)
        assert slow <= max(1, workers // 2), "slow clients hold more than their share"
        # a client's own runs start in the order they came
        for job in running:
            earlier = [w for w in fairness._waiting if w < job and client_of[w] == client_of[job]]
            assert not earlier, "a client's later run went before its earlier one"
    # nothing waits for ever: once the others' runs end, every waiting run gets a worker
    for job in list(running):
        fairness.ended(job, ran_out_of_time=False)
    clock.now += 1000
    while fairness._waiting:
        chosen = fairness.next(workers)
        assert chosen is not None
        fairness.ended(chosen, ran_out_of_time=False)


def test_only_a_first_run_of_a_client_with_nothing_going_waits_on_the_socket() -> None:
    fairness, clock = _fairness(workers=2)
    _arrive(fairness, clock, "busy", "busy", "idle", None)
    assert fairness.next(1) == 1  # a free worker: first come
    assert fairness.next(0) == 3  # none free: not the busy client's second run
    assert fairness.next(0) == 4  # an unknown client is a client of its own
    assert fairness.next(0) is None
    assert fairness.next(1) == 2


def test_a_run_refused_while_it_waited_says_whether_its_client_was_slow() -> None:
    fairness, clock = _fairness(workers=2)
    _arrive(fairness, clock, "slow")
    fairness.next(9)
    fairness.ended(1, ran_out_of_time=True)
    _arrive(fairness, clock, "slow", "student", start=2)
    assert fairness.drop(2) is True  # held back by the rules: its client's 429, not a 503
    assert fairness.drop(3) is False  # waited for a full house
    assert fairness.drop(99) is False


def test_with_workers_kept_for_slow_clients_they_hold_those_and_no_more() -> None:
    clock = _Clock()
    # three workers and one beside them for slow clients (settings.slow_workers = 1)
    fairness = Fairness(4, slow_seconds=60.0, penalty_seconds=5.0, clock=clock, slow_share=1)
    _arrive(fairness, clock, "x", "y")
    assert fairness.next(4) == 1 and fairness.next(3) == 2
    fairness.ended(1, ran_out_of_time=True)
    fairness.ended(2, ran_out_of_time=True)
    _arrive(fairness, clock, "x", "y", start=3)
    assert fairness.next(4) == 3  # one slow run, on the worker kept for them
    assert fairness.next(3) is None  # not two, though half of four workers would be
