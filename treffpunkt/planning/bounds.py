"""A proven upper bound on the new pairs of any plan for a request (docs/planning.md, 'Bound').

The bound is the smallest of

1. the pairs that could become new contacts at all (not known, not colleagues, present in a
   common open round, not two people fixed at different stations), plus those already new in
   the frozen rounds;
2. the per-person cap: person i meets at most (capacity - 1) others per round; halved sum;
3. the pigeonhole bound: between two rounds the members of one group spread over at most K
   groups (K - 1 in stations mode, where nobody returns to a station), so at least
   h(s) = t*C(q+1, 2) + (K - t)*C(q, 2) of its pairs meet again (q = s // K, t = s % K).
   With m_ij <= R meetings per pair, sum (m - 1)+ >= (2/R) sum C(m, 2), which gives
   distinct <= sum_r [ P_r - (1/R) sum_{r' != r} sum_k h(s_rk) ], maximised per round over
   all group sizes the capacities allow (an exact dynamic programme);
4. the exact optimum of the code-count model, where the request is small enough to solve it
   to proven optimality (``codes.py``);
5. in stations mode without revisits, bound 3 with the visits coupled over the rounds: a
   mover visits each station at most once (``_visits_bound``).

Bounds 3 to 5 bound *distinct* pairs; pairs that are no new contact (known, colleagues, met
in a frozen round) but must meet anyway are subtracted: a set of m people who all know each
other, spread over K stations in one round, has at least h(m, K) pairs together, and
disjoint such sets (cliques, found greedily) add up (``forced_worthless``).
"""

from __future__ import annotations

import numpy as np

from .feasibility import fixed_load, staff_floor
from .request import Problem

MAX_PARTIAL_DP = 8  # partial attendees per round tracked exactly in the pigeonhole programme
DUAL_STEPS = 15  # subgradient steps of the visits bound (65 people at 5 stations: 1,854 -> 1,520)
DUAL_TRIAL = 4  # steps that must lower it by a pair, else it stops (nothing binds enough)
DUAL_WORK = 2_000_000  # people x seats scored by its programmes in all, then fewer steps


def pairs_h(m: np.ndarray, k: int) -> np.ndarray:
    """Fewest pairs among m people that share a group again when spread over k groups."""
    m = np.maximum(m, 0)
    if k <= 0:
        return m * (m - 1) // 2
    q, t = m // k, m % k
    return t * (q + 1) * q // 2 + (k - t) * q * (q - 1) // 2


