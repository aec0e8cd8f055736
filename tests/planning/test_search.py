"""The annealing (``search.py``): whole-schedule swaps keep the search's tables exactly as a
fresh search of the new plan would build them, and their predicted score change is the
plan's true one."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treffpunkt.planning.frozen import rule_violations
from treffpunkt.planning.metrics import plan_score
from treffpunkt.planning.search import Search

from .starts import greedy_start
from .strategies import meetings
from .test_person_tabu import uneven_meetings

side_goal_meetings = meetings(max_stations=6, max_capacity=9, max_people=40, max_hosts=1,
                              min_sizes=st.just(0))  # fmt: skip


def assert_tables_match_a_fresh_search(search: Search) -> None:
    fresh = Search(search.p, search.a, seed=0)
    for name in ("met", "joins", "leaves", "size", "cnt", "visits"):
        assert np.array_equal(getattr(search, name), getattr(fresh, name)), name
    n = search.p.n_people
    for r, row in enumerate(search.a):
        for k in range(search.p.n_stations):
            members = search.mem[r, k, : search.size[r, k]]
            assert sorted(members.tolist()) == np.flatnonzero(row == k).tolist()
            assert (search.pos[r, members] == np.arange(members.size)).all()
            assert (search.mem[r, k, search.size[r, k] :] == n).all()  # empty seats


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(side_goal_meetings, st.booleans(), st.randoms(use_true_random=False))
def test_a_schedule_swap_is_scored_exactly_and_keeps_every_table(request, held, rng):
    started = greedy_start(request, held)  # held: round 0 stays, the swap moves round by round
    if started is None or started[1].n_frozen == started[1].n_rounds:
        return
    _, problem, start = started
    search = Search(problem, start, seed=problem.seed)
    people = sorted(search.patterns)
    for _ in range(3):
        if not people:
            return
        a = rng.choice(people)
        mates = [b for b in search.patterns[a].tolist() if b != a]
        if not mates:
            continue
        b = rng.choice(mates)
        predicted = search.code_swap_score(a, b)
        if not np.isfinite(predicted):  # a held station would be visited again
            continue
        if not problem.n_frozen:  # the batch scoring of the annealing's steps agrees
            assert search.code_swap_scores(a, np.array([b]))[0] == predicted
        before = plan_score(problem, search.a)
        search.code_swap(a, b)
        assert plan_score(problem, search.a) - before == predicted
        assert not rule_violations(problem, search.a)
        assert_tables_match_a_fresh_search(search)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uneven_meetings, st.randoms(use_true_random=False))
def test_moves_are_left_unscored_only_where_none_could_beat_the_swap(request, rng):
    # A step makes a move only where it beats the best swap: the annealing skips the
    # category and size terms where even their most (metrics.most_seat_gain) would not.
    started = greedy_start(request, held=False)
    if started is None:
        return
    _, problem, start = started
    search = Search(problem, start, seed=problem.seed)
    for _ in range(8):
        r = rng.randrange(problem.n_rounds)
        seated = np.flatnonzero(search.a[r] >= 0)
        if seated.size == 0:
            continue
        a = int(rng.choice(seated.tolist()))
        scores = search.move_scores(r, a)
        beat = float(scores.max()) + rng.choice([-3.0, 0.0, 3.0]) * problem.weights["categories"]
        cut = search.move_scores(r, a, beat=beat)
        assert np.array_equal(cut, scores) or (np.isneginf(cut).all() and scores.max() < beat)
