"""Made-up people, and the name lists, places and text pieces the demo station's stages (app.demo) draw from."""

from __future__ import annotations

import random
from bisect import bisect
from datetime import date, timedelta
from itertools import accumulate

from app.core.validation import id_check_char


class Weighted:
    """A choice table built once: codes with their relative weights."""

    def __init__(self, weights: dict) -> None:
        self.codes, self.cum = list(weights), list(accumulate(weights.values()))
        self.total, self.last = self.cum[-1] + 0.0, len(self.cum) - 1

    def pick(self, rng: random.Random):
        """``rng.choices(self.codes, cum_weights=self.cum)[0]``, the same draw and the same pick,
        without re-checking the table each call (the demo picks millions of times)."""
        return self.codes[bisect(self.cum, rng.random() * self.total, 0, self.last)]


# The 100 commonest surnames with their approximate share of China's population, per
# 10,000 people (Ministry of Public Security household-register figures, rounded).
SURNAMES = Weighted({
    "王": 725, "李": 719, "张": 683, "刘": 538, "陈": 453, "杨": 308, "黄": 223, "赵": 215,
    "吴": 203, "周": 198, "徐": 161, "孙": 152, "马": 145, "朱": 135, "胡": 129, "郭": 121,
    "何": 118, "林": 113, "高": 112, "罗": 98, "郑": 97, "梁": 87, "谢": 81, "宋": 80,
    "唐": 78, "许": 73, "韩": 72, "邓": 70, "冯": 69, "曹": 68, "彭": 65, "曾": 64,
    "肖": 63, "田": 61, "董": 60, "潘": 58, "袁": 56, "蔡": 54, "蒋": 53, "余": 52,
    "于": 51, "杜": 50, "叶": 49, "程": 48, "魏": 47, "苏": 46, "吕": 45, "丁": 44,
    "任": 43, "卢": 42, "姚": 41, "沈": 40, "钟": 39, "姜": 38, "崔": 37, "谭": 36,
    "陆": 35, "范": 34, "汪": 33, "廖": 33, "石": 32, "金": 31, "韦": 30, "贾": 30,
    "夏": 29, "付": 29, "方": 28, "邹": 27, "熊": 27, "白": 26, "孟": 26, "秦": 25,
    "邱": 25, "侯": 24, "江": 24, "尹": 23, "薛": 23, "闫": 22, "段": 22, "雷": 21,
    "龙": 21, "黎": 20, "史": 20, "陶": 19, "贺": 19, "毛": 18, "郝": 18, "顾": 18,
    "龚": 17, "邵": 17, "万": 16, "覃": 16, "武": 16, "钱": 16, "戴": 15, "严": 15,
    "莫": 14, "孔": 14, "向": 13, "汤": 13,
})

# Given names follow the fashion of the birth years: (born before, gender) -> first
# characters, second characters. One-character given names come from SINGLE_GIVEN.
GIVEN_NAMES = {
    (1960, "男"): ("建国德志永金福长明振卫树文洪春", "国华民明林生强荣平忠海根祥发才宝"),
    (1960, "女"): ("秀桂玉淑凤月金美素彩爱菊雪", "英兰珍芳梅娥花琴凤华仙娣芬云"),
    (1990, "男"): ("建晓志海伟俊国立永文明学新红卫振小", "军伟勇斌强峰华明刚涛波辉林平东杰锋鹏"),
    (1990, "女"): ("丽晓秀红海春美雪丹小玉静燕", "红芳丽娟霞燕萍华艳敏英玲琴莉梅静"),
    (9999, "男"): ("子浩宇俊梓一博嘉思文天明家振晨", "轩然宇杰豪睿泽涵航辰阳铭哲洋诚翔"),
    (9999, "女"): ("梓欣雨诗思佳若一可紫雅子语心", "涵怡萱琪彤悦琳妍菲婷瑶诺希晴然宁"),
}
SINGLE_GIVEN = {"男": "伟强磊军勇杰涛斌超明刚鹏浩凯健峰亮", "女": "芳娜敏静丽艳娟霞燕玲婷慧倩颖琳雪"}

