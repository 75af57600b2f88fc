package xiezuo

// The registers of a district, in menu order. Keys are stable (the API, workbooks' hidden
// keys and the indicators' formulas name them); labels are what the clerk reads.

var (
	teamKinds      = []string{"党政干部", "教师", "医生", "护士", "农技人员", "科技人员", "其他专业技术人才"}
	pairingSides   = []string{"镇街", "村（社区）", "学校", "医院", "企业", "社会组织", "部门"}
	rectifyStates  = []string{"整改中", "已整改", "长期坚持"}
	problemSources = []string{"国家东西部协作考核", "北京市扶贫协作和支援合作考核", "审计", "巡视巡察", "督查检查", "自查"}
)

var registerSpecs = []RegisterSpec{
	{
		Kind: RegMeeting, Title: "会议", Group: "组织领导",
		Fields: []RegisterField{
			{Key: "kind", Label: "会议类型", Kind: FieldChoice, Required: true, Options: []string{"区委书记或区长研究部署会", "分管区领导协调推进会", "联席会议", "领导小组会议", "专班会议", "其他会议"}},
			{Key: "date", Label: "会议日期", Kind: FieldDate, Required: true},
			{Key: "title", Label: "会议名称", Kind: FieldText, Required: true},
			{Key: "chair", Label: "主持人", Kind: FieldText, Required: true, Help: "姓名和职务，如：张三（区长）"},
			{Key: "region", Label: "协作地区", Kind: FieldRegion, Help: "联席会议等与协作地区共同召开的会议填写"},
			{Key: "topics", Label: "研究议题", Kind: FieldLongText},
			{Key: "minutes", Label: "会议纪要", Kind: FieldLongText, Help: "纪要文号或要点"},
			{Key: "unit", Label: "承办单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "date", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"kind", "title", "chair"},
	},
	{
		Kind: RegVisit, Title: "调研互访", Group: "组织领导",
		Fields: []RegisterField{
			{Key: "direction", Label: "方向", Kind: FieldChoice, Required: true, Options: []string{"赴协作地区", "协作地区来访"}},
			{Key: "level", Label: "带队领导级别", Kind: FieldChoice, Required: true, Options: []string{"区委书记或区长", "其他区领导", "部门负责人", "其他"}},
			{Key: "leaders", Label: "带队领导", Kind: FieldText, Required: true},
			{Key: "region", Label: "协作地区", Kind: FieldRegion, Required: true},
			{Key: "from", Label: "开始日期", Kind: FieldDate, Required: true},
			{Key: "to", Label: "结束日期", Kind: FieldDate, Required: true},
			{Key: "grassroots", Label: "深入乡镇村、脱贫户、项目点", Kind: FieldChoice, Options: []string{"是", "否"}},
			{Key: "joint_meeting", Label: "召开联席会议", Kind: FieldChoice, Options: []string{"是", "否"}},
			{Key: "people", Label: "随行人数", Kind: FieldInt, Unit: "人"},
			{Key: "content", Label: "主要内容", Kind: FieldLongText},
			{Key: "unit", Label: "组织单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "from", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"direction", "leaders", "region", "to"},
	},
	{
		Kind: RegAgreement, Title: "协议", Group: "组织领导",
		Fields: []RegisterField{
			{Key: "kind", Label: "协议类型", Kind: FieldChoice, Required: true, Options: []string{"年度协议", "框架协议", "专项协议", "结对帮扶协议"}},
			{Key: "title", Label: "协议名称", Kind: FieldText, Required: true},
			{Key: "parties", Label: "签约各方", Kind: FieldText, Required: true},
			{Key: "region", Label: "协作地区", Kind: FieldRegion, Required: true},
			{Key: "signed", Label: "签订日期", Kind: FieldDate, Required: true},
			{Key: "file", Label: "协议文件", Kind: FieldText, Help: "文件名或存放位置"},
			{Key: "unit", Label: "签约单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "signed", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"kind", "title", "parties"},
	},
	{
		Kind: RegPolicy, Title: "政策文件", Group: "组织领导",
		Fields: []RegisterField{
			{Key: "title", Label: "文件名称", Kind: FieldText, Required: true},
			{Key: "number", Label: "文号", Kind: FieldText},
			{Key: "issued", Label: "印发日期", Kind: FieldDate, Required: true},
			{Key: "issuer", Label: "印发机关", Kind: FieldText, Required: true},
			{Key: "summary", Label: "主要内容", Kind: FieldLongText},
			{Key: "unit", Label: "起草单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "issued", UnitKey: "unit",
		ListKeys: []string{"title", "number", "issuer"},
	},
	{
		Kind: RegPairing, Title: "结对帮扶", Group: "组织领导",
		Fields: []RegisterField{
			{Key: "side", Label: "结对主体类型", Kind: FieldChoice, Required: true, Options: pairingSides},
			{Key: "ours", Label: "本区结对主体", Kind: FieldText, Required: true, Help: "镇街、村、学校、医院、企业或社会组织的名称"},
			{Key: "theirs", Label: "协作地区结对主体", Kind: FieldText, Required: true},
			{Key: "region", Label: "协作地区", Kind: FieldRegion, Required: true},
			{Key: "since", Label: "结对日期", Kind: FieldDate, Required: true},
			{Key: "agreement", Label: "签订协议", Kind: FieldChoice, Options: []string{"是", "否"}},
			{Key: "activities", Label: "本年开展活动", Kind: FieldInt, Unit: "次"},
			{Key: "unit", Label: "主管单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "since", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"side", "ours", "theirs"},
	},
	{
		Kind: RegPersonnel, Title: "干部人才", Group: "助推乡村振兴",
		Fields: []RegisterField{
			{Key: "direction", Label: "方向", Kind: FieldChoice, Required: true, Options: []string{"选派到协作地区", "协作地区来京"}},
			{Key: "name", Label: "姓名", Kind: FieldText, Required: true},
			{Key: "kind", Label: "人员类别", Kind: FieldChoice, Required: true, Options: teamKinds},
			{Key: "home_unit", Label: "派出单位", Kind: FieldText, Required: true},
			{Key: "post", Label: "挂职岗位", Kind: FieldText},
			{Key: "region", Label: "协作地区", Kind: FieldRegion, Required: true},
			{Key: "from", Label: "起始日期", Kind: FieldDate, Required: true},
			{Key: "to", Label: "期满日期", Kind: FieldDate, Required: true, Future: true},
			{Key: "left", Label: "实际离岗日期", Kind: FieldDate, Help: "提前结束或已轮换时填写"},
			{Key: "unit", Label: "管理单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "from", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"direction", "name", "kind", "home_unit", "to"},
	},
	{
		Kind: RegTraining, Title: "培训", Group: "助推乡村振兴",
		Fields: []RegisterField{
			{Key: "course", Label: "培训名称", Kind: FieldText, Required: true},
			{Key: "region", Label: "协作地区", Kind: FieldRegion, Required: true},
			{Key: "from", Label: "开始日期", Kind: FieldDate, Required: true},
			{Key: "to", Label: "结束日期", Kind: FieldDate},
			{Key: "cadres", Label: "培训党政干部", Kind: FieldInt, Unit: "人次"},
			{Key: "professionals", Label: "培训专业技术人才", Kind: FieldInt, Unit: "人次"},
			{Key: "leaders", Label: "培训乡村振兴带头人", Kind: FieldInt, Unit: "人次"},
			{Key: "workers", Label: "培训农村劳动力", Kind: FieldInt, Unit: "人次"},
			{Key: "unit", Label: "承办单位", Kind: FieldUnit, Required: true},
		},
		Derived: []DerivedField{{Key: "person_times", Label: "培训合计", Unit: "人次", Sum: []string{"cadres", "professionals", "leaders", "workers"}}},
		DateKey: "from", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"course", "person_times"},
	},
	{
		Kind: RegArticle, Title: "信息和典型案例", Group: "信息宣传",
		Fields: []RegisterField{
			{Key: "kind", Label: "类型", Kind: FieldChoice, Required: true, Options: []string{"信息", "典型案例", "半年工作总结", "年度工作总结"}},
			{Key: "title", Label: "标题", Kind: FieldText, Required: true},
			{Key: "team", Label: "工作专班", Kind: FieldTeam, Required: true},
			{Key: "date", Label: "报送日期", Kind: FieldDate, Required: true},
			{Key: "adopted", Label: "采用情况", Kind: FieldChoice, Options: []string{"未采用", "区级采用", "市级采用", "国家级采用"}},
			{Key: "where", Label: "刊发或采用载体", Kind: FieldText, Help: "如：北京市支援合作信息第12期"},
			{Key: "region", Label: "涉及协作地区", Kind: FieldRegion},
			{Key: "unit", Label: "报送单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "date", UnitKey: "unit", RegionKey: "region", TeamKey: "team",
		ListKeys: []string{"kind", "title", "team", "adopted"},
	},
	{
		Kind: RegMedia, Title: "媒体报道", Group: "信息宣传",
		Fields: []RegisterField{
			{Key: "title", Label: "报道标题", Kind: FieldText, Required: true},
			{Key: "outlet", Label: "媒体名称", Kind: FieldText, Required: true},
			{Key: "level", Label: "媒体级别", Kind: FieldChoice, Required: true, Options: []string{"中央级", "市级", "区级", "协作地区"}},
			{Key: "date", Label: "刊发日期", Kind: FieldDate, Required: true},
			{Key: "link", Label: "链接或版面", Kind: FieldText},
			{Key: "region", Label: "涉及协作地区", Kind: FieldRegion},
			{Key: "unit", Label: "报送单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "date", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"title", "outlet", "level"},
	},
	{
		Kind: RegPurchase, Title: "消费帮扶采购", Group: "巩固拓展脱贫攻坚成果",
		Fields: []RegisterField{
			{Key: "unit", Label: "采购单位", Kind: FieldUnit, Required: true},
			{Key: "period", Label: "统计期间", Kind: FieldPeriod, Required: true, Help: "月（2021-06）、半年（2021-H1）或全年（2021）"},
			{Key: "food_total", Label: "食堂食材采购总额", Kind: FieldAmount, Unit: "万元"},
			{Key: "welfare_total", Label: "工会福利采购总额", Kind: FieldAmount, Unit: "万元"},
			{Key: "via_832", Label: "其中协作地区产品：832平台", Kind: FieldAmount, Unit: "万元"},
			{Key: "via_counter", Label: "其中协作地区产品：消费帮扶专区专馆专柜", Kind: FieldAmount, Unit: "万元"},
			{Key: "via_direct", Label: "其中协作地区产品：直接采购", Kind: FieldAmount, Unit: "万元"},
			{Key: "via_other", Label: "其中协作地区产品：其他渠道", Kind: FieldAmount, Unit: "万元"},
			{Key: "region", Label: "主要来源地区", Kind: FieldRegion},
		},
		Derived: []DerivedField{
			{Key: "base", Label: "采购总额（分母）", Unit: "万元", Sum: []string{"food_total", "welfare_total"}},
			{Key: "partner", Label: "采购协作地区产品", Unit: "万元", Sum: []string{"via_832", "via_counter", "via_direct", "via_other"}},
		},
		DateKey: "period", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"period", "base", "partner"},
	},
	{
		Kind: RegDonation, Title: "社会帮扶捐赠", Group: "巩固拓展脱贫攻坚成果",
		Fields: []RegisterField{
			{Key: "donor", Label: "捐赠方", Kind: FieldText, Required: true},
			{Key: "donor_kind", Label: "捐赠方类型", Kind: FieldChoice, Required: true, Options: []string{"企业", "社会组织", "个人", "机关事业单位"}},
			{Key: "region", Label: "受赠地区", Kind: FieldRegion, Required: true},
			{Key: "date", Label: "捐赠日期", Kind: FieldDate, Required: true},
			{Key: "money", Label: "捐款", Kind: FieldAmount, Unit: "万元"},
			{Key: "goods", Label: "捐物折价", Kind: FieldAmount, Unit: "万元"},
			{Key: "goods_note", Label: "物资说明", Kind: FieldText},
			{Key: "unit", Label: "动员单位", Kind: FieldUnit, Required: true},
		},
		Derived: []DerivedField{{Key: "total", Label: "捐赠合计", Unit: "万元", Sum: []string{"money", "goods"}}},
		DateKey: "date", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"donor", "donor_kind", "total"},
	},
	{
		Kind: RegFirm, Title: "引导企业投资", Group: "加强区域协作",
		Fields: []RegisterField{
			{Key: "name", Label: "企业名称", Kind: FieldText, Required: true},
			{Key: "code", Label: "统一社会信用代码", Kind: FieldCreditCode, Required: true},
			{Key: "region", Label: "投资地区", Kind: FieldRegion, Required: true},
			{Key: "date", Label: "落地日期", Kind: FieldDate, Required: true},
			{Key: "investment", Label: "实际到位投资", Kind: FieldAmount, Unit: "万元"},
			{Key: "jobs", Label: "吸纳就业", Kind: FieldInt, Unit: "人"},
			{Key: "poor_jobs", Label: "其中脱贫人口", Kind: FieldInt, Unit: "人"},
			{Key: "industry", Label: "所属行业", Kind: FieldText},
			{Key: "unit", Label: "引导单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "date", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"name", "investment", "jobs"},
	},
	{
		Kind: RegPark, Title: "产业园区和帮扶车间", Group: "加强区域协作",
		Fields: []RegisterField{
			{Key: "kind", Label: "类型", Kind: FieldChoice, Required: true, Options: []string{"共建产业园区", "帮扶车间"}},
			{Key: "name", Label: "名称", Kind: FieldText, Required: true},
			{Key: "region", Label: "所在地区", Kind: FieldRegion, Required: true},
			{Key: "date", Label: "建成或认定日期", Kind: FieldDate, Required: true},
			{Key: "firms", Label: "入驻企业", Kind: FieldInt, Unit: "个"},
			{Key: "investment", Label: "投资额", Kind: FieldAmount, Unit: "万元"},
			{Key: "employed", Label: "吸纳就业", Kind: FieldInt, Unit: "人"},
			{Key: "poor_employed", Label: "其中脱贫人口", Kind: FieldInt, Unit: "人"},
			{Key: "unit", Label: "指导单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "date", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"kind", "name", "employed", "poor_employed"},
	},
	{
		Kind: RegDemoVillage, Title: "乡村振兴示范村", Group: "助推乡村振兴",
		Fields: []RegisterField{
			{Key: "village", Label: "村名", Kind: FieldText, Required: true, Help: "县、乡（镇）、村，如：武川县哈乐镇根根渠村"},
			{Key: "code", Label: "村代码", Kind: FieldText, Help: "12位统计用区划代码，可不填"},
			{Key: "region", Label: "协作地区", Kind: FieldRegion, Required: true},
			{Key: "date", Label: "确定日期", Kind: FieldDate, Required: true},
			{Key: "stage", Label: "建设阶段", Kind: FieldChoice, Required: true, Options: []string{"规划中", "建设中", "已建成"}},
			{Key: "fund", Label: "投入帮扶资金", Kind: FieldAmount, Unit: "万元"},
			{Key: "measures", Label: "主要做法", Kind: FieldLongText},
			{Key: "unit", Label: "帮扶单位", Kind: FieldUnit, Required: true},
		},
		DateKey: "date", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"village", "stage", "fund"},
	},
	{
		Kind: RegProblem, Title: "问题整改", Group: "组织领导",
		Fields: []RegisterField{
			{Key: "source", Label: "问题来源", Kind: FieldChoice, Required: true, Options: problemSources},
			{Key: "problem", Label: "问题描述", Kind: FieldLongText, Required: true},
			{Key: "unit", Label: "责任单位", Kind: FieldUnit, Required: true},
			{Key: "found", Label: "发现日期", Kind: FieldDate, Required: true},
			{Key: "deadline", Label: "整改时限", Kind: FieldDate, Required: true, Future: true},
			{Key: "measures", Label: "整改措施", Kind: FieldLongText},
			{Key: "status", Label: "整改状态", Kind: FieldChoice, Required: true, Options: rectifyStates},
			{Key: "done", Label: "完成日期", Kind: FieldDate, Help: "已整改时填写"},
			{Key: "evidence", Label: "整改佐证", Kind: FieldText, Help: "文件名或存放位置"},
			{Key: "region", Label: "涉及协作地区", Kind: FieldRegion},
		},
		DateKey: "found", UnitKey: "unit", RegionKey: "region",
		ListKeys: []string{"source", "problem", "deadline", "status"},
	},
}

// RegisterSpecs are the district's registers in menu order.
func RegisterSpecs() []RegisterSpec { return registerSpecs }

// RegisterSpecOf finds a register by its kind (its path segment).
func RegisterSpecOf(k RegisterKind) (RegisterSpec, bool) {
	for _, s := range registerSpecs {
		if s.Kind == k {
			return s, true
		}
	}
	return RegisterSpec{}, false
}

// Field finds a field of the spec by key.
func (s RegisterSpec) Field(key string) (RegisterField, bool) {
	for _, f := range s.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return RegisterField{}, false
}