def upper_bound(problem: Problem, *, staffed: bool = False) -> int:
    """Proven upper bound on new pairs for ``problem`` (see module docstring); with
    ``staffed``, on the plans that keep every station at its staffing floor."""
    open_rounds = list(range(problem.n_frozen, problem.n_rounds))
    met_before, valuable = problem.met_before, problem.valuable
    new_frozen = int((valuable & met_before).sum() // 2)
    reachable = _reachable(problem, open_rounds) & valuable & ~met_before
    per_person = _per_person(problem, open_rounds, reachable, valuable & met_before)
    bounds = [new_frozen + int(reachable.sum() // 2), per_person]
    forced = forced_worthless(problem, open_rounds, problem.worthless)
    if open_rounds:
        low = staff_floor(problem) if staffed else fixed_load(problem)
        phis = _phi_tables(problem, open_rounds)  # bounds 3 and 5 share them
        pigeonhole = _pigeonhole(problem, open_rounds, low, phis)
        if pigeonhole is not None:  # None: no group sizes fit (the request is infeasible)
            bounds.append(new_frozen + pigeonhole - forced)
        for least in _least_sizes(problem, low):
            visits = _visits_bound(problem, open_rounds, least, phis)
            if visits is not None:
                bounds.append(new_frozen + visits - forced)
    from .codes import exact_bound

    exact = exact_bound(problem, staffed=staffed)
    if exact is not None:
        bounds.append(exact - forced)
    return int(min(bounds))


def _least_sizes(problem: Problem, low: np.ndarray) -> list[np.ndarray]:
    """The least group sizes the visits bound is computed with: ``low``, and where that is a
    staffing floor also the hosts' seats alone. The bound over all plans holds for staffed
    plans too, and the visits bound's subgradient steps may end lower from there (realistic
    request 96: 1,109 against 1,112 with the floor), so the least of both is reported."""
    load = fixed_load(problem)
    return [low] if np.array_equal(low, load) else [low, load]


def forced_worthless(problem: Problem, open_rounds: list[int], worthless: np.ndarray) -> int:
    """Fewest worthless pairs (no new contact) that any plan puts together in open rounds.

    In each open round every clique of the worthless graph spreads over at most K stations,
    so at least h(m, K) of its pairs share a group; disjoint cliques add up, and the pairs
    of one round are distinct, so the best round is a lower bound.
    """
    if not open_rounds:
        return 0
    cliques = worthless_cliques(worthless, problem.n_stations)
    best = 0
    for r in open_rounds:
        sizes = np.array([int(problem.present[r, q].sum()) for q in cliques], dtype=np.int64)
        best = max(best, int(pairs_h(sizes, problem.n_stations).sum()) if sizes.size else 0)
    return best


def worthless_cliques(worthless: np.ndarray, k: int) -> list[np.ndarray]:
    """Disjoint cliques of more than k people, greedily (only those can force a meeting)."""
    graph = worthless.copy()
    np.fill_diagonal(graph, False)
    degree = graph.sum(axis=1)
    free = degree > k - 1  # fewer than k neighbours: never in a clique of more than k
    out = []
    for v in np.argsort(-degree, kind="stable"):
        if not free[v]:
            continue
        clique, cand = [int(v)], graph[v] & free
        while cand.any():
            inside = np.flatnonzero(cand)
            u = int(inside[np.argmax(graph[np.ix_(inside, inside)].sum(axis=1))])
            clique.append(u)
            cand &= graph[u]
        if len(clique) > k:
            out.append(np.array(clique))
            free[clique] = False
    return out


def _reachable(problem: Problem, open_rounds: list[int]) -> np.ndarray:
    """(N, N) pairs that can share a group in some open round."""
    # By attendance pattern (a handful), not person by person: N x N work only to spread it.
    patterns, label = np.unique(problem.present[open_rounds].T, axis=0, return_inverse=True)
    label = label.ravel()
    share = patterns.astype(np.int64) @ patterns.T.astype(np.int64) > 0
    n = problem.n_people
    out = np.ones((n, n), dtype=bool) if share.all() else share[np.ix_(label, label)]
    hosts = np.flatnonzero(problem.fixed >= 0)  # hosts of different stations never meet
    at = problem.fixed[hosts]
    out[np.ix_(hosts, hosts)] &= at[:, None] == at[None, :]
    np.fill_diagonal(out, False)
    return out


def _per_person(problem: Problem, open_rounds: list[int], reachable: np.ndarray,
                new_before: np.ndarray) -> int:  # fmt: skip
    seats = np.where(problem.fixed >= 0, problem.capacity[problem.fixed], problem.capacity.max())
    rounds_in = problem.present[open_rounds].sum(axis=0)
    cap = np.minimum(reachable.sum(axis=1), rounds_in * (seats - 1))
    return int((new_before.sum(axis=1) + cap).sum() // 2)


def _phi_tables(problem: Problem, open_rounds: list[int]) -> dict[int, list[np.ndarray]]:
    """phi_rk(s, g) of bound 3 (``_phi``) per open round r and station k."""
    load = fixed_load(problem)
    out = {}
    for r in open_rounds:
        partial = _partial_here(problem, r, open_rounds)
        out[r] = [_phi(problem, r, k, open_rounds, load, partial)
                  for k in range(problem.n_stations)]  # fmt: skip
    return out


def _pigeonhole(problem: Problem, open_rounds: list[int], low: np.ndarray,
                phis: dict[int, list[np.ndarray]]) -> int | None:  # fmt: skip
    """Bound 3; ``low`` (R, K) is the fewest people a group may hold."""
    load = fixed_load(problem)
    total = 0.0
    for r in open_rounds:
        total += _best_round(problem, r, load, low, phis[r])
    return int(np.floor(total + 1e-6)) if np.isfinite(total) else None


def _best_round(problem: Problem, r: int, load: np.ndarray, low_sizes: np.ndarray,
                phis: list[np.ndarray]) -> float:  # fmt: skip
    """max over group sizes s_k and partial-attendee counts g_k of sum_k phi_rk(s_k, g_k),
    with sum s_k = people present in round r and sum g_k = partial attendees present.

    A partial attendee (present in r, absent in another open round) sits in one group of
    round r; only there can it lower the forced re-meetings. With more than MAX_PARTIAL_DP of
    them every group is assumed to hold all of them (weaker, but the cheap programme of
    ``_round_sizes``).
    """
    n_here = int(problem.present[r].sum())
    width = phis[0].shape[1]  # partial attendees present in round r, and none
    if width > MAX_PARTIAL_DP + 1:
        relaxed = [phi[:, -1] for phi in phis]  # every group as if it held all of them
        no_price = np.zeros(problem.n_stations)
        found = _round_sizes(relaxed, low_sizes[r], problem.capacity, n_here, no_price)
        return -np.inf if found is None else found[0]
    best = np.full((n_here + 1, width), -np.inf)
    best[0, 0] = 0.0
    for k, phi in enumerate(phis):  # (cap + 1, width)
        low = int(load[r, k])
        nxt = np.full_like(best, -np.inf)
        for s in range(int(low_sizes[r, k]), min(int(problem.capacity[k]), n_here) + 1):
            # partial attendees are movers in stations mode (fixed people are in ``low``)
            most = s - low if problem.no_revisit else s
            for g in range(min(width, most + 1)):
                cand = best[: n_here + 1 - s, : width - g] + phi[s, g]
                np.maximum(nxt[s:, g:], cand, out=nxt[s:, g:])
        best = nxt
    return float(best[n_here, width - 1])


def _partial_here(problem: Problem, r: int, open_rounds: list[int]) -> np.ndarray:
    """(N,) present in round r and absent in some other open round (movers in stations mode)."""
    away = ~problem.present[[o for o in open_rounds if o != r]].all(axis=0)
    out = problem.present[r] & away
    return out & (problem.fixed < 0) if problem.no_revisit else out


def _phi(problem: Problem, r: int, k: int, open_rounds: list[int], load: np.ndarray,
         partial: np.ndarray) -> np.ndarray:  # fmt: skip
    """phi(s, g): pair slots minus the share of forced re-meetings, for s people of whom g
    are partial attendees (of these, at most min(g, gone) are away in a given other round)."""
    s = np.arange(int(problem.capacity[k]) + 1)[:, None]
    g = np.arange(int(partial.sum()) + 1)[None, :]
    phi = np.broadcast_to((s * (s - 1) / 2).astype(float), (s.size, g.size)).copy()
    n_open = len(open_rounds)
    for other in open_rounds:
        if other == r:
            continue
        gone = np.minimum(g, int((partial & ~problem.present[other]).sum()))
        if problem.no_revisit:
            stay = int((problem.present[r] & problem.present[other] & (problem.fixed == k)).sum())
            again = pairs_h(s - load[r, k] - gone, problem.n_stations - 1)
            again = again + stay * (stay - 1) // 2
        else:
            again = pairs_h(s - gone, problem.n_stations)
        phi -= again / n_open
    return phi


def _visits_bound(problem: Problem, open_rounds: list[int], low: np.ndarray,
                  phis: dict[int, list[np.ndarray]]) -> int | None:  # fmt: skip
    """Bound 3 with the visits coupled over the rounds (stations mode, no revisits).

    A mover visits each station at most once, so the people at station k over the open
    rounds number at most its fixed people's seats plus the movers who may still visit it.
    Round by round, bound 3 ignores that and may fill the largest station in every round (65
    people at stations of 24, 17, 16, 11 and 5 for 4 rounds: 24 there each time, 96 visits by
    65 people). For any multipliers lambda_k >= 0 (Lagrange),
    ``sum_r max_sizes sum_k [phi_rk(s_k) - lambda_k s_k] + sum_k lambda_k visits_k`` bounds
    every plan (for its own sizes the added term is not negative), each round maximised by
    the programme of bound 3 with every group holding all partial attendees (an upper bound
    too); up to ``DUAL_STEPS`` subgradient steps lower it. None where the visits cannot bind
    or the programmes would cost too much."""
    if not problem.no_revisit:
        return None
    load = fixed_load(problem)
    most = _visits(problem, open_rounds) + load[open_rounds].sum(axis=0)
    if (len(open_rounds) * problem.capacity <= most).all():
        return None  # even full in every round no station takes more than may visit it
    present = problem.present[open_rounds].sum(axis=1)
    steps = min(DUAL_STEPS, DUAL_WORK // int((present * problem.capacity.sum()).sum() + 1))
    if steps < DUAL_TRIAL:
        return None
    # every group as if it held all partial attendees: the last column of each table
    relaxed = [[phi[:, -1] for phi in phis[r]] for r in open_rounds]
    # rounds alike (the same attendance, tables and least sizes) have one programme a step
    alike = [(int(n), low[r].tobytes(), b"".join(phi.tobytes() for phi in tables))
             for r, tables, n in zip(open_rounds, relaxed, present, strict=True)]  # fmt: skip
    lam, scale = np.zeros(problem.n_stations), float(problem.capacity.max())
    best = first = np.inf  # first: the bound without multipliers
    for step in range(steps):
        total, used, solved = float(lam @ most), np.zeros(problem.n_stations), {}
        for r, phi, n_here, key in zip(open_rounds, relaxed, present, alike, strict=True):
            if key not in solved:
                solved[key] = _round_sizes(phi, low[r], problem.capacity, int(n_here), lam)
            found = solved[key]
            if found is None:
                return None
            total += found[0]
            used += found[1]
        best = min(best, total)
        if step == 0:
            first = best
        elif step + 1 == DUAL_TRIAL and best > first - 1:
            break  # nothing binds enough to lower it by a pair
        excess = used - most
        if (excess <= 0).all() and not (lam * excess).any():
            break  # these multipliers are optimal
        lam = np.maximum(0.0, lam + scale / np.sqrt(step + 1) * excess / np.abs(excess).max())
    return int(np.floor(best + 1e-6)) if np.isfinite(best) else None


def _visits(problem: Problem, open_rounds: list[int]) -> np.ndarray:
    """(K,) movers who attend an open round and have not visited the station in a held one."""
    movers = (problem.fixed < 0) & problem.present[open_rounds].any(axis=0)
    visited = np.zeros((problem.n_people, problem.n_stations), dtype=bool)
    for row in problem.frozen:
        seated = np.flatnonzero(row >= 0)
        visited[seated, row[seated]] = True
    return (movers[:, None] & ~visited).sum(axis=0)


def _round_sizes(phis: list[np.ndarray], low: np.ndarray, capacity: np.ndarray, n_here: int,
                 lam: np.ndarray) -> tuple[float, np.ndarray] | None:  # fmt: skip
    """max of sum_k [phi_k(s_k) - lam_k s_k] over sizes low_k <= s_k <= capacity_k that seat
    ``n_here`` people, and the sizes; None where none do."""
    best = np.full(n_here + 1, -np.inf)
    best[0] = 0.0
    rows = np.arange(n_here + 1)
    picks = []
    for k, phi in enumerate(phis):
        sizes = np.arange(int(low[k]), min(int(capacity[k]), n_here) + 1)
        if sizes.size == 0:
            return None
        before = rows[:, None] - sizes[None, :]
        value = np.where(before >= 0, best[np.maximum(before, 0)], -np.inf)
        value = value + (phi[sizes] - lam[k] * sizes)
        choice = value.argmax(axis=1)
        best = value[rows, choice]
        picks.append(sizes[choice])
    if not np.isfinite(best[n_here]):
        return None
    sizes, left = np.zeros(len(phis), dtype=np.int64), n_here
    for k in range(len(phis) - 1, -1, -1):
        sizes[k] = picks[k][left]
        left -= sizes[k]
    return float(best[n_here]), sizes
