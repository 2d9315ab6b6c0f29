"""Numeral slogans: the counts a name promises and the parts its definition lists.

The test data are the glossary appendices of the bundled corpus, copied as
printed (full-width or half-width punctuation, inner spaces and all) and joined
across the line breaks of the source files.
"""

from __future__ import annotations

import pytest

from kg.extract.promises import promised_counts
from kg.extract.slogans import extract_parts
from kg.model import EnumeratedParts

ENTRIES: dict[tuple[str, int], tuple[str, str]] = {
    ("jianghan-2020", 1): ("六稳", "稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期"),
    ("jianghan-2020", 2): (
        "六保",
        "保居民就业、保基本民生、保市场主体、保粮食能源安全、保产业链供应链稳定、保基层运转。",
    ),
    ("jianghan-2020", 4): (
        "江汉六条",
        "为积极应对疫情带来的影响，支持企业渡过难关，在全面落实省市相关政策措施基础上，"
        "结合我区实际，制定六条措施：一是设立企业纾困发展帮扶贷；"
        "二是加大事业单位公开招聘高校毕业生力度；"
        "三是面向中小微企业发放人力资源服务消费券；"
        "四是鼓励高校毕业生到辖区中小微企业就业；五是鼓励高校毕业生自主创业；"
        "六是奖励企业稳定经营。",
    ),
    ("jianghan-2020", 5): (
        "退役军人服务体系建设“五有”目标",
        "有机构、有编制、有人员、有经费、有保障。",
    ),
    ("jianghan-2020", 6): ("四办", "马上办、网上办、就近办、一次办。"),
    ("jianghan-2020", 7): (
        "企业开办“210”标准",
        "2 个环节（一表申请、一窗发放）、1 天内办结、零费用（免费赠送一套三枚公章）。",
    ),
    ("jianghan-2020", 9): ("四清一化", "清障、清理、清洁、清爽、绿化。"),
    ("jianghan-2020", 11): (
        "“六清”行动",
        "线索清仓、案件清结、逃犯清零、黑财清底、伞网清除、行业清源。",
    ),
    ("jianghan-2020", 13): ("“三保”支出", "保基本民生、保工资、保运转。"),
    ("jianghan-2020", 14): (
        "“三千亿”城区",
        "地区生产总值、服务业增加值、社会消费品零售总额均过千亿的城区。",
    ),
    ("jianghan-2020", 15): (
        "一核两纵三区四带",
        "“一核”指武汉中央商务区；“两纵”指长江大道江汉段、新华路；"
        "“三区”指武汉金融街、江汉经济开发区、汉正街中央服务区；"
        "“四带”指解放大道高端商业集聚带、京汉大道动感时尚商业带、"
        "中山大道历史文化风貌带、沿江大道旅游休闲带。",
    ),
    ("jianghan-2020", 16): (
        "五个中心",
        "全国经济中心、国家科技创新中心、国家商贸物流中心、国际交往中心和区域金融中心。",
    ),
    ("jianghan-2020", 17): (
        "一核两纵五区",
        "统筹江汉全域国土空间，在传承“一核两纵三区四带”基础上，"
        "优化形成“十四五”期间“一核两纵五区”空间布局新体系。“一核”即武汉中央商务区；"
        "“两纵”即长江大道江汉段“辉煌七公里”和新华路垂江发展轴；"
        "“五区”即汉口历史文化风貌区江汉片区、武商高端时尚消费区、武汉金融街、江汉创谷、"
        "杨汉湖生态生活区。",
    ),
    ("jianghan-2020", 18): (
        "四方责任",
        "全面落实属地、部门、单位、个人等四方责任,建立全社会共同防控体系。",
    ),
    ("jianghan-2020", 19): (
        "一事联办",
        "将跨部门、跨处（科）室的多个事项，整合成企业和群众视角的“一件事”。",
    ),
    ("jianghan-2020", 20): (
        "多审合一",
        "取消建设工程消防设计审核、备案、抽查和人防设计审查等行政审批事项，"
        "将消防设计文件审查和人防设计文件审查并入施工图设计文件审查，实施施工图联合审查，"
        "消防、人防部门不再进行技术审查。",
    ),
    ("jianghan-2020", 24): (
        "—场三馆",
        "在汉口文体中心打造体育场、图书馆、文化馆、博物馆等四位一体的功能布局。",
    ),
    ("jianghan-2020", 25): (
        "—圈四中心",
        "在汉口文体中心打造以汉绣大师工作室为核心的中国汉绣圈，"
        "以非遗展示中心及荆楚金石博物馆为核心的非遗保护中心，"
        "以全民艺术普及为核心的艺术培训中心，以金桥书院为核心的全民阅读中心，"
        "以江城健身 e 家和武汉微马为代表的全民健身中心。",
    ),
    ("jianghan-2020", 26): (
        "1+1+X 社区社会工作室",
        "每个社区社会工作室配备 1名专业社区工作者、1 名专业社会工作者、若干名社区社会组织骨干。",
    ),
    ("jianghan-2020", 28): (
        "七种能力",
        "在 2020 年秋季学期中央党校（国家行政学院）中青年干部培训班上，"
        "习近平总书记要求年轻干部提高七种能力:政治能力、调查研究能力、科学决策能力、"
        "改革攻坚能力、应急处突能力、群众工作能力、抓落实能力。",
    ),
    ("jianghan-2023", 1): (
        "六个致力",
        '2021 年区《政府工作报告》提出, "十四五" 时期江汉区重点抓好的六个方面工'
        "作,即致力能级跃升,打造高 质量发展新标杆;致力活力激发,打造改革创新新引擎;"
        "致力宜 居宜业,打造美丽生态新典范;致力共建共享,打造现代化治理 新高地;"
        "致力文化繁荣,打造城市形象新品牌;致力民生幸福, 打造共同富裕新样板。",
    ),
    ("jianghan-2023", 2): (
        "八个着力",
        "2022 年区《政府工作报告》提出, 2023 年江汉区重点推进的八个方面工作,"
        "即着力服务新发展格局,厚植区域竞争新优势;着力提升产业能级,积蓄转型升级新动能;"
        "着力强化人才支持,领跑创新发展新赛道;着力提升功能品质,探索城区蝶变新路径;"
        "着力推进文化发展,提升江汉文化新品位;着力增进民生福祉,打造共同富裕新样板;"
        "着力提升治理水平,构筑平安江汉新屏障;着力加强自身建设,树立效能政府新标杆。",
    ),
    ("jianghan-2023", 3): (
        '"235" 现代化产业体系',
        "总部经济引领、数字经济赋能, 以现代金融、商贸物流、商务服务为三大主导产业,"
        "以信息技术、文 化创意、智能建造、生命健康和绿色低碳为五大新兴产业。",
    ),
    ("jianghan-2023", 5): (
        "十二证同发",
        '江汉区"承诺可开工"制度的创新举措。指工程建设项目,'
        "在按规定缴纳规费并作出符合相关要求、违规责任自担的承诺后,"
        '把过去"串联式"审批改成"并联式"审批,实现"多证同发",'
        "旨在帮助符合条件的工程项目加快审批进度。",
    ),
    ("jianghan-2023", 14): (
        '燃气"三件套"',
        "燃气专用连接软管、自闭阀、可燃气体报警装置等安全设施的统称,是保障安全用气的关键设备。",
    ),
    ("jianghan-2023", 15): (
        "C40 绿色繁荣社区",
        '城市气候联盟试点项目,以"绿色""繁荣"为目标,'
        '以"15分钟城市""循环经济""共享经济"为核心理念,建设内容包括完整社区、'
        "以人为本的交通等十个模块。",
    ),
    ("jianghan-2023", 21): (
        "**三所一庭**",
        "整合司法所、派出所、律师事务所、人民法庭资源力量,构建及时预防、调处、"
        "化解各类矛盾纠纷的多元化解机制。",
    ),
    ("jianghan-2023", 22): (
        "一主三化",
        "破解超大城市基层治理难题的实践探索,即以街道为主体,辖区党组织领导属地化、"
        '社区服务实体化、共驻共建组织化。《"一主三化"破解超大城市基层治理难题》一文入选'
        "《习近平经济思想指导实践案例丛书》。",
    ),
    ("jianghan-2023", 24): (
        "四下基层",
        '即领导干部"宣传党的路线、方针、政策下基层,调查研究下基层,信访接待下基层,'
        '现场办公下基层",是习近平总书记在福建宁德工作时大力倡导并身体力行形成的工作方法'
        "和工作制度。",
    ),
    ("jianghan-2023", 31): ("四首经济", "首店、首发、首秀、首展。"),
    ("jianghan-2023", 35): (
        "五养融合",
        '江汉区依托"互联网+居家养老"服务平台和 养老服务设施(场所),推动医养、学养、'
        '院养、家养、康养融 合联动,实现资源共享、互利共赢的"一站式"养老服务模式。',
    ),
    ("jianghan-2024", 1): (
        "六个致力",
        "2021 年江汉区《政府工作报告》提出，“十四五”时期重点抓好的六个方面工作，"
        "即致力能级跃升，打造高质量发展新标杆；致力活力激发，打造改革创新新引擎；"
        "致力宜居宜业，打造美丽生态新典范；致力共建共享，打造现代化治理新高地；"
        "致力文化繁荣，打造城市形象新品牌；致力民生幸福，打造共同富裕新样板。",
    ),
    ("jianghan-2024", 2): (
        "八个坚持",
        "2023 年江汉区《政府工作报告》提出，2024年重点做好的八个方面工作，"
        "即坚持产业转型，夯实经济发展基础；坚持效益优先，激发有效需求活力；坚持改革创新，"
        "培育发展新质生产力；坚持品质提升，致力宜居韧性智慧；坚持传承发展，"
        "彰显城区文化特色；坚持以人为本，切实增进民生福祉；坚持共同缔造，"
        "提升社会治理水平；坚持守土尽责，提升政府工作质效。",
    ),
    ("jianghan-2024", 5): (
        "“一路一证”综合许可",
        "将规划许可、施工许可、占道挖掘许可等多张许可证照整合为一张“综合许可证”，"
        "实现以一条路为单位，以一证完成一条路上的管线综合审批服务，破解道路反复开挖难题，"
        "优化城市管线管理。",
    ),
    ("jianghan-2024", 8): (
        "“投改运管”一体化",
        "是一种城市更新模式，打破设计、施工、运营等各环节割裂状态，以运营和服务为目标，"
        "统筹社会资本参与、存量资源利用、规模化改造、专业化运营、规范化物业，"
        "将小区改造与后续管理相结合，实现全流程一体化服务。",
    ),
    ("jianghan-2024", 10): (
        "双区融合",
        "围绕产业集聚区和周边社区（小区），通过服务共享、项目共建、载体共创的形式，"
        "打造集聚区、社区治理共同体、服务共同体、生态共同体，"
        "实现社区治理与集聚区发展互利共赢、协同共治。",
    ),
    ("jianghan-2024", 11): (
        "五个统筹",
        "2024 年 12 月 16 日中央经济工作会议提出，"
        "必须统筹好有效市场和有为政府的关系，形成既“放得活”又“管得住”的经济秩序；"
        "必须统筹好总供给和总需求的关系，畅通国民经济循环；"
        "必须统筹好培育新动能和更新旧动能的关系，因地制宜发展新质生产力；"
        "必须统筹好做优增量和盘活存量的关系，全面提高资源配置效率；"
        "必须统筹好提升质量和做大总量的关系，夯实中国式现代化的物质基础。",
    ),
    ("jianghan-2024", 12): (
        "“三库”“两算”“三评”",
        "“三库”指投资项目绩效综合评价平台项目前期中的目录库、储备库、实施库。"
        "“两算”指政府投资项目竣工结算和财务决算。“三评”指项目绩效评价、行业绩效评价、"
        "综合绩效评价。",
    ),
    ("jianghan-2024", 13): (
        "“235”现代化产业体系",
        "总部经济引领、数字经济赋能，以现代金融、商贸物流、商务服务为三大主导产业，"
        "以信息技术、文化创意、智能建造、生命健康和绿色低碳为五大新兴产业。",
    ),
    ("jianghan-2024", 14): (
        "“百千万”行动",
        "江汉区《关于以科技创新引领产业转型升级 推动现代服务业高质量发展的意见》提出，"
        "用三年时间，集聚 100 家专精特新中小企业，1000 家科技型中小企业，"
        "10000名科技创新型人才。",
    ),
    ("jianghan-2024", 16): (
        "“双十”行动",
        "江汉区《关于以科技创新引领产业转型升级 推动现代服务业高质量发展的意见》提出，"
        "用三年时间，打造 10 个特色产业楼宇（街区）和 10 个创新平台。",
    ),
    ("jianghan-2024", 19): (
        "“停充能”一张网",
        "武汉金融街集团与朗新科技集团合作开展的“停车、充电、能源”一网统运项目。",
    ),
    ("jianghan-2024", 21): (
        "“益汇江汉”四个助力计划",
        "指社会组织培育发展、能力提升、作用发挥、规范管理四项计划，"
        "旨在促进社会组织高质量发展，助力增强社会治理效能。",
    ),
    ("jianghan-2024", 22): (
        "“三所一庭+N”工作机制",
        "整合司法所、派出所、律师事务所、人民法庭等资源组成调解工作室，引入行政执法部门、"
        "街道（开发区）、仲裁、行业协会等矛盾纠纷涉及的相关职能部门力量，形成人民调解、"
        "司法调解、行政调解、行业性专业性调解相衔接的工作机制，"
        "争取“一揽子”化解更多纠纷。",
    ),
    ("wuchang-2024", 3): (
        "不动产“五方联办”",
        "组织民政、法院、公证处、第三方中介、不动产登记中心等五方联合办理不动产证。",
    ),
    ("wuchang-2024", 4): ("“三个中心”", "全球碳交易注册登记中心、全国碳市场中心、全国碳金融中心。"),
    ("wuchang-2024", 5): (
        "“六大服务行动”",
        "科创服务赋企行动、政策服务暖企行动、人才服务伴企行动、金融服务助企行动、"
        "咨询服务扶企行动、培训服务护企行动。",
    ),
    ("wuchang-2024", 6): ("“昌七条”", "武昌区进一步促进房地产市场高质量发展的七条措施。"),
    ("wuchang-2024", 7): (
        "“1+6”政务服务大厅",
        "区综合政务服务中心大厅和婚姻登记、社保、税务、司法、退役军人、车管等 6 个部门分中心大厅。",
    ),
    ("wuchang-2024", 8): (
        "“三件套”",
        "管道燃气自闭阀、金属波纹软管、家用可燃气体探测器等三类居民户内燃气安全设施。",
    ),
    ("wuchang-2024", 9): (
        "“1+4”区属国企",
        "武昌国资控股集团和首义科创投集团、古城文旅集团、东湖城建集团、武房资产集团。",
    ),
    ("wuchang-2024", 10): (
        "“必须统筹好”的五对重要关系",
        "必须统筹好有效市场和有为政府的关系、总供给和总需求的关系、"
        "培育新动能和更新旧动能的关系、做优增量和盘活存量的关系、"
        "提升质量和做大总量的关系。",
    ),
    ("wuchang-2024", 11): ("“两个引领区”", "产业转型升级引领区和基层治理现代化引领区。"),
    ("wuchang-2024", 12): (
        "“一个培育、三个转型”",
        "科技企业培育和产业发展、城市更新、基层治理转型。",
    ),
    ("wuchang-2024", 13): (
        "“四个一”科技成果对接服务机制",
        "围绕高校科技成果转化，明确一个驻高校联络员、一个首席科技服务机构、一个金融专员、"
        "一个属地服务专员。",
    ),
    ("wuchang-2024", 14): (
        "“一楼四员”",
        "在商务楼宇内设置党建指导员、楼宇信息员、社区网格员、人才专员。",
    ),
    ("wuchang-2024", 15): (
        "“两重”“两新”",
        "国家重大战略实施、重点领域安全能力建设和大规模设备更新、消费品以旧换新。",
    ),
    ("wuchang-2024", 16): ("“五网一廊”", "城市燃气、供水、排水、污水、热力管网和地下综合管廊。"),
    ("wuchang-2024", 18): (
        "安全生产“两个清单”和“四方责任”",
        "领导干部安全生产职责清单、年度重点工作责任清单和企业主体责任、"
        "地方党委政府属地责任、主管部门行业监管责任、应急管理部门综合监管责任。",
    ),
}

