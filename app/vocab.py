"""Fixed vocabularies: the code stored in the database -> the label officers read.

Codes are English and never change; labels are Simplified Chinese (the UI translates them
like any other text).
"""

from __future__ import annotations

HOUSEHOLD_KINDS = {"owner": "自住", "rented": "出租", "shop": "商铺", "vacant": "空置"}
HOUSEHOLD_TAGS = ("独居老人", "出租屋", "流动人口", "重点关注", "留守儿童", "残疾人", "低保户")
RELATIONS = ("户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "租户", "其他")
VISIT_PURPOSES = ("日常走访", "矛盾纠纷排查", "反诈宣传", "安全隐患排查", "信息采集", "回访")

DISPUTE_SOURCES = {
    "visit": "走访发现",
    "dispatch": "接警派单",
    "walk_in": "群众来访",
    "grid": "网格上报",
    "center": "矛调中心移交",
}
DISPUTE_KINDS = {
    "neighbour": "邻里",
    "family": "家庭",
    "romance": "婚恋情感",
    "property": "物业",
    "debt": "经济债务",
    "labour": "劳资",
    "land": "土地山林",
    "traffic": "交通事故",
    "other": "其他",
}
DISPUTE_STATUSES = {
    "pending": "待调处",
    "mediating": "调处中",
    "resolved": "已化解",
    "to_center": "移交矛调中心",
    "to_police": "移交办案队",
    "terminated": "调解终止",
}
RISK_LEVELS = {"low": "低", "medium": "中", "high": "高"}
PARTY_ROLES = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"}
MEDIATION_KINDS = {"people": "人民调解", "admin": "行政调解", "judicial": "司法调解", "security": "治安调解"}
REVISIT_RESULTS = {"stable": "稳定", "relapsed": "反复", "escalated": "升级"}

ATTENDANCE = {"planned": "待签到", "present": "签到", "absent": "缺勤"}
ENTERPRISE_CATEGORIES = {"general": "一般", "key": "重点", "explosives": "涉爆", "chemicals": "涉危化"}
INSPECTION_CATEGORIES = ("人防", "物防", "技防")
OFFICER_ROLES = {"officer": "民警", "auxiliary": "辅警", "admin": "所领导"}
