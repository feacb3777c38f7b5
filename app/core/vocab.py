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

# table -> what officers call its records (the audit view, the sync summaries and conflicts)
TABLE_LABELS = {
    "household": "住户", "resident": "居民", "visit": "走访", "visit_resident": "走访见面",
    "campaign": "走访计划", "campaign_household": "计划住户", "community": "社区", "grid": "网格",
    "dispute": "纠纷", "dispute_party": "当事人", "dispute_event": "纠纷流转", "mediation_session": "调解",
    "agreement": "调解协议", "revisit": "回访", "dispute_transfer": "移交", "officer": "账户",
    "sync_conflict": "同步冲突", "volunteer_team": "义警队", "volunteer": "义警", "patrol_route": "巡逻路线",
    "shift": "班次", "shift_assignment": "排班", "enterprise": "企业", "liaison_visit": "联络走访",
    "inspection": "安全检查", "inspection_item": "检查项目", "rectification": "整改", "hire_check": "招工核查",
    "audit_entry": "审计日志",
}

# field -> what officers call it (audit entries' changed fields, sync conflicts)
FIELD_LABELS = {
    "deleted": "删除标记", "name": "名称/姓名", "phone": "电话", "notes": "备注", "code": "编码",
    "id_number": "身份证号", "address": "地址", "estate": "小区", "building": "楼栋", "unit": "单元", "room": "房号",
    "head_name": "户主", "kind": "类型", "tags": "标签", "status": "状态", "risk_level": "风险等级",
    "facts": "纠纷经过", "result": "结果", "police_room": "警务室", "household_id": "所属住户",
    "community_id": "所属社区", "grid_id": "所属网格", "occupation": "职业", "relation": "与户主关系",
    "due_on": "应回访日期", "done_on": "回访日期", "findings": "发现情况", "purposes": "走访事由",
    "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族", "hukou_place": "户籍地", "age": "年龄",
    "visited_at": "走访时间", "officer_id": "民警", "companions": "同行人员", "number": "编号",
    "occurred_at": "发生时间", "place": "地点", "source": "来源", "role": "身份", "settled_on": "办结日期",
    "escalated_criminal": "民转刑", "signed_on": "签订日期", "terms": "协议内容", "performance": "履行情况",
    "deadline": "期限", "outcome": "结果", "active": "启用", "badge_no": "警号", "password_hash": "密码",
    "username": "用户名", "credit_code": "统一社会信用代码", "legal_rep": "法定代表人", "category": "类别",
    "resolution": "处理结果", "resolved": "已处理", "hazards": "安全隐患", "requests": "社情民意",
    "follow_up": "需跟进事项", "grid_worker": "网格员", "grid_worker_phone": "网格员电话",
}
