"""Facts owned by the awards service: nominations (dossiers), council votes, decisions,
awarded titles, revocations, exemplary models and conferences.

Departments' systems propose dossiers, votes, decisions, revocations, exemplary models and
conferences on their ingress topic; the awards service alone decides whether a nomination is
returned, suspended, approved or rejected (those types are not ``submittable``).

Import them from here (``from contracts import awards as aw``, then
``aw.NominationSubmitted``): importing the package imports every submodule, which registers
its types in ``contracts.EVENT_TYPES``. They live in:

- ``base``: ``AwardsEvent`` and ``NominationEvent``, the bases of every type here;
- ``nominations``: dossiers and their evidence, council votes, decisions, approvals,
  rejections, revocations, imported titles, the provincial board's forwarding and votes;
- ``exemplary``: exemplary models, conferences and conference reports;
- ``corrections``: withdrawals and corrections of the facts above, awards flagged for review
  (issue 15);
- ``funds``: the commendation fund, its allocation, adjustments, draws and recoveries.
"""

from contracts.awards.base import AwardsEvent, NominationEvent
from contracts.awards.corrections import (
    AwardFlaggedForReview,
    ConferenceCorrected,
    ExemplaryModelCorrected,
    ExemplaryModelWithdrawn,
    NominationWithdrawn,
)
from contracts.awards.exemplary import (
    ConferenceFields,
    ConferenceHeld,
    ConferenceReported,
    ExemplaryModelChosen,
    ExemplaryModelFields,
)
from contracts.awards.funds import (
    FundAdjusted,
    FundAllocated,
    FundDraw,
    FundDrawn,
    FundFields,
    FundOverdrawn,
    FundRecovered,
)
from contracts.awards.nominations import (
    AwardImported,
    AwardRevoked,
    Ballot,
    CouncilVoted,
    DecisionIssued,
    Evidence,
    LateOverride,
    NominationApproved,
    NominationForwarded,
    NominationRejected,
    NominationResumed,
    NominationReturned,
    NominationSubmitted,
    NominationSuspended,
    NominationVoted,
)

__all__ = [
    "AwardFlaggedForReview",
    "AwardImported",
    "AwardRevoked",
    "AwardsEvent",
    "Ballot",
    "ConferenceCorrected",
    "ConferenceFields",
    "ConferenceHeld",
    "ConferenceReported",
    "CouncilVoted",
    "DecisionIssued",
    "Evidence",
    "ExemplaryModelChosen",
    "ExemplaryModelCorrected",
    "ExemplaryModelFields",
    "ExemplaryModelWithdrawn",
    "FundAdjusted",
    "FundAllocated",
    "FundDraw",
    "FundDrawn",
    "FundFields",
    "FundOverdrawn",
    "FundRecovered",
    "LateOverride",
    "NominationApproved",
    "NominationEvent",
    "NominationForwarded",
    "NominationRejected",
    "NominationResumed",
    "NominationReturned",
    "NominationSubmitted",
    "NominationSuspended",
    "NominationVoted",
    "NominationWithdrawn",
]