# (promised, found) for every entry above; None where the name promises no count.
EXPECTED: dict[tuple[str, int], tuple[tuple[int, ...], tuple[int, ...]] | None] = {
    ("jianghan-2020", 1): ((6,), (6,)),  # 六稳
    ("jianghan-2020", 2): ((6,), (6,)),  # 六保
    ("jianghan-2020", 4): ((6,), (6,)),  # 江汉六条
    ("jianghan-2020", 5): ((5,), (5,)),  # 退役军人服务体系建设“五有”目标
    ("jianghan-2020", 6): ((4,), (4,)),  # 四办
    ("jianghan-2020", 7): None,  # 企业开办“210”标准
    ("jianghan-2020", 9): ((4, 1), (4, 1)),  # 四清一化
    ("jianghan-2020", 11): ((6,), (6,)),  # “六清”行动
    ("jianghan-2020", 13): ((3,), (3,)),  # “三保”支出
    ("jianghan-2020", 14): None,  # “三千亿”城区
    ("jianghan-2020", 15): ((1, 2, 3, 4), (1, 2, 3, 4)),  # 一核两纵三区四带
    ("jianghan-2020", 16): ((5,), (5,)),  # 五个中心
    ("jianghan-2020", 17): ((1, 2, 5), (1, 2, 5)),  # 一核两纵五区
    ("jianghan-2020", 18): ((4,), (4,)),  # 四方责任
    ("jianghan-2020", 19): None,  # 一事联办
    ("jianghan-2020", 20): None,  # 多审合一
    ("jianghan-2020", 24): ((1, 3), (1, 3)),  # —场三馆
    ("jianghan-2020", 25): ((1, 4), (1, 4)),  # —圈四中心
    ("jianghan-2020", 26): ((1, 1), (1, 1)),  # 1+1+X 社区社会工作室
    ("jianghan-2020", 28): ((7,), (7,)),  # 七种能力
    ("jianghan-2023", 1): ((6,), (6,)),  # 六个致力
    ("jianghan-2023", 2): ((8,), (8,)),  # 八个着力
    ("jianghan-2023", 3): ((2, 3, 5), (2, 3, 5)),  # "235" 现代化产业体系
    ("jianghan-2023", 5): ((12,), (0,)),  # 十二证同发
    ("jianghan-2023", 14): ((3,), (3,)),  # 燃气"三件套"
    ("jianghan-2023", 15): None,  # C40 绿色繁荣社区
    ("jianghan-2023", 21): ((3, 1), (3, 1)),  # **三所一庭**
    ("jianghan-2023", 22): ((1, 3), (1, 3)),  # 一主三化
    ("jianghan-2023", 24): ((4,), (4,)),  # 四下基层
    ("jianghan-2023", 31): ((4,), (4,)),  # 四首经济
    ("jianghan-2023", 35): ((5,), (5,)),  # 五养融合
    ("jianghan-2024", 1): ((6,), (6,)),  # 六个致力
    ("jianghan-2024", 2): ((8,), (8,)),  # 八个坚持
    ("jianghan-2024", 5): None,  # “一路一证”综合许可
    ("jianghan-2024", 8): None,  # “投改运管”一体化
    ("jianghan-2024", 10): ((2,), (2,)),  # 双区融合
    ("jianghan-2024", 11): ((5,), (5,)),  # 五个统筹
    ("jianghan-2024", 12): ((3, 2, 3), (3, 2, 3)),  # “三库”“两算”“三评”
    ("jianghan-2024", 13): ((2, 3, 5), (2, 3, 5)),  # “235”现代化产业体系
    ("jianghan-2024", 14): ((100, 1000, 10000), (100, 1000, 10000)),  # “百千万”行动
    ("jianghan-2024", 16): ((10, 10), (10, 10)),  # “双十”行动
    ("jianghan-2024", 19): None,  # “停充能”一张网
    ("jianghan-2024", 21): ((4,), (4,)),  # “益汇江汉”四个助力计划
    ("jianghan-2024", 22): ((3, 1), (3, 1)),  # “三所一庭+N”工作机制
    ("wuchang-2024", 3): ((5,), (5,)),  # 不动产“五方联办”
    ("wuchang-2024", 4): ((3,), (3,)),  # “三个中心”
    ("wuchang-2024", 5): ((6,), (6,)),  # “六大服务行动”
    ("wuchang-2024", 6): ((7,), (0,)),  # “昌七条”
    ("wuchang-2024", 7): ((1, 6), (1, 6)),  # “1+6”政务服务大厅
    ("wuchang-2024", 8): ((3,), (3,)),  # “三件套”
    ("wuchang-2024", 9): ((1, 4), (1, 4)),  # “1+4”区属国企
    ("wuchang-2024", 10): ((5,), (5,)),  # “必须统筹好”的五对重要关系
    ("wuchang-2024", 11): ((2,), (2,)),  # “两个引领区”
    ("wuchang-2024", 12): ((1, 3), (1, 3)),  # “一个培育、三个转型”
    ("wuchang-2024", 13): ((4,), (4,)),  # “四个一”科技成果对接服务机制
    ("wuchang-2024", 14): ((1, 4), (4,)),  # “一楼四员”
    ("wuchang-2024", 15): ((2, 2), (2, 2)),  # “两重”“两新”
    ("wuchang-2024", 16): ((5, 1), (5, 1)),  # “五网一廊”
    ("wuchang-2024", 18): ((2, 4), (2, 4)),  # 安全生产“两个清单”和“四方责任”
}

