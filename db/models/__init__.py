"""All tables. Importing this module registers every one with ``SQLModel.metadata``."""

from __future__ import annotations

from sqlmodel import SQLModel

from db.base import SyncedTable
from db.models.accounts import AuditEntry, Officer
from db.models.dispute_events import DisputeEvent
from db.models.disputes import (
    Agreement,
    Dispute,
    DisputeParty,
    DisputeSearch,
    DisputeTransfer,
    MediationSession,
    Revisit,
)
from db.models.enterprises import (
    Checklist,
    Enterprise,
    EnterpriseRequest,
    HireCheck,
    Inspection,
    InspectionItem,
    LiaisonAssignment,
    LiaisonVisit,
    Recheck,
    Rectification,
    RectificationNotice,
)
from db.models.imports import ImportBatch, ImportRecord
from db.models.patrol import (
    PatrolLog,
    PatrolRoute,
    PatrolSetting,
    RouteTeam,
    Shift,
    ShiftAssignment,
    ShiftTemplate,
    Volunteer,
    VolunteerLeave,
    VolunteerMembership,
    VolunteerStatus,
    VolunteerTeam,
)
from db.models.places import Community, Grid, Household, HouseholdSearch, Resident
from db.models.sync import LocalDevice, SyncConflict, SyncLog, SyncReceived
from db.models.visits import Campaign, CampaignHousehold, Visit, VisitResident

metadata = SQLModel.metadata

# Synced tables in an order where every foreign key points backwards, the order an
# import inserts in and an export writes in.
SYNCED_MODELS: tuple[type[SyncedTable], ...] = (
    Officer,
    Community,
    Grid,
    Household,
    Resident,
    Campaign,
    CampaignHousehold,
    Visit,
    VisitResident,
    Dispute,
    DisputeParty,
    MediationSession,
    Agreement,
    Revisit,
    DisputeTransfer,
    DisputeEvent,
    VolunteerTeam,
    Volunteer,
    VolunteerMembership,
    VolunteerLeave,
    VolunteerStatus,
    PatrolRoute,
    RouteTeam,
    ShiftTemplate,
    Shift,
    ShiftAssignment,
    PatrolLog,
    PatrolSetting,
    Enterprise,
    LiaisonAssignment,
    LiaisonVisit,
    EnterpriseRequest,
    Checklist,
    Inspection,
    InspectionItem,
    Rectification,
    RectificationNotice,
    Recheck,
    HireCheck,
    AuditEntry,
    SyncConflict,
)
SYNCED_TABLES = tuple(m.__tablename__ for m in SYNCED_MODELS)

__all__ = [m.__name__ for m in SYNCED_MODELS] + [
    "DisputeSearch",
    "HouseholdSearch",
    "ImportBatch",
    "ImportRecord",
    "LocalDevice",
    "SyncLog",
    "SyncReceived",
    "SyncedTable",
    "SYNCED_MODELS",
    "SYNCED_TABLES",
    "metadata",
]