# 6-digit administrative area codes (GB/T 2260) with the place they name. The station is
# in Hangzhou: most people are registered locally, migrants come from the others.
LOCAL_AREAS = {
    "330102": "浙江省杭州市上城区", "330105": "浙江省杭州市拱墅区", "330106": "浙江省杭州市西湖区",
    "330108": "浙江省杭州市滨江区", "330109": "浙江省杭州市萧山区", "330110": "浙江省杭州市余杭区",
    "330122": "浙江省杭州市桐庐县", "330127": "浙江省杭州市淳安县",
}
OTHER_AREAS = {
    "330203": "浙江省宁波市海曙区", "330302": "浙江省温州市鹿城区", "330402": "浙江省嘉兴市南湖区",
    "330602": "浙江省绍兴市越城区", "330782": "浙江省义乌市", "331002": "浙江省台州市椒江区",
    "110105": "北京市朝阳区", "110108": "北京市海淀区", "310104": "上海市徐汇区",
    "320102": "江苏省南京市玄武区", "320583": "江苏省昆山市", "340104": "安徽省合肥市蜀山区",
    "341221": "安徽省临泉县", "341302": "安徽省宿州市埇桥区", "360102": "江西省南昌市东湖区",
    "361128": "江西省鄱阳县", "410102": "河南省郑州市中原区", "411522": "河南省光山县",
    "411627": "河南省太康县", "420102": "湖北省武汉市江岸区", "421127": "湖北省黄梅县",
    "430102": "湖南省长沙市芙蓉区", "431021": "湖南省桂阳县", "500101": "重庆市万州区",
    "510104": "四川省成都市锦江区", "511321": "四川省南部县", "520102": "贵州省贵阳市南明区",
    "520502": "贵州省毕节市七星关区", "450102": "广西壮族自治区南宁市兴宁区",
    "370102": "山东省济南市历下区", "130102": "河北省石家庄市长安区", "440106": "广东省广州市天河区",
    "350102": "福建省福州市鼓楼区", "610113": "陕西省西安市雁塔区", "620102": "甘肃省兰州市城关区",
    "230102": "黑龙江省哈尔滨市道里区",
}
# Mainland mobile prefixes in use (13x, 15x, 17x, 18x, 19x).
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 198 199"
).split()
ETHNICITIES = Weighted({"汉族": 970, "回族": 6, "土家族": 5, "苗族": 5, "壮族": 4, "满族": 4, "畲族": 3, "彝族": 3})
OCCUPATIONS = ("企业职员", "个体经营", "教师", "医护人员", "自由职业", "务工", "公务员", "快递员",
               "外卖骑手", "网约车司机", "保安", "家政服务", "厨师", "销售", "程序员", "无业")

COMMUNITIES = ("翠苑", "文新", "古荡", "西溪", "文鼎", "嘉绿", "骆家庄", "益乐", "蒋村", "五联")
ESTATE_PREFIXES = ("阳光 金桂 翠湖 锦绣 碧水 绿城 紫金 东方 丹桂 梧桐 香樟 枫林 桂花 望江 春江 "
                   "秋水 云栖 银杏 和家 名仕 嘉禾 荷塘 兰亭 莲花 清河 玉泉 曙光 星洲 天阳 明月 "
                   "世纪 富春 钱塘 西城 北山 南苑 文华 新华 红星 朝晖").split()
ESTATE_SUFFIXES = ("花园 苑 小区 家园 公寓 新村 华府 名邸 雅苑 佳苑 景园 里 府 城 庭").split()
ROADS = ("文三路 文二路 学院路 古墩路 天目山路 教工路 余杭塘路 紫金港路 丰潭路 莫干山路 "
         "文一西路 西湖大道 保俶路 体育场路 萍水街 益乐路 登云路 和睦路 竞舟路 五常大道").split()
PUBLIC_PLACES = ("菜市场门口", "地下车库", "小区东门", "超市收银台", "公交站台", "路口", "广场舞场地",
                 "建筑工地", "快递驿站", "农贸市场", "停车场")