# Entries whose names carry no numeral at all.
PLAIN_TERMS: tuple[str, ...] = (
    "江汉“政企通”平台",  # jianghan-2020 3
    "完整居住社区",  # jianghan-2020 8
    "物业城市",  # jianghan-2020 10
    "雪亮工程",  # jianghan-2020 12
    "证照分离",  # jianghan-2020 21
    "容缺受理",  # jianghan-2020 22
    "带量采购",  # jianghan-2020 23
    "江汉管家",  # jianghan-2020 27
    "**宜商江汉**",  # jianghan-2023 4
    "首席审批员",  # jianghan-2023 6
    "AA+主体信用评级",  # jianghan-2023 7
    "IMA 长江经济带发展论坛",  # jianghan-2023 8
    "更新单元",  # jianghan-2023 9
    "武汉戏码头文化街",  # jianghan-2023 10
    "完整社区试点",  # jianghan-2023 11
    "全域智能运营",  # jianghan-2023 12
    '"本色靓化"行动',  # jianghan-2023 13
    "社**区康复直通车",  # jianghan-2023 16
    "集团化+学区制",  # jianghan-2023 17
    "安静书桌",  # jianghan-2023 18
    "风雅西北湖",  # jianghan-2023 19
    "童书童梦",  # jianghan-2023 20
    "铜巷不同样",  # jianghan-2023 23
    "**汉融通**",  # jianghan-2023 25
    "电化长江",  # jianghan-2023 26
    "中央法务区",  # jianghan-2023 27
    "MCN 机构",  # jianghan-2023 28
    "网云智链数",  # jianghan-2023 29
    "上云用数赋能",  # jianghan-2023 30
    "无废城市",  # jianghan-2023 32
    "戏水长流",  # jianghan-2023 33
    "**安心计划**",  # jianghan-2023 34
    "楚道智联",  # jianghan-2024 3
    "鄂港通",  # jianghan-2024 4
    "政企有约月月谈",  # jianghan-2024 6
    "武汉·理想之地",  # jianghan-2024 7
    "江汉夜校",  # jianghan-2024 9
    "先投后股",  # jianghan-2024 15
    "武创通",  # jianghan-2024 17
    "安居链",  # jianghan-2024 18
    "民生药事服务站",  # jianghan-2024 20
    "“中碳登”",  # wuchang-2024 1
    "“收调供”模式",  # wuchang-2024 2
    "“教联体”",  # wuchang-2024 17
)


