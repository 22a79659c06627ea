"""The restructuring in awards' decisions (issue 16): a department merged away by an input's
date is refused naming its successor, and a successor acts for what its predecessors had.

``in_force`` wraps each decision of the ingress table; ``acts_for`` is the department rule of
a nominee, a campaign or a dossier, followed through mergers and transfers
(``domain/successors.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from services.awards.domain.successors import Departments, Transfer, department_on
from services.awards.readmodels import lookups as lk
from services.awards.workspace import Folds
from thidua.es.decider import Command, Emit, Missing
from thidua.es.rejections import Refused

Decision = Callable[[Command[Any], Folds], Sequence[Emit]]


def departments(cmd: Command[Any]) -> Departments:
    found: Departments | None = cmd.lookup(lk.DEPARTMENTS, lk.ALL)
    return found or Departments()


def in_force(decide: Decision, day_of: Callable[[Any], date]) -> Decision:
    """``decide``, unless the sender had merged away by the input's own date (``day_of``):
    then ``directory.department_merged``, naming the successor. The mergers are asked with
    what the decision asks, in one round."""

    def guarded(cmd: Command[Any], folds: Folds) -> Sequence[Emit]:
        try:
            known = departments(cmd)
        except Missing as missing:
            try:
                decide(cmd, folds)  # pure: only to learn what else it will ask
            except Missing as more:
                missing.add(more)
            except Refused:
                pass
            raise missing from None
        refusal = known.merged_away(cmd.payload.department_code, day_of(cmd.payload))
        if refusal is not None:
            try:
                raise refusal
            finally:
                del refusal  # or the traceback, holding this frame, and the frame hold each other
        return decide(cmd, folds)

    return guarded


def acts_for(
    cmd: Command[Any], sender: str, owner: str, subject: tuple[str, str], day: date
) -> bool:
    """Whether ``sender`` may act on ``day`` for ``subject`` (("individual" | "collective" |
    "campaign", id)), whose department is ``owner`` today: the sender is the department the
    subject was in on ``day``, or that department's successor by then. The transfers are
    asked only when a merger concerns the sender."""
    if owner == sender:
        return True
    known = departments(cmd)
    if known.speaks_for(sender, owner, day):
        return True
    if not known.in_a_merger(sender):
        return False
    moves: Sequence[Transfer] = cmd.lookup(lk.TRANSFERS, subject) or ()
    return known.speaks_for(sender, department_on(owner, moves, day), day)