# Households of each kind: (head's age range, other members, household tag) -> weight.
# Members are codes of MEMBER_KINDS; the weights give about 2.4 people a household overall.
# Shops are the ground-floor flats that open onto the street (decided by floor, not here).
HOUSEHOLD_KINDS = Weighted({"owner": 66, "rented": 24, "vacant": 6})
FAMILIES = {
    "owner": Weighted({
        ((66, 92), (), "独居老人"): 7,
        ((23, 60), (), ""): 6,
        ((24, 38), ("spouse",), ""): 8,
        ((58, 85), ("spouse",), ""): 13,
        ((28, 50), ("spouse", "child"), ""): 30,
        ((32, 50), ("spouse", "child", "child"), ""): 16,
        ((30, 45), ("spouse", "child", "mother"), ""): 8,
        ((30, 45), ("spouse", "child", "father", "mother"), ""): 8,
        ((62, 72), ("grandchild",), "留守儿童"): 4,
    }),
    "rented": Weighted({((20, 45), (), ""): 40, ((22, 40), ("spouse",), ""): 35,
                        ((26, 42), ("spouse", "child"), ""): 25}),
    "shop": Weighted({((25, 60), (), ""): 60, ((25, 60), ("spouse",), ""): 40}),
}
# member code -> relation, gender rule, years added to the head's age, whose surname they bear
# ("head": the head's; "line": the husband's of the couple, or the head's when alone).
MEMBER_KINDS = {
    "spouse": ("配偶", "opposite", (-3, 3), None),
    "child": ("子女", None, (-34, -23), "line"),
    "father": ("父母", "男", (24, 32), "head"),
    "mother": ("父母", "女", (22, 30), None),
    "grandchild": ("孙子女", None, (-66, -56), "line"),
}
# Tags some households carry besides the ones their make-up implies, per 1,000.
EXTRA_TAGS = {"重点关注": 8, "残疾人": 15, "低保户": 10}

# When things happen, as windows of minutes of the local day: officers visit in office hours
# and in the evening, when people are home; mediation sits in office hours; disputes break out
# from early morning to late evening.
VISIT_HOURS = Weighted({(8 * 60 + 30, 12 * 60): 40, (14 * 60, 18 * 60): 40, (19 * 60, 21 * 60): 20})
OFFICE_HOURS = Weighted({(8 * 60 + 30, 12 * 60): 45, (14 * 60, 18 * 60): 55})
DISPUTE_HOURS = Weighted({(7 * 60, 23 * 60): 1})
VISIT_PURPOSES = Weighted({"日常走访": 45, "矛盾纠纷排查": 12, "反诈宣传": 20, "安全隐患排查": 12,
                           "信息采集": 8, "回访": 3})
VISIT_FINDINGS = {
    "日常走访": ("家中情况正常，住户无异常反映。", "住户反映近期小区治安良好。", "家中老人身体尚可，子女每周探望。"),
    "矛盾纠纷排查": ("经排查，该户与邻里关系融洽，无矛盾纠纷。", "住户反映与楼上住户因噪音有过争执，已提醒注意。"),
    "反诈宣传": ("已发放反诈宣传资料，指导安装国家反诈中心APP。",
                 "讲解刷单返利、冒充客服等诈骗手法，住户表示会提高警惕。"),
    "安全隐患排查": ("检查燃气灶具和电线，未发现隐患。", "楼道内堆放杂物，已要求清理。"),
    "信息采集": ("核对更新了家庭成员信息和联系电话。", "新登记租住人员信息。"),
    "回访": ("回访前期纠纷当事人，双方已无争执。", "回访了解协议履行情况，已履行完毕。"),
}
VISIT_HAZARDS = ("电动车在楼道内充电", "消防通道堆放杂物", "燃气软管老化", "私拉电线", "灭火器过期")
VISIT_REQUESTS = ("希望增加小区夜间巡逻", "反映小区路灯损坏", "希望加装电梯", "反映外来车辆乱停")

DISPUTE_KINDS = Weighted({"neighbour": 24, "family": 16, "romance": 6, "property": 12, "debt": 14,
                          "labour": 10, "land": 3, "traffic": 8, "other": 7})
DISPUTE_SOURCES = Weighted({"visit": 20, "dispatch": 35, "walk_in": 20, "grid": 20, "center": 5})
# Most cases end resolved (app.demo.disputes dates the still-open ones in recent months).
DISPUTE_STATUSES = Weighted({"resolved": 76, "mediating": 9, "pending": 4, "to_center": 5, "to_police": 2,
                             "terminated": 4})