def parts_of(key: tuple[str, int]) -> EnumeratedParts:
    term, definition = ENTRIES[key]
    parts = extract_parts(term, definition)
    assert parts is not None
    return parts


def labels(parts: EnumeratedParts) -> list[str]:
    return [component.label for component in parts.components]


def grouped(parts: EnumeratedParts) -> dict[str | None, list[str]]:
    groups: dict[str | None, list[str]] = {}
    for component in parts.components:
        groups.setdefault(component.group, []).append(component.label)
    return groups


# --------------------------------------------------------------- every glossary entry


@pytest.mark.parametrize("key", list(ENTRIES), ids=[f"{g}-{n}" for g, n in ENTRIES])
def test_every_numeral_entry(key: tuple[str, int]) -> None:
    term, definition = ENTRIES[key]
    expected = EXPECTED[key]
    parts = extract_parts(term, definition)
    if expected is None:
        assert parts is None
        return
    assert parts is not None
    assert (parts.promised, parts.found) == expected
    assert parts.matches is (expected[0] == expected[1])


def test_expected_covers_every_entry() -> None:
    assert set(EXPECTED) == set(ENTRIES)


def test_three_entries_break_their_promise() -> None:
    broken = [key for key, value in EXPECTED.items() if value and value[0] != value[1]]
    assert broken == [("jianghan-2023", 5), ("wuchang-2024", 6), ("wuchang-2024", 14)]


