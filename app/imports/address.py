"""An address typed in one cell split into 小区/楼栋/单元/房号, only where the split is sure.

Registers often hold "阳光小区3栋2单元501室" or "阳光小区3-2-501" in a single 住址 column while
the program keeps the parts apart (app.core.text.format_address joins them back). Anything
this cannot split with confidence comes back None, and the wizard shows it to confirm.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Address:
    estate: str
    building: str | None
    unit: str | None
    room: str | None


_PART = r"[0-9A-Za-z]+"
# 阳光小区3栋2单元501室, 阳光花园5幢1单元302, 阳光苑8号楼1单元201, 和平苑A座1203
_MARKED = re.compile(
    rf"^(?P<estate>.*?[^0-9A-Za-z\-])(?P<building>{_PART})(?:号楼|栋|幢|座)"
    rf"(?:(?P<unit>{_PART})单元)?(?:(?P<room>{_PART})(?:室|号|房)?)?$")
# 阳光小区3-2-501, 阳光小区3-501
_DASHED = re.compile(r"^(?P<estate>.*?[^0-9A-Za-z\-])(?P<building>\d+)-(?:(?P<unit>\d+)-)?(?P<room>\d+)(?:室|号)?$")
# an administrative prefix (浙江省杭州市西湖区文新街道阳光社区) before the estate
_PROVINCE_CITY = re.compile(r"^(?:[^省市]{2,7}省)?(?:[^省市]{2,7}市)?")
_DISTRICT = re.compile(r"^[^区县]{2,6}?(?<!小)(?:区|县)(?=.{2,})")
_STREET = re.compile(r"^[^街镇乡]{2,8}?(?:街道|镇|乡)(?=.{2,})")
_COMMUNITY = re.compile(r"^[^社]{2,8}?社区(?=.{2,})")
# a road and door number before the estate's own name: 幸福路12号阳光苑
_ROAD = re.compile(r"^.{1,10}?(?:大道|路|街|巷|弄)\d+号(?=.{2,})")


def split_address(text: str) -> Address | None:
    """The parts of a one-cell address, or None when they cannot be told apart with confidence."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    if not value:
        return None
    match = _MARKED.match(value) or _DASHED.match(value)
    if not match:
        return None
    estate = _strip_prefixes(match["estate"])
    if len(estate) < 2 or estate[-1].isdigit():
        return None
    return Address(estate=estate, building=match["building"], unit=match["unit"], room=match["room"])


def _strip_prefixes(estate: str) -> str:
    """Province, city, district, street and community names, then a road and number, dropped
    from the front; never so much that less than two characters remain."""
    for pattern in (_PROVINCE_CITY, _DISTRICT, _STREET, _COMMUNITY, _ROAD):
        shorter = pattern.sub("", estate, count=1)
        if len(shorter) >= 2:
            estate = shorter
    return estate
