"""Chinese names of tables and fields as the sync views show them (translatable, context "sync")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

TABLES = {
    "officer": "民警", "community": "社区", "grid": "网格", "household": "住户", "resident": "人员",
    "campaign": "走访计划", "campaign_household": "计划住户", "visit": "入户走访", "visit_resident": "走访见面人员",
    "dispute": "矛盾纠纷", "dispute_party": "当事人", "mediation_session": "调解", "agreement": "调解协议书",
    "revisit": "回访", "dispute_transfer": "移交", "dispute_event": "纠纷动态", "volunteer_team": "义警队",
    "volunteer": "义警", "patrol_route": "巡逻路线", "shift": "班次", "shift_assignment": "排班",
    "enterprise": "企业", "liaison_visit": "联络走访", "inspection": "安全检查", "inspection_item": "检查项目",
    "rectification": "整改", "hire_check": "招工核查", "audit_entry": "操作日志", "sync_conflict": "同步冲突",
}
FIELDS = {
    "deleted": "是否删除", "name": "名称/姓名", "phone": "电话", "notes": "备注", "code": "编码",
    "id_number": "身份证号", "address": "地址", "estate": "小区", "building": "楼栋", "unit": "单元", "room": "房号",
    "head_name": "户主", "kind": "类型", "tags": "标签", "status": "状态", "risk_level": "风险等级",
    "facts": "事实", "result": "结果", "police_room": "警务室", "household_id": "所属住户",
    "community_id": "所属社区", "occupation": "职业", "relation": "与户主关系", "due_on": "到期日",
    "done_on": "完成日", "findings": "发现情况", "purposes": "走访事项",
}


def table_label(name: str) -> str:
    return QCoreApplication.translate("sync", TABLES[name]) if name in TABLES else name


def field_label(name: str) -> str:
    return QCoreApplication.translate("sync", FIELDS[name]) if name in FIELDS else name