@pytest.mark.parametrize("term", PLAIN_TERMS)
def test_entries_without_numerals(term: str) -> None:
    assert promised_counts(term) is None
    assert extract_parts(term, "稳就业、稳金融") is None


# ----------------------------------------------------------------- parts, term by term


def test_liu_wen() -> None:
    parts = parts_of(("jianghan-2020", 1))
    assert parts.matches
    assert labels(parts) == ["稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"]
    assert all(component.group is None for component in parts.components)


def test_liu_bao() -> None:
    parts = parts_of(("jianghan-2020", 2))
    assert parts.matches
    assert labels(parts)[3] == "保粮食能源安全"
    assert labels(parts)[-1] == "保基层运转"


LIU_GE_ZHILI = [
    "致力能级跃升",
    "致力活力激发",
    "致力宜居宜业",
    "致力共建共享",
    "致力文化繁荣",
    "致力民生幸福",
]


@pytest.mark.parametrize("key", [("jianghan-2023", 1), ("jianghan-2024", 1)])
def test_liu_ge_zhili_in_both_years(key: tuple[str, int]) -> None:
    parts = parts_of(key)
    assert parts.matches
    assert labels(parts) == LIU_GE_ZHILI


def test_ba_ge_jianchi() -> None:
    parts = parts_of(("jianghan-2024", 2))
    assert parts.matches
    assert labels(parts)[0] == "坚持产业转型"
    assert labels(parts)[-1] == "坚持守土尽责"


