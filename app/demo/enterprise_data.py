"""The words the demo's enterprises (app.demo.enterprises) are made of: trades, jobs, what a liaison
officer writes, requests and answers, and what an inspector writes when a checklist item fails."""

from __future__ import annotations

from app.demo.data import Weighted


class Trade:
    """A kind of firm: its name, the register's industry, its jobs, tags, and how busy it keeps the police."""

    def __init__(self, name: str, industry: str, jobs: str, tags: str = "", *, staff: tuple[int, int] = (5, 60),
                 guards: tuple[int, int] = (0, 2)) -> None:
        self.name, self.industry, self.jobs, self.tags = name, industry, jobs.split(), tuple(tags.split())
        self.staff, self.guards = staff, guards


# Category -> its trades. 涉爆 and 涉危化 firms are few; key units are the big employers and the
# places many people pass through.
TRADES: dict[str, tuple[Trade, ...]] = {
    "general": (
        Trade("便利店", "零售业", "营业员 收银员", staff=(3, 12)),
        Trade("超市", "零售业", "营业员 收银员 理货员", staff=(10, 60)),
        Trade("五金建材", "批发业", "店员 送货员", staff=(3, 15)),
        Trade("餐饮管理", "餐饮业", "厨师 服务员 洗碗工", staff=(8, 40)),
        Trade("电子科技", "制造业", "操作工 质检员", "外来务工人员多", staff=(20, 200)),
        Trade("服装", "制造业", "缝纫工 裁剪工", "外来务工人员多", staff=(20, 150)),
        Trade("文化传媒", "文化艺术业", "编辑 摄影师", staff=(5, 30)),
        Trade("美容美发", "居民服务业", "美发师 美容师", staff=(3, 15)),
        Trade("汽车维修", "机动车维修业", "维修工 钣金工", "旧车交易", staff=(5, 30)),
    ),
    "key": (
        Trade("精密机械制造", "制造业", "操作工 数控车工 仓管员 叉车司机", "外来务工人员多,夜间生产",
              staff=(80, 600), guards=(3, 12)),
        Trade("酒店管理", "住宿业", "前台接待 客房服务员 保安员", "旅馆业", staff=(30, 150), guards=(2, 8)),
        Trade("网络会所", "娱乐业", "网管 收银员", "上网服务场所", staff=(5, 20), guards=(0, 2)),
        Trade("寄递服务", "邮政业", "快递员 分拣员", "寄递物流", staff=(20, 120), guards=(1, 4)),
        Trade("金银珠宝", "零售业", "营业员 保管员", "金银饰品", staff=(8, 30), guards=(2, 6)),
    ),
    "security_key": (
        Trade("物流园管理", "仓储业", "分拣员 货车司机 保安员 仓管员", "物流园区,夜间作业",
              staff=(100, 800), guards=(10, 30)),
        Trade("供水", "水的生产和供应业", "运行值班员 化验员 保安员", "水源地", staff=(60, 300), guards=(6, 20)),
        Trade("商业综合体管理", "商务服务业", "保安员 消防控制室值班员 保洁员", "人员密集场所",
              staff=(80, 400), guards=(15, 40)),
    ),
    "explosives": (
        Trade("爆破工程", "建筑业", "爆破员 安全员 保管员 押运员", "民爆物品,涉爆单位", staff=(20, 80), guards=(4, 10)),
        Trade("烟花爆竹经营", "批发业", "仓库保管员 营业员 押运员", "烟花爆竹,涉爆单位", staff=(5, 20),
              guards=(1, 4)),
    ),
    "chemicals": (
        Trade("化工仓储", "仓储业", "仓库保管员 装卸工 危险品运输驾驶员", "危化品仓库,重点防火单位",
              staff=(20, 120), guards=(4, 12)),
        Trade("燃气", "燃气生产和供应业", "充装工 送气员 安全员", "液化气充装站", staff=(15, 60), guards=(2, 6)),
        Trade("涂料", "制造业", "操作工 仓库保管员 质检员", "易制爆化学品", staff=(30, 150), guards=(2, 8)),
        Trade("加油站", "零售业", "加油员 收银员", "加油站", staff=(8, 25), guards=(1, 3)),
    ),
}
CATEGORIES = Weighted({"general": 82, "key": 11, "security_key": 2, "explosives": 1, "chemicals": 4})
# The legal basis a hire check names: by trade where a law asks for one, else the applicant's consent.
BASIS = {
    "保安员": "《保安服务管理条例》第十六条（保安员招用审查）",
    "爆破员": "《民用爆炸物品安全管理条例》第二十八条（涉爆从业人员）",
    "保管员": "《民用爆炸物品安全管理条例》第二十八条（涉爆从业人员）",
    "押运员": "《民用爆炸物品安全管理条例》第二十八条（涉爆从业人员）",
    "危险品运输驾驶员": "《危险化学品安全管理条例》（从业人员资格）",
}
CONSENT = "应聘人员本人书面同意（已签字）"
HIRE_FLAG_NOTES = ("身份信息与证件照片不符，已要求补充材料。", "比对提示需进一步核实，已告知本人到所说明。")
HIRE_RESULTS = Weighted({"clear": 94, "flagged": 4, "referred": 2})

