"""``cpdesk list volunteers`` (app/cli/listing.py runs it)."""

from __future__ import annotations

from sqlalchemy import select

from app.cli.listing import Spec
from db.models import Volunteer, VolunteerTeam

V, T = Volunteer.__table__.c, VolunteerTeam.__table__.c


def _volunteers():
    return (
        select(V.id, V.name, V.gender, V.id_number, V.phone, T.name.label("team"), V.active)
        .join(VolunteerTeam.__table__, T.id == V.team_id)
        .where(V.deleted.is_(False))
        .order_by(T.name, V.name, V.id)
    )


SPECS = {
    "volunteers": Spec(("id", "name", "gender", "id_number", "phone", "team", "active"), _volunteers,
                       lambda: (V.name, V.phone, T.name)),
}
