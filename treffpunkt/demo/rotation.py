"""A plain rotation for the demo's held meeting: everybody moves one station on per round."""


def rotate(
    people: list[int], stations: list[int], *, fixed: dict[int, int], rounds: int
) -> list[dict[int, list[int]]]:
    """Round r puts the i-th moving person at station (i + r) mod K; moderators stay put."""
    moving = [p for p in people if p not in fixed]
    plan = []
    for r in range(rounds):
        groups: dict[int, list[int]] = {s: [] for s in stations}
        for person, station in fixed.items():
            groups[station].append(person)
        for i, person in enumerate(moving):
            groups[stations[(i + r) % len(stations)]].append(person)
        plan.append(groups)
    return plan