def test_ba_ge_zhuoli() -> None:
    parts = parts_of(("jianghan-2023", 2))
    assert parts.matches
    assert labels(parts)[0] == "着力服务新发展格局"
    assert labels(parts)[-1] == "着力加强自身建设"


@pytest.mark.parametrize("key", [("jianghan-2023", 21), ("jianghan-2024", 22)])
def test_san_suo_yi_ting(key: tuple[str, int]) -> None:
    parts = parts_of(key)
    assert parts.matches
    assert grouped(parts) == {"三所": ["司法所", "派出所", "律师事务所"], "一庭": ["人民法庭"]}


def test_yi_he_liang_zong_san_qu_si_dai() -> None:
    parts = parts_of(("jianghan-2020", 15))
    assert parts.matches
    assert grouped(parts) == {
        "一核": ["武汉中央商务区"],
        "两纵": ["长江大道江汉段", "新华路"],
        "三区": ["武汉金融街", "江汉经济开发区", "汉正街中央服务区"],
        "四带": [
            "解放大道高端商业集聚带",
            "京汉大道动感时尚商业带",
            "中山大道历史文化风貌带",
            "沿江大道旅游休闲带",
        ],
    }


def test_yi_he_liang_zong_wu_qu_ignores_the_name_it_replaced() -> None:
    parts = parts_of(("jianghan-2020", 17))
    assert parts.matches
    groups = grouped(parts)
    assert groups["一核"] == ["武汉中央商务区"]
    assert groups["两纵"] == ["长江大道江汉段辉煌七公里", "新华路垂江发展轴"]
    assert groups["五区"][0] == "汉口历史文化风貌区江汉片区"
    assert len(groups["五区"]) == 5


