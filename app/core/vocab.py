"""Fixed vocabularies: the code stored in the database -> the label officers read.

Codes are English and never change; labels are Simplified Chinese (the UI translates them
like any other text).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

_Party = TypeVar("_Party")

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
PARTY_ROLES = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"}  # in_party_order below
MEDIATION_KINDS = {"people": "人民调解", "admin": "行政调解", "judicial": "司法调解", "security": "治安调解"}
REVISIT_RESULTS = {"stable": "稳定", "relapsed": "反复", "escalated": "升级"}

ATTENDANCE = {"planned": "待签到", "present": "已签到", "late": "迟到", "left_early": "早退", "absent": "缺勤",
              "leave": "请假"}
ATTENDANCE_HOW = {"leader": "负责人确认", "paper": "纸质签到表录入"}
TEAM_KINDS = {"community": "社区巡防", "street": "街面巡逻", "school": "专项：护校", "anti_fraud": "专项：反诈宣传",
              "special": "专项：其他"}
TEAM_ROLES = {"captain": "队长", "deputy": "副队长", "group_leader": "小组长", "member": "队员"}
VOLUNTEER_STATUSES = {"active": "在队", "paused": "暂停", "left": "退出"}
VOLUNTEER_SKILLS = ("快递员", "外卖员", "退役军人", "医护", "保安", "网格员", "驾驶", "急救", "消防", "调解", "外语",
                    "摄影", "电工", "心理疏导")
ROUTE_KINDS = {"night": "夜巡", "school": "护学岗", "key": "重点路线"}
# Availability is declared per weekday and band; a shift needs every band its hours touch.
TIME_BANDS = {"m": "上午", "a": "下午", "e": "晚上", "n": "深夜"}  # 06-12, 12-18, 18-24, 00-06
FINDING_KINDS = {"hazard": "安全隐患", "clue": "可疑线索", "dispute": "矛盾纠纷", "help": "群众求助"}
ENTERPRISE_CATEGORIES = {"general": "一般", "key": "重点", "explosives": "涉爆", "chemicals": "涉危化",
                         "security_key": "治安保卫重点单位"}
HAZARDOUS_CATEGORIES = ("explosives", "chemicals")  # 涉爆涉危: their storage rules are inspected too
INSPECTION_CATEGORIES = ("人防", "物防", "技防", "消防", "储存管理")  # 储存管理: 涉爆/涉危化 storage rules
LIAISON_KINDS = {"incident": "通报警情", "inspection": "安全检查", "anti_fraud": "反诈宣传",
                 "opinions": "听取意见建议", "hire_service": "招工核查服务", "dispute": "矛盾纠纷调处"}
ITEM_RESULTS = {"pass": "合格", "fail": "不合格", "na": "不适用"}  # a checklist item's result
INSPECTION_RESULTS = {"passed": "合格", "issues": "不合格"}
RECHECK_OUTCOMES = {"passed": "复查通过", "enforcement": "逾期未改，转执法办案"}
HIRE_CHECK_RESULTS = {"clear": "未见异常", "flagged": "需进一步核查", "referred": "已移交"}
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
    "liaison_assignment": "包企民警变更", "enterprise_request": "企业诉求", "checklist": "检查清单",
    "rectification_notice": "整改通知书", "recheck": "复查",
    "audit_entry": "审计日志", "volunteer_membership": "义警入队", "volunteer_leave": "义警请假",
    "volunteer_status": "义警状态", "route_team": "路线巡逻队", "shift_template": "班次模板", "patrol_log": "巡逻日志",
    "patrol_setting": "巡逻积分规则",
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
    "team_id": "义警队", "volunteer_id": "义警", "route_id": "巡逻路线", "shift_id": "班次", "contact": "联系方式",
    "group_size": "每组人数", "group_leader": "设小组长", "trained_on": "培训日期", "weekly_cap": "每周班次上限",
    "availability": "可排时段", "skills": "专长", "starts_on": "开始日期", "ends_on": "结束日期", "since": "起始日期",
    "reason": "原因", "waypoints": "途经点", "minutes": "时长（分钟）", "weekdays": "星期", "starts_at": "开始时间",
    "ends_at": "结束时间", "headcount": "人数", "needs_leader": "需小组长", "skill": "所需专长",
    "valid_from": "生效日期", "valid_to": "失效日期", "day": "日期", "needed": "需要人数", "confirmed_at": "确认时间",
    "confirmed_by": "确认民警", "attendance": "签到情况", "checked_in_at": "签到时间", "checked_out_at": "签退时间",
    "pinned": "手工固定", "as_leader": "小组长", "recorded_how": "记录方式", "text": "内容", "settled": "协助化解",
    "value": "数值", "template_id": "班次模板", "joined_on": "入队日期", "dispute_id": "纠纷",
    # 一企一警
    "industry": "行业", "security_head": "保卫负责人", "security_phone": "保卫负责人电话", "employees": "职工人数",
    "guards": "保安人数", "liaison_officer_id": "包企民警", "assigned_on": "变更日期", "visited_on": "联络日期",
    "raised_on": "提出日期", "content": "内容", "answered_on": "答复日期", "answer": "答复", "items": "检查项目",
    "version": "版本", "inspected_on": "检查日期", "inspectors": "检查人员", "categories": "检查类别",
    "opinion": "意见", "present": "在场人员", "signer": "企业签字人", "item": "检查项目", "remark": "情况说明",
    "passed": "合格", "applicable": "适用", "problem": "隐患内容", "verified": "复查确认", "closed_on": "结案日期",
    "issued_on": "下发日期", "issuer": "签发人", "addressee": "被通知单位", "delivered_on": "送达日期",
    "receiver": "签收人", "rechecked_on": "复查日期", "job": "应聘岗位", "basis": "核查依据",
    "requested_on": "申请日期", "checked_on": "答复日期", "keep_until": "保存至", "id_hash": "身份证号摘要",
}


def in_party_order(parties: Iterable[_Party]) -> list[_Party]:
    """Parties (anything with a ``role``) as the agreement, the detail pane and the audit view's
    choices list them: 申请人, 被申请人, 第三人, an unknown role last; the given order within a role."""
    rank = {role: i for i, role in enumerate(PARTY_ROLES)}
    return sorted(parties, key=lambda party: rank.get(party.role, len(rank)))