# 警企联络: what the liaison officer writes, by kind (inspection entries come with the inspections).
LIAISON_TEXTS = {
    "incident": ("通报近期辖区电动车被盗案件情况，提醒加强停车区域巡查。",
                 "通报周边发生的一起冒充领导诈骗案件，提醒财务人员转账前当面核实。",
                 "通报节假日期间治安形势，部署企业内部安保工作。"),
    "anti_fraud": ("为员工开展反诈宣传讲座，指导下载国家反诈中心APP。",
                   "在企业食堂、宿舍张贴反诈宣传海报，发放宣传资料。",
                   "向财务人员讲解刷单返利、虚假投资理财诈骗手法。"),
    "opinions": ("召开警企座谈会，听取企业对周边治安、交通秩序的意见建议。",
                 "走访企业负责人，了解经营情况和安保需求。"),
    "hire_service": ("上门指导企业做好招工人员身份核查，收取核查申请材料。",
                     "讲解招工身份核查的依据和流程，提醒留存本人书面同意。"),
    "dispute": ("调处企业与员工的工资纠纷，双方达成一致意见。",
                "协调企业与周边居民的噪声纠纷，企业承诺调整作业时间。",
                "调处两名员工因琐事引发的口角，双方和解。"),
}
LIAISON_KINDS = Weighted({"incident": 20, "anti_fraud": 25, "opinions": 20, "hire_service": 15, "dispute": 8})
# 诉求 and their answers.
REQUESTS = (
    ("企业门口道路夜间照明不足，希望协调增设路灯。", "已协调街道和城管部门，增设路灯两盏。"),
    ("希望加强园区周边夜间巡逻。", "已将企业周边纳入社区义警夜间巡逻路线。"),
    ("员工电动车在厂区外被盗，希望协助调取周边监控。", "已调取周边监控，案件已立案侦查，进展将及时告知。"),
    ("希望派出所为新入职员工开展安全防范培训。", "已安排民警到企业开展安全防范和反诈培训一次。"),
    ("企业周边流动摊贩占道经营，影响车辆进出。", "已联系城管中队开展整治，并纳入日常巡查。"),
    ("希望协助咨询危险货物运输车辆通行证办理事项。", "已告知交警部门办理流程和所需材料。"),
    ("希望指导完善企业视频监控系统建设。", "已安排技防民警上门指导，提出改进建议五条。"),
)
NOT_APPLICABLE = {"入侵报警装置运行正常并与报警中心联网": "未安装入侵报警装置（小型商铺）",
                  "出入口控制（门禁）系统运行正常": "无门禁系统", "财务室保险柜、文件柜及存放管理": "无财务室"}
RECHECK_OPINIONS = {
    "passed": ("经复查，通知书所列问题均已整改到位。", "经复查，各项问题已按要求改正，整改资料齐全。"),
    "enforcement": ("经复查，部分问题逾期未改正，且未采取有效防范措施。",),
}
OPINIONS = ("责令限期整改，整改期间落实临时防范措施，整改完毕后书面报告。",
            "对发现的问题当场指出，责令限期改正，逾期不改依法处理。")
NOTES = ("检查时企业负责人陪同。", "企业正在进行厂房改造，改造后需再次检查。", "")

# What an inspector writes when an item fails (the built-in checklists and the demo's 技防 version 2).
FAULTS = {
    "设立治安保卫机构或配备专（兼）职治安保卫人员": "未明确专（兼）职治安保卫人员",
    "门卫制度落实，人员、车辆出入登记": "外来车辆出入未登记",
    "值班制度落实，有值班记录": "夜间值班记录缺失",
    "巡查制度落实，巡查记录完整": "近一个月无巡查记录",
    "治安保卫人员和员工安全防范培训": "新入职员工未参加安全防范培训",
    "重要部位确定并有专人负责": "重要部位未明确责任人",
    "大门、出入口设施完好": "后门门锁损坏",
    "周界围墙、围栏完好": "北侧围墙有缺口",
    "重要部位防盗门、防护栏、锁具完好": "仓库防盗门锁具失效",
    "财务室保险柜、文件柜及存放管理": "大额现金存放于普通抽屉",
    "视频监控覆盖出入口、周界和重要部位": "停车场和周界存在监控盲区",
    "视频监控运行正常，图像清晰": "三路监控无图像",
    "录像保存不少于30天": "录像仅保存7天",
    "录像保存不少于90天": "录像仅保存30天",
    "入侵报警装置运行正常并与报警中心联网": "报警装置未联网",
    "出入口控制（门禁）系统运行正常": "门禁系统故障，常开未关",
    "监控中心有人值守，有值班记录": "监控室夜间无人值守",
    "消防器材配置齐全并在有效期内": "灭火器两具过期",
    "疏散通道、安全出口畅通": "安全出口堆放杂物",
    "应急照明、疏散指示标志完好": "应急照明灯损坏",
    "消防设施定期检查维护，有记录": "消防设施无维护记录",
    "用火用电安全，无私拉乱接": "员工宿舍私拉电线给电动车充电",
    "出入库检查、登记制度落实": "出入库登记不全",
    "账物相符": "库存与台账不符",
    "有指定的专人保管": "未指定专人保管",
    "双人保管": "仓库钥匙由一人保管",
    "双人领用": "领用时仅一人签字",
    "双锁管理": "库房仅一把锁",
    "双账管理": "仅有一本台账",
    "双人验收": "入库验收仅一人签字",
}
# The 技防 checklist an admin edited a year before the demo's day: 90 days of recordings, a manned monitor room.
TECH_V2 = ("视频监控覆盖出入口、周界和重要部位", "视频监控运行正常，图像清晰", "录像保存不少于90天",
           "入侵报警装置运行正常并与报警中心联网", "出入口控制（门禁）系统运行正常", "监控中心有人值守，有值班记录")