RISK_LEVELS = Weighted({"low": 70, "medium": 24, "high": 6})
# Disputes at home happen at an address; the others at a public place.
HOME_DISPUTE_KINDS = frozenset({"neighbour", "family", "romance", "property"})
# Per kind: what happened between applicant {a} and respondent {b}, and the terms they agreed.
DISPUTE_CASES = {
    "neighbour": (
        ("{a}反映楼上住户{b}家夜间噪音扰民，多次沟通未果，双方发生口角。",
         ("{b}保证晚十点后不再制造噪音。", "双方今后互相谅解，和睦相处。")),
        ("{a}与{b}因楼道堆放杂物问题产生矛盾，互不相让。",
         ("{b}于三日内清理楼道杂物。", "双方今后互相谅解，和睦相处。")),
        ("{b}装修时破坏了{a}家的防水层，导致渗水，双方对赔偿有争议。",
         ("{b}于七日内修复渗水部位并承担费用。", "{b}赔偿{a}墙面修复费人民币二千元。")),
    ),
    "family": (
        ("{a}与{b}因赡养老人费用分担问题发生争吵。", ("双方按约定比例分担赡养费用。", "双方轮流照看老人。")),
        ("{a}与{b}夫妻因家庭琐事争吵，{a}报警求助。", ("双方互相尊重，不再发生争吵。", "{b}保证不再动手。")),
    ),
    "romance": (
        ("{a}与{b}分手后，{b}多次到{a}住处纠缠，扬言要报复。", ("{b}不再到{a}住处及单位纠缠。", "双方不再相互联系。")),
        ("{a}与{b}因婚约彩礼返还问题产生纠纷。", ("{b}返还{a}彩礼人民币三万元。", "双方就此事再无其他争议。")),
    ),
    "property": (
        ("{a}对物业收费标准有异议，拒缴物业费，与物业人员{b}发生争执。",
         ("{a}于十五日内缴清所欠物业费。", "物业公司对收费项目进行公示。")),
        ("{a}的车位被{b}长期占用，物业协调无果。", ("{b}于三日内将车辆移出{a}的车位。", "{b}今后不再占用他人车位。")),
    ),
    "debt": (
        ("{a}称{b}借款五万元逾期未还，多次催讨未果。",
         ("{b}分三期偿还借款，每月底前支付。", "{a}不再就利息另行主张。")),
        ("{a}与{b}合伙经营亏损，对债务分担有争议。", ("双方就合伙债务按出资比例分担。", "合伙关系自签订之日起解除。")),
    ),
    "labour": (
        ("{a}等三名工人反映包工头{b}拖欠工资两万余元。",
         ("{b}于本月底前一次性支付拖欠工资。", "{a}等人不再采取过激行为。")),
        ("{a}被{b}的公司辞退，对经济补偿金额有异议。",
         ("{b}支付{a}经济补偿金人民币一万元。", "双方劳动关系就此解除。")),
    ),
    "land": (
        ("{a}与{b}因宅基地边界问题发生争执。", ("双方以村委会测量结果确定边界。", "双方不得越界建房。")),
        ("{a}与{b}因自留地灌溉用水问题产生矛盾。", ("双方按约定时间轮流用水。", "双方共同维护灌溉水渠。")),
    ),
    "traffic": (
        ("{a}驾驶电动自行车与{b}的小型轿车发生刮擦，双方对责任和赔偿有争议。",
         ("{b}一次性赔偿{a}维修费和医药费人民币一千二百元。", "双方不再就此事追究对方其他责任。")),
        ("{b}倒车时碰擦{a}停放的车辆，双方就维修费用未能达成一致。",
         ("{b}承担{a}车辆维修费人民币八百元。", "双方不再就此事追究对方其他责任。")),
    ),
    "other": (
        ("{a}在{b}经营的餐馆就餐后身体不适，要求赔偿。",
         ("{b}一次性赔偿{a}医药费人民币八百元。", "{b}加强食品卫生管理。")),
        ("{b}饲养的犬只咬伤{a}，双方对医药费赔偿有争议。",
         ("{b}一次性赔偿{a}医药费人民币八百元。", "{b}今后外出遛狗须牵绳。")),
    ),
}
MEDIATION_KINDS = Weighted({"people": 70, "security": 20, "admin": 7, "judicial": 3})
REVISIT_RESULTS = Weighted({"stable": 85, "relapsed": 12, "escalated": 3})
MEDIATION_RECORDS = ("双方陈述了各自意见，调解员释法明理，双方情绪趋于平稳。",
                     "经耐心劝导，双方各退一步，初步达成和解意向。",
                     "一方当事人未到场，调解改期进行。", "双方分歧较大，未能达成一致。")
