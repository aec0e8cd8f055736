"""The organiser's grouping of a meeting's topics into would-be stations.

The topics of a meeting's registrations are grouped by meaning (``treffpunkt.matching.topics``);
the organiser regroups, merges and moves topics in a draft (plain JSON, kept in their session:
nothing is written until stations are created from the groups, see ``stations.py``).
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from treffpunkt.matching.topics import TopicSpace

from .models import Meeting, Registration
from .stations import ACTIVE, MAX_GROUPS


@dataclass
class TopicGroup:
    label: int
    name: str
    terms: tuple[str, ...]
    registrations: list[Registration]
    #: registrations of other groups whose topic touches this one as well
    touching: list[Registration]
    suggested_capacity: int


@dataclass
class TopicBoard:
    """What the topics page shows, and the draft it was built from (to keep in the session)."""

    groups: list[TopicGroup]
    #: active registrations without a topic to group by
    without_topics: list[Registration]
    draft: dict
    seated: int
    existing_stations: int
    #: registration id -> label of the secondary group
    secondary: dict[int, int] = field(default_factory=dict)

    @property
    def topic_count(self) -> int:
        return sum(len(group.registrations) for group in self.groups)

    @property
    def max_groups(self) -> int:
        return max(1, min(MAX_GROUPS, self.topic_count))


def topic_registrations(meeting: Meeting) -> list[Registration]:
    """The meeting's registrations whose topics count (never cancelled ones); one query."""
    return list(
        meeting.registrations.filter(status__in=ACTIVE)
        .select_related("person", "person__organisation")
        .order_by("created_at", "pk")
    )


def _digest(text: str) -> str:
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


def _new_draft(registrations: Sequence[Registration], labels: Sequence[int | None]) -> dict:
    return {
        "labels": {str(r.pk): label for r, label in zip(registrations, labels, strict=True)},
        "digests": {str(r.pk): _digest(r.topics) for r in registrations},
    }


def regroup(*, meeting: Meeting, k: int) -> dict:
    """A fresh draft: the meeting's topics in ``k`` groups (no side effects).

    Raises ValidationError when ``k`` is outside 1..the number of topics (at most
    ``MAX_GROUPS``).
    """
    registrations = [r for r in topic_registrations(meeting) if r.topics.strip()]
    limit = max(1, min(MAX_GROUPS, len(registrations)))
    if not 1 <= k <= limit:
        raise ValidationError(
            _("Choose between 1 and %(limit)s groups.") % {"limit": limit}, code="k_range"
        )
    space = TopicSpace([r.topics for r in registrations])
    return _new_draft(registrations, space.cluster(k))


def topic_board(*, meeting: Meeting, draft: dict | None) -> TopicBoard:
    """The meeting's topics grouped as in ``draft`` (or as the engine suggests without one).

    Registrations that are new or whose topics changed since the draft join the most similar
    group; cancelled ones drop out. No side effects: the caller keeps ``board.draft``.
    """
    registrations = topic_registrations(meeting)
    with_topics = [r for r in registrations if r.topics.strip()]
    space = TopicSpace([r.topics for r in with_topics])
    labels = _labels_from(draft, with_topics, space)
    grouping = space.describe(labels)
    seated = sum(1 for r in registrations if r.status in Registration.SEATED)
    existing = meeting.stations.count()
    capacity = _suggested_capacity(seated, existing + len(grouping.groups))
    by_index = dict(enumerate(with_topics))
    groups = [
        TopicGroup(
            label=group.label,
            name=group.name,
            terms=group.terms,
            registrations=[by_index[i] for i in group.members],
            touching=[by_index[i] for i in group.touching],
            suggested_capacity=capacity,
        )
        for group in grouping.groups
    ]
    no_content = {by_index[i].pk for i in grouping.ungrouped}
    return TopicBoard(
        groups=groups,
        without_topics=[r for r in registrations if not r.topics.strip() or r.pk in no_content],
        draft=_new_draft(with_topics, labels),
        seated=seated,
        existing_stations=existing,
        secondary={
            by_index[i].pk: label for i, label in enumerate(grouping.secondary) if label is not None
        },
    )


def _labels_from(draft, registrations: list[Registration], space: TopicSpace) -> list:
    if not draft:
        return space.cluster(space.suggest_k())
    kept, digests = draft.get("labels", {}), draft.get("digests", {})
    labels: list[int | None] = []
    for registration in registrations:
        key = str(registration.pk)
        unchanged = digests.get(key) == _digest(registration.topics)
        labels.append(kept.get(key) if unchanged else None)
    if all(label is None for label in labels):
        return space.cluster(space.suggest_k())
    missing = [i for i, label in enumerate(labels) if label is None]
    for index, label in space.nearest(labels, missing).items():
        labels[index] = label
    return labels


def _suggested_capacity(seated: int, stations: int) -> int:
    """Seats per station so that all seated participants fit at once."""
    return max(1, math.ceil(seated / max(1, stations)))


def merge_groups(*, draft: dict, source: int, target: int) -> dict:
    """The draft with group ``source`` merged into ``target`` (a new dict; no side effects)."""
    labels = draft["labels"]
    present = set(labels.values())
    if source == target or source not in present or target not in present:
        raise ValidationError(_("Choose two different groups to merge."), code="merge")
    merged = {key: target if label == source else label for key, label in labels.items()}
    return {**draft, "labels": merged}


def move_topics(*, draft: dict, moves: dict[int, int | None]) -> dict:
    """The draft with registrations moved to other groups; None means a new group.

    Moving topics into a new group is how a group is split. Returns a new dict.
    """
    labels = dict(draft["labels"])
    present = {label for label in labels.values() if label is not None}
    new_label = max(present, default=-1) + 1
    for registration_id, target in moves.items():
        key = str(registration_id)
        if key not in labels:
            raise ValidationError(_("A topic has changed meanwhile; please try again."))
        if target is not None and target not in present:
            raise ValidationError(_("That group does not exist any more; please try again."))
        labels[key] = new_label if target is None else target
    return {**draft, "labels": labels}