@pytest.mark.parametrize("key", [("jianghan-2023", 3), ("jianghan-2024", 13)])
def test_235_industry_system(key: tuple[str, int]) -> None:
    parts = parts_of(key)
    assert parts.matches
    assert grouped(parts) == {
        "2": ["总部经济引领", "数字经济赋能"],
        "3": ["现代金融", "商贸物流", "商务服务"],
        "5": ["信息技术", "文化创意", "智能建造", "生命健康", "绿色低碳"],
    }


def test_san_ku_liang_suan_san_ping() -> None:
    parts = parts_of(("jianghan-2024", 12))
    assert parts.matches
    assert grouped(parts) == {
        "三库": ["目录库", "储备库", "实施库"],
        "两算": ["政府投资项目竣工结算", "财务决算"],
        "三评": ["项目绩效评价", "行业绩效评价", "综合绩效评价"],
    }


def test_si_ban() -> None:
    parts = parts_of(("jianghan-2020", 6))
    assert parts.matches
    assert labels(parts) == ["马上办", "网上办", "就近办", "一次办"]


def test_si_qing_yi_hua_is_split_in_order() -> None:
    parts = parts_of(("jianghan-2020", 9))
    assert parts.matches
    assert grouped(parts) == {"四清": ["清障", "清理", "清洁", "清爽"], "一化": ["绿化"]}