REVISIT_NOTES = {"stable": ("双方已无矛盾，关系正常。", "协议已履行完毕，当事人表示满意。"),
                 "relapsed": ("双方又因小事发生口角，已再次调解。",),
                 "escalated": ("矛盾激化，已报所领导并移交处理。",)}
TRANSFER_OUTCOMES = ("矛调中心已受理，组织多方联合调解。", "已立案处理。", "经调解达成协议，反馈结案。")
PARTY_THIRD = ("物业服务中心", "社区居委会", "保险公司", "村民委员会")

VOLUNTEER_TEAM_NAMES = ("平安义警队", "红袖章巡逻队", "治安志愿者队", "夜巡护卫队")
VOLUNTEER_SKILLS = ("急救", "消防", "驾驶", "调解", "外语", "摄影", "电工", "心理疏导")

ENTERPRISE_WORDS = ("恒信 华宇 鼎盛 瑞丰 金诚 信达 永盛 博远 新锐 中天 宏达 安泰 众合 汇通 天成 "
                    "兴业 明德 正泰 利群 优品 佳禾 星辰 云帆 顺捷").split()
ENTERPRISE_TRADES = {
    "general": ("餐饮管理", "电子科技", "网络科技", "服装", "文化传媒", "教育咨询", "建材", "贸易", "美容美发"),
    "key": ("物流", "酒店管理", "商业管理", "网吧", "寄递服务", "金融服务"),
    "explosives": ("爆破工程", "烟花爆竹经营"),
    "chemicals": ("化工", "燃气", "加油站", "涂料"),
}
ENTERPRISE_CATEGORIES = Weighted({"general": 78, "key": 15, "explosives": 2, "chemicals": 5})
# 9-character organisation codes use the credit-code alphabet (no I, O, S, V, Z).
ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Checklist items per category, with what an inspector writes when one fails.
INSPECTION_ITEMS = {
    "人防": (("保安人员配备", "夜间值班保安不足"), ("值班巡查制度", "巡查记录缺失"),
             ("员工安全培训", "员工未参加年度安全培训")),
    "物防": (("消防器材", "灭火器过期两具"), ("出入口门禁", "后门门禁损坏"), ("重点部位防盗门", "仓库防盗门锁具失效")),
    "技防": (("视频监控覆盖", "停车场监控盲区"), ("监控录像保存30天", "录像仅保存7天"),
             ("入侵报警装置", "报警装置未联网")),
}
LIAISON_NOTES = ("走访了解企业经营和安保情况，无异常。", "宣传防范电信网络诈骗知识。", "提醒做好节前安全检查。",
                 "协调处理企业周边停车问题。", "了解员工思想动态，无矛盾隐患。")
HIRE_FLAG_NOTES = ("身份信息与证件照片不符，已要求补充材料。", "比对提示有违法记录，已登记备查。")


