"""What a dispute row's people and mediation cells say: the parties with their roles, ID numbers and
phones, and the mediation sessions (the dispute ledger's own lines, or free text).

Split from app/imports/kinds/disputes.py (the kind itself) to keep each module short."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from app.core.timeutil import local_now, moment_of
from app.core.vocab import MEDIATION_KINDS, PARTY_ROLES
from app.disputes.mediation import SessionValues, session_problems
from app.disputes.register import PartyValues
from app.imports import cells
from app.imports.kinds.lookups import LIST_SEPARATORS, Reader, plain, split_list

# (field key, label, header aliases) of the 当事人1/2/3 columns, in PARTY_ROLES order
PARTY_COLUMNS = (("party1", "当事人1", ("申请人", "当事人甲", "甲方", "申请人姓名")),
                 ("party2", "当事人2", ("被申请人", "当事人乙", "乙方", "被申请人姓名")),
                 ("party3", "当事人3", ("第三人", "当事人丙")))
_ROLE_PREFIX = re.compile("^(" + "|".join(sorted(PARTY_ROLES.values(), key=len, reverse=True)) + ")[:：]?\\s*")
_ROLE_OF = {label: code for code, label in PARTY_ROLES.items()}
_BRACKETED = re.compile(r"[（(]([^）)]*)[）)]")
_NUMBERS = re.compile(r"[\dXx０-９Ｘｘ\-\s、,，;；/]+")  # an ID number or phone after a name: 张三（138…）
# The ledger's line of a session (app/disputes/ledger.py), after NFKC made its brackets and colon ASCII
_SESSION = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s+(" + "|".join(MEDIATION_KINDS.values())
                      + r")(?:\s*[（(]主持[：:]([^）)]*)[）)])?(?:\s*[：:]\s*(.*))?$")


def cell_lines(value) -> list[str]:
    """A multi-line cell's lines, each tidied (``plain``), blanks dropped."""
    return [line for line in plain(value).split("\n") if line]


def _party(token: str, role: str | None, problems: list[str]) -> PartyValues:
    """One name from a cell, its role prefix (申请人张三) and bracketed ID number or phone read."""
    if found := _ROLE_PREFIX.match(token):
        role, token = _ROLE_OF[found.group(1)], token[found.end():]
    party = PartyValues(role=role or "")
    numbers = [found for found in _BRACKETED.finditer(token) if _NUMBERS.fullmatch(found.group(1))]
    name = token
    for found in reversed(numbers):  # "某某（杭州）有限公司" keeps its brackets: only numbers are taken out
        name = name[:found.start()] + name[found.end():]
    for found in numbers:
        for part in split_list(found.group(1).replace(" ", "、")):
            reader = cells.id_number if len(part) >= 15 else cells.phone
            try:
                value = reader(part)
            except cells.CellProblem as problem:
                problems.append(f"当事人{name.strip()}：{problem}")
                continue
            party = replace(party, **{"id_number" if reader is cells.id_number else "phone": value})
    return replace(party, name=name.strip())


def _names(text: str | None) -> list[str]:
    """split_list, but a separator inside brackets stays: "张三（110…、138…）、李四" is two people."""
    if not text:
        return []
    depth, out, current = 0, [], ""
    for char in text:
        depth += (char in "（(") - (char in "）)")
        if depth <= 0 and LIST_SEPARATORS.fullmatch(char):
            out.append(current)
            current, depth = "", 0
        else:
            current += char
    return [name.strip() for name in [*out, current] if name.strip()]


def read_parties(read: Reader) -> list[PartyValues]:
    values, problems = read.values, read.problems
    parties = [_party(token, None, problems) for token in _names(plain(values.get("parties")))]
    ids = [read.part("party_ids", part, cells.id_number) for part in split_list(cells.text(values.get("party_ids")))]
    phones = [read.part("party_phones", part, cells.phone)
              for part in split_list(cells.text(values.get("party_phones")))]
    for index, party in enumerate(parties):  # the numbers in the parties' order
        id_number, phone = ids[index] if index < len(ids) else None, phones[index] if index < len(phones) else None
        parties[index] = replace(party, id_number=party.id_number or id_number or "",
                                 phone=party.phone or phone or "")
    if len(ids) > len(parties) or len(phones) > len(parties):
        problems.append("当事人身份证号或电话比当事人多，请一人一个，按当事人的顺序填写")
    for (key, _label, _aliases), role in zip(PARTY_COLUMNS, PARTY_ROLES):
        for token in _names(plain(values.get(key))):
            party = _party(token, role, problems)
            id_number = party.id_number or read(f"{key}_id", cells.id_number)
            phone = party.phone or read(f"{key}_phone", cells.phone)
            parties.append(replace(party, id_number=id_number or "", phone=phone or ""))
    # Without roles the first unnamed one is the 申请人 (unless a 申请人 is named), the others 被申请人
    applicant = any(p.role == "applicant" for p in parties)
    for index, party in enumerate(parties):
        if not party.role:
            parties[index] = replace(party, role="respondent" if applicant else "applicant")
            applicant = True
    return parties


def read_sessions(lines: list[str], occurred: datetime, settled: date | None,
                  problems: list[str]) -> list[SessionValues]:
    """The ledger's session lines one session each; other text one session, on the closing day."""
    sessions, loose = [], []
    today = local_now().date()
    for line in lines:
        found = _SESSION.match(line)
        try:
            held = cells.day(found.group(1)) if found else None
        except cells.CellProblem as problem:
            problems.append(f"调处经过：{problem}")
            continue
        if found is None:
            loose.append(line)
            continue
        kind = next(code for code, label in MEDIATION_KINDS.items() if label == found.group(2))
        # A second apart: sessions of one day stay in the order the cell lists them
        held_at = moment_of(held, today=today, not_before=occurred) + timedelta(seconds=len(sessions))
        sessions.append(SessionValues(held_at=held_at, kind=kind, host=found.group(3) or "",
                                      record=found.group(4) or ""))
    if loose:
        held_at = moment_of(settled, today=today, not_before=occurred) if settled else occurred
        sessions.append(SessionValues(held_at=held_at, record="\n".join(loose)))
    for session in sessions:  # the session form's rules; the host is the 责任民警 when the text names none
        for message in session_problems(replace(session, host=session.host or "民警"), occurred_at=occurred).values():
            problems.append(f"调处经过：{message}")
    return sessions
