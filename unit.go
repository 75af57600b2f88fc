package xiezuo

import "strings"

// catalogue lists the member units of a district leading group as Beijing's districts name
// them, each with its kind and the other names documents use for it. The first name is the
// canonical one: the name the office's own documents use most.
var catalogue = []struct {
	kind  string
	names []string
}{
	{KindOffice, []string{"市支援合作办", "北京市支援合作办", "市扶贫支援办"}},
	{KindOffice, []string{"领导小组办公室", "区支援合作办", "区支援合作办公室", "区扶贫协作和支援合作工作领导小组办公室", "扶贫协作和支援合作工作领导小组办公室", "区扶贫办", "区乡村振兴局"}},
	{KindGroup, []string{"领导小组各成员单位", "领导小组成员单位", "各成员单位", "各领导小组成员单位"}},
	{KindGroup, []string{"领导小组相关成员单位", "相关成员单位", "相关单位"}},
	{KindCadre, []string{"前方挂职干部", "挂职干部", "前方工作组", "援派干部"}},
	{KindGroup, []string{"各镇街", "各镇（街道）", "各镇(街道)", "各镇、街道", "各乡镇（街道）", "各乡镇", "各镇"}},
	{KindGroup, []string{"各街道", "各街道办事处"}},
	{KindGroup, []string{"各街乡", "各乡镇、街道", "各乡镇街道", "各街道、乡镇", "各街镇"}},
	{KindGroup, []string{"相关镇", "相关镇街", "相关乡镇", "相关镇（街道）"}},
	{KindDepartment, []string{"区委办公室", "区委办"}},
	{KindDepartment, []string{"区政府办公室", "区政府办"}},
	{KindDepartment, []string{"区委组织部"}},
	{KindDepartment, []string{"区委宣传部"}},
	{KindDepartment, []string{"区委统战部"}},
	{KindDepartment, []string{"区委网信办", "区委网络安全和信息化委员会办公室"}},
	{KindDepartment, []string{"区直机关工委", "区委区直机关工委"}},
	{KindDepartment, []string{"区发展改革委", "区发改委", "区发展和改革委员会"}},
	{KindDepartment, []string{"区财政局"}},
	{KindDepartment, []string{"区人力社保局", "区人力资源和社会保障局", "区人社局"}},
	{KindDepartment, []string{"区商务局"}},
	{KindDepartment, []string{"区科技和信息化局", "区科信局"}},
	{KindDepartment, []string{"区农业农村局", "区农业局", "区农委"}},
	{KindDepartment, []string{"区教委", "区教育委员会", "区教育局"}},
	{KindDepartment, []string{"区卫生健康委", "区卫健委", "区卫生健康委员会"}},
	{KindDepartment, []string{"区国资委", "区国有资产监督管理委员会"}},
	{KindDepartment, []string{"区文化和旅游局", "区文旅局"}},
	{KindDepartment, []string{"区民政局"}},
	{KindDepartment, []string{"区统计局"}},
	{KindDepartment, []string{"区融媒体中心"}},
	{KindDepartment, []string{"区审计局"}},
	{KindDepartment, []string{"区水务局"}},
	{KindDepartment, []string{"区园林绿化局"}},
	{KindDepartment, []string{"区生态环境局"}},
	{KindDepartment, []string{"区市场监管局", "区市场监督管理局"}},
	{KindDepartment, []string{"区住房城乡建设委", "区住建委"}},
	{KindDepartment, []string{"区体育局"}},
	{KindDepartment, []string{"区规划自然资源分局"}},
	{KindDepartment, []string{"中关村门头沟园服务中心", "中关村门头沟园管委会"}},
	{KindSocial, []string{"区残联", "区残疾人联合会"}},
	{KindSocial, []string{"区工商联", "区工商业联合会"}},
	{KindSocial, []string{"区总工会"}},
	{KindSocial, []string{"团区委", "共青团区委"}},
	{KindSocial, []string{"区妇联", "区妇女联合会"}},
	{KindSocial, []string{"区文联", "区文学艺术界联合会"}},
	{KindSocial, []string{"区红十字会"}},
	{KindSocial, []string{"区科协"}},
}

var unitIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range catalogue {
		for _, n := range c.names {
			m[n] = i
		}
	}
	return m
}()

// LookupUnit returns the catalogue's unit for a name or alias as written.
func LookupUnit(written string) (Unit, bool) {
	name := NormalizeUnitName(written)
	i, ok := unitIndex[name]
	if !ok {
		return Unit{Name: name, Kind: GuessUnitKind(name)}, false
	}
	c := catalogue[i]
	return Unit{Name: c.names[0], Kind: c.kind, Aliases: append([]string(nil), c.names[1:]...), Known: true}, true
}

// NormalizeUnitName removes what is not part of a unit's name: spaces, markup left-overs and a
// trailing 等 ("and others").
func NormalizeUnitName(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = strings.Trim(s, "*_。；;，,、：:")
	s = strings.TrimSuffix(s, "等")
	return s
}

// GuessUnitKind guesses the kind of a unit the catalogue does not know, from its name.
func GuessUnitKind(name string) string {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(name, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("挂职干部", "前方工作"):
		return KindCadre
	case strings.HasPrefix(name, "各") || strings.HasPrefix(name, "相关"):
		return KindGroup
	case has("学校", "中学", "小学", "幼儿园", "大学", "学院"):
		return KindSchool
	case has("医院", "卫生院", "卫生室"):
		return KindHospital
	case has("公司", "集团", "合作社"):
		return KindEnterprise
	case has("协会", "商会", "基金会", "联合会", "工会", "红十字会"):
		return KindSocial
	case strings.HasSuffix(name, "镇") || strings.HasSuffix(name, "街道") || strings.HasSuffix(name, "乡") || has("人民政府"):
		return KindTown
	case has("领导小组办公室", "支援合作办"):
		return KindOffice
	}
	return KindDepartment
}

// LooksLikeUnit reports whether a phrase reads as a unit name rather than prose: used to tell a
// bracket of responsible units at the end of a work point from an ordinary remark.
func LooksLikeUnit(s string) bool {
	s = NormalizeUnitName(s)
	if s == "" || len([]rune(s)) > 24 {
		return false
	}
	if _, ok := unitIndex[s]; ok {
		return true
	}
	for _, suf := range []string{"局", "委", "办", "部", "办公室", "中心", "镇", "街道", "乡", "干部", "单位", "联", "会", "团区委", "政府", "院", "所", "站", "公司", "厅", "处", "社"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}