class People:
    """Made-up people whose ID numbers agree with their birth date, gender and home area.

    Millions of them at city scale: draws are ``rng.random()`` scaled to a range (one call where
    ``randint``/``choice`` make several), and the parts of a name and an ID number come from tables."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today, self.r = rng, today, rng.random
        self.issued: set[str] = set()  # every person gets an ID number of their own
        self.local_areas, self.other_areas = list(LOCAL_AREAS), list(OTHER_AREAS)
        self.check = IdCheck()
        self.born: dict[int, tuple[date, str]] = {}  # days before today -> (birth date, its 8 digits)
        self.eras = {(g, y): next(v for (before, gender), v in GIVEN_NAMES.items() if y < before and gender == g)
                     for g in "男女" for y in (1959, 1989, 9998)}

    def phone(self) -> str:
        r = self.r
        return f"{MOBILE_PREFIXES[int(r() * len(MOBILE_PREFIXES))]}{int(r() * 10**8):08d}"

    def name(self, gender: str | None = None, born: int | None = None, surname: str | None = None) -> str:
        r = self.r
        gender = gender or "男女"[r() < 0.5]
        born = born or self.today.year - 25 - int(r() * 36)
        surname = surname or SURNAMES.pick(self.rng)
        if r() < 0.15:
            given = SINGLE_GIVEN[gender]
            return surname + given[int(r() * len(given))]
        firsts, seconds = self.eras[gender, 1959 if born < 1960 else 1989 if born < 1990 else 9998]
        return surname + firsts[int(r() * len(firsts))] + seconds[int(r() * len(seconds))]

    def area(self, *, migrant: bool) -> str:
        areas = self.other_areas if migrant else self.local_areas
        return areas[int(self.r() * len(areas))]

    def person(self, age: int, *, gender: str | None = None, area: str | None = None,
               surname: str | None = None) -> dict:
        """Name, gender, birth date, ID number and (from 12 years old) a mobile number."""
        r = self.r
        gender = gender or "男女"[r() < 0.5]
        area = area or self.area(migrant=False)
        days = age * 365 + int(r() * 365)
        if (born := self.born.get(days)) is None:
            day = self.today - timedelta(days=days)
            born = self.born[days] = (day, f"{day.year}{day.month:02d}{day.day:02d}")
        man = gender == "男"
        while True:
            sequence = int(r() * 500) * 2 + man  # odd for men
            first17 = f"{area}{born[1]}{sequence:03d}"
            if first17 not in self.issued:
                break
        self.issued.add(first17)
        return {"name": self.name(gender, born[0].year, surname), "gender": gender, "birth_date": born[0],
                "id_number": first17 + self.check(area, born[1], sequence),
                "phone": self.phone() if age >= 12 else None}

    def occupation(self, age: int) -> str | None:
        if age < 6:
            return None
        if age < 22:
            return "学生"
        return "退休" if age >= 60 else OCCUPATIONS[int(self.r() * len(OCCUPATIONS))]

    def family(self, head_age: int, others: tuple[str, ...], *, migrant: bool) -> list[dict]:
        """The head, then the others of a family template: one home area, one ethnic group."""
        r = self.r
        area = self.area(migrant=migrant or r() < 0.15)
        ethnicity = ETHNICITIES.pick(self.rng)
        head_gender = "男女"[r() < 0.5]
        specs = [("户主", head_age, head_gender, None)]
        for code in others:
            relation, rule, (lo, hi), surname = MEMBER_KINDS[code]
            gender = ("女" if head_gender == "男" else "男") if rule == "opposite" else rule
            specs.append((relation, max(0, head_age + lo + int(r() * (hi - lo + 1))), gender, surname))
        family: list[dict] = []
        surnames: dict[str, str] = {}
        migrant, hukou = area in OTHER_AREAS, LOCAL_AREAS.get(area) or OTHER_AREAS[area]
        for relation, age, gender, surname in specs:
            member = self.person(age, gender=gender, area=area, surname=surnames.get(surname))
            member.update(relation=relation, ethnicity=ethnicity, occupation=self.occupation(age),
                          migrant=migrant, hukou=hukou)
            family.append(member)
            if relation in ("户主", "配偶"):  # surnames are one character here
                surnames.setdefault("head", member["name"][0])
                if member["gender"] == "男" or "line" not in surnames:
                    surnames["line"] = member["name"][0]
        return family


class IdCheck:
    """``id_check_char`` of an ID number's first 17 digits from its parts (area, birth date,
    sequence number), a few million times. The check is a weighted digit sum: each part's share
    is found once (the check of the part among zeros) and a whole by parts of the same shares."""

    def __init__(self) -> None:
        self.shares: tuple[dict, dict, dict] = ({}, {}, {})
        self.examples: tuple[dict, dict, dict] = ({}, {}, {})  # share -> a part that has it
        self.wholes: dict[tuple[str, str, str], str] = {}

    def __call__(self, area: str, birth: str, sequence: int) -> str:
        a = self.shares[0].get(area) or self._share(0, area, f"{area}{'0' * 11}")
        b = self.shares[1].get(birth) or self._share(1, birth, f"000000{birth}000")
        c = self.shares[2].get(sequence) or self._share(2, sequence, f"{'0' * 14}{sequence:03d}")
        key = (a, b, c)
        if (check := self.wholes.get(key)) is None:
            area, birth, sequence = (self.examples[i][share] for i, share in enumerate(key))
            check = self.wholes[key] = id_check_char(f"{area}{birth}{sequence:03d}")
        return check

    def _share(self, i: int, part, padded: str) -> str:
        share = self.shares[i][part] = id_check_char(padded)
        self.examples[i].setdefault(share, part)
        return share
