"""Which structured constructions apply to a request, best first."""

from __future__ import annotations

from .request import Problem


def builders_for(problem: Problem) -> list:
    from . import clusters, codes, countsearch, fewer, tables, tworounds

    out = []
    if codes.applies(problem):
        out.append(("code-count model", lambda p, deadline: codes.build_from_codes(p, p.seed)))
    if tworounds.applies(problem):
        out.append((tworounds.NAME, tworounds.build))
    if tables.applies(problem):
        out.append(("zero-repeat design", tables.build))
    if clusters.applies(problem):
        out.append(("cluster design", clusters.build))
    if clusters.folded_applies(problem):
        out.append(("folded cluster design", clusters.build_folded))
    if clusters.extended_applies(problem):
        out.append(("extended cluster design", clusters.build_extended))
    if fewer.applies(problem):
        out.append(("designs on the fewest tables", fewer.build))
    if countsearch.applies(problem):  # last: a construction at the bound ends the search
        out.append((countsearch.NAME, countsearch.build))
    return out