def test_qi_zhong_nengli() -> None:
    parts = parts_of(("jianghan-2020", 28))
    assert parts.matches
    assert labels(parts)[0] == "政治能力"
    assert labels(parts)[-1] == "抓落实能力"


def test_si_shou_jingji() -> None:
    parts = parts_of(("jianghan-2023", 31))
    assert parts.matches
    assert labels(parts) == ["首店", "首发", "首秀", "首展"]


def test_jianghan_liu_tiao_numbered_one_to_six() -> None:
    parts = parts_of(("jianghan-2020", 4))
    assert parts.matches
    assert labels(parts)[0] == "设立企业纾困发展帮扶贷"
    assert labels(parts)[-1] == "奖励企业稳定经营"


def test_bai_qian_wan_is_met_by_stated_amounts() -> None:
    parts = parts_of(("jianghan-2024", 14))
    assert parts.matches
    assert grouped(parts) == {
        "百": ["专精特新中小企业"],
        "千": ["科技型中小企业"],
        "万": ["科技创新型人才"],
    }


def test_wu_ge_tongchou() -> None:
    parts = parts_of(("jianghan-2024", 11))
    assert parts.matches
    assert labels(parts)[0] == "必须统筹好有效市场和有为政府的关系"
    assert labels(parts)[-1] == "必须统筹好提升质量和做大总量的关系"


def test_wu_dui_zhongyao_guanxi_keeps_and_inside_a_part() -> None:
    parts = parts_of(("wuchang-2024", 10))
    assert parts.matches
    assert labels(parts) == [
        "有效市场和有为政府的关系",
        "总供给和总需求的关系",
        "培育新动能和更新旧动能的关系",
        "做优增量和盘活存量的关系",
        "提升质量和做大总量的关系",
    ]


def test_liang_zhong_liang_xin() -> None:
    parts = parts_of(("wuchang-2024", 15))
    assert parts.matches
    assert grouped(parts) == {
        "两重": ["国家重大战略实施", "重点领域安全能力建设"],
        "两新": ["大规模设备更新", "消费品以旧换新"],
    }


def test_wu_wang_yi_lang() -> None:
    parts = parts_of(("wuchang-2024", 16))
    assert parts.matches
    assert grouped(parts) == {
        "五网": ["城市燃气", "供水", "排水", "污水", "热力管网"],
        "一廊": ["地下综合管廊"],
    }


def test_open_member_takes_the_rest() -> None:
    parts = parts_of(("jianghan-2020", 26))
    assert parts.matches
    assert grouped(parts)["X"] == ["若干名社区社会组织骨干"]


def test_plus_code() -> None:
    parts = parts_of(("wuchang-2024", 7))
    assert parts.matches
    assert grouped(parts)["1"] == ["区综合政务服务中心大厅"]
    assert grouped(parts)["6"][-1] == "车管"


# ---------------------------------------------------------------------- mismatches


def test_a_short_list_is_flagged() -> None:
    parts = extract_parts("六稳", "稳就业、稳金融、稳外贸、稳外资、稳投资")
    assert parts is not None
    assert (parts.promised, parts.found) == ((6,), (5,))
    assert not parts.matches


def test_a_definition_without_a_list_finds_nothing() -> None:
    parts = parts_of(("wuchang-2024", 6))
    assert (parts.promised, parts.found, parts.components) == ((7,), (0,), ())
    assert not parts.matches


def test_a_venue_counted_as_a_group_is_flagged() -> None:
    parts = parts_of(("wuchang-2024", 14))
    assert (parts.promised, parts.found) == ((1, 4), (4,))
    assert labels(parts) == ["党建指导员", "楼宇信息员", "社区网格员", "人才专员"]


def test_an_empty_definition_finds_nothing() -> None:
    parts = extract_parts("六稳", "")
    assert parts is not None
    assert parts.found == (0,)


def test_a_digit_code_the_definition_does_not_enumerate_is_no_slogan() -> None:
    assert (
        extract_parts("“235”现代化产业体系", "总部经济引领，以现代金融、商贸物流为两大主导产业。")
        is None
    )
