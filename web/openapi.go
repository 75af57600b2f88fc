package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
)

// The OpenAPI document of /api/v1 is made from the route table: every /api/v1 route is in it with
// its method and path parameters, whatever apiDocs says. apiDocs adds what the table cannot say
// (a summary, the query filters, the shape of the answer); TestOpenAPIFromRoutes fails when a
// route has no entry there, and TestOpenAPIResponses when an answer leaves its documented shape.

// apiDoc describes one /api/v1 route.
type apiDoc struct {
	summary  string
	query    []apiParam
	response any    // a value of the answer's shape (a fields list, or a Go value): its JSON schema is derived
	answer   string // what the answer is, in a few words
	body     any    // a value of the request body's shape, for a write
	files    string // a write whose body is multipart/form-data: the name of its file field
	binary   bool   // the answer is a file, not JSON
	created  bool   // a write that creates: 201 with the answer, 200 when an Idempotency-Key replays it
	idem     bool   // a write that answers 200 and takes an Idempotency-Key (a decision: a review, a closure)
	invalid  bool   // a read whose bad query parameter answers 422 naming it
}

// apiParam is a query parameter.
type apiParam struct {
	name   string
	schema map[string]any
	desc   string
}

// field is a named member of a JSON object answered by a handler that writes a map.
type field struct {
	name  string
	value any
}

// fields is a JSON object, member by member, in order.
type fields []field

// paging are the query parameters of every list.
var paging = []apiParam{
	{"limit", map[string]any{"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, ""},
	{"offset", map[string]any{"type": "integer", "minimum": 0, "default": 0}, ""},
}

// pathParams describes each path parameter the /api/v1 routes use.
var pathParams = map[string]struct {
	typ, desc string
}{
	"district": {"string", "区县，如 门头沟区"},
	"year":     {"integer", "年份，如 2021"},
	"id":       {"string", "编号"},
	"file":     {"integer", "项目材料编号（正整数）"},
	"kind":     {"string", "工作台账：meetings、visits、agreements、policies、pairings、personnel、trainings、articles、media、purchases、donations、firms、parks、demo-villages、problems"},
}

// idParams says what {id} is under each prefix: a duty's id under /duties/, a report's number
// under /reports/ (a report number where a duty id is asked is refused, so the text names one).
var idParams = map[string]struct{ typ, desc string }{
	"/api/v1/duties/":    {"string", "事项编号（point-12、task-3、project-45）"},
	"/api/v1/reports/":   {"integer", "报告编号（正整数）"},
	"/api/v1/evidence/":  {"integer", "证明材料编号（正整数）"},
	"/api/v1/projects/":  {"integer", "项目编号（正整数，见项目列表的 id）"},
	"/api/v1/registers/": {"integer", "台账记录编号（正整数，见台账列表的 id）"},
}

// apiDocs describes each /api/v1 route of the route table, by pattern.
var apiDocs = map[string]apiDoc{
	"GET /api/v1/me": {summary: "当前用户", answer: "用户名、单位、角色",
		response: fields{{"username", ""}, {"name", ""}, {"district", ""}, {"unit", ""}, {"roles", []string{}}, {"regions", []string{}}}},
	"GET /api/v1/plans": {summary: "已导入的计划", answer: "计划列表",
		response: fields{{"plans", []apiPlanInfo{}}}},
	"GET /api/v1/plans/{district}/{year}": {summary: "计划汇总（与 xiezuo summary --json 相同）", answer: "汇总",
		response: xiezuo.Summary{}},
	"GET /api/v1/plans/{district}/{year}/points": {summary: "工作要点及责任单位", answer: "工作要点",
		response: fields{{"points", []apiPoint{}}}},
	"GET /api/v1/plans/{district}/{year}/tasks": {summary: "任务清单", answer: "任务",
		query:    append(cloneParams(paging), apiParam{"unit", map[string]any{"type": "string"}, "责任单位"}),
		response: fields{{"total", 0}, {"offset", 0}, {"tasks", []apiTask{}}}},
	"GET /api/v1/plans/{district}/{year}/duties": {summary: "调用者的事项（工作要点、任务、项目）及其状态灯：办公室、区领导为全部事项，成员单位为本单位的事项，挂职干部为所在地区的项目", answer: "事项",
		query: []apiParam{
			{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期 YYYY-MM-DD，默认今天；不能晚于今天"},
			{"unit", map[string]any{"type": "string"}, "责任单位"},
			{"team", map[string]any{"type": "string"}, "工作专班"},
			{"region", map[string]any{"type": "string"}, "协作地区（项目）"},
			{"light", map[string]any{"type": "string", "enum": []string{"green", "yellow", "red", "open", "done"}}, "状态灯"},
		},
		response: fields{{"duties", []apiDuty{}}}},
	"GET /api/v1/plans/{district}/{year}/scorecard": {summary: "考核：各项考核指标截至查看日期的完成值、目标、状态灯和佐证。办公室、区领导、专班牵头部门和市级办公室为全部指标，其他单位为本单位的指标（按单位分组）。value 为 null 表示未报送（不按 0 计）；target 为 null 表示未设目标；light 为 green（达标）、yellow（未达标，未到期）、red（未达标）或 grey（未报送或未设目标）；by 为 team、unit、region 时 group 为所属分组；parts 为分项（每个专班、单位或地区，各带 unit）；按每个专班、单位或地区考核的指标，其全区一行的 value 为达标的分组数、target 为考核的分组数、unit 为“个”，part_target 与 part_unit 为每个分组的目标值及其计量单位（如 30 与 %）；数值保留至多 4 位小数；evidence 的 url 带 year 与 district 参数；by 或 as_of 无效答 422", answer: "考核指标",
		query: []apiParam{
			{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期 YYYY-MM-DD，默认今天；不能晚于今天"},
			{"by", map[string]any{"type": "string", "enum": []string{"dimension", "team", "unit", "region"}, "default": "dimension"}, "分组：考核维度、工作专班、单位或协作地区"},
		},
		invalid:  true,
		response: fields{{"indicators", []apiScore{}}}},
	"GET /api/v1/plans/{district}/{year}/projects": {summary: "项目计划表，每个项目带截至查看日期的状态、累计拨付和拨付率", answer: "项目",
		query: append(cloneParams(paging),
			apiParam{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期，默认今天：状态和资金按该日计算"},
			apiParam{"region", map[string]any{"type": "string"}, ""},
			apiParam{"category", map[string]any{"type": "string"}, ""},
			apiParam{"lead", map[string]any{"type": "string"}, "项目牵头单位（旧名 lead_unit 仍然接受）"},
			apiParam{"nature", map[string]any{"type": "string"}, "建设性质"}),
		response: fields{{"total", 0}, {"offset", 0}, {"totals", apiTotals{}}, {"projects", []apiProject{}}}},

	// Money of projects (funds.go).
	"POST /api/v1/projects/{id}/transactions": {summary: "登记项目的资金往来：下达、拨付或支出（拨付、支出：办公室、项目牵头单位、联系该地区的挂职干部；下达及其冲销只由办公室登记，他人答 403；带 Idempotency-Key 可安全重试）。amount_yuan 为以元为单位、最多两位小数的字符串；日期不能晚于今天（422）；更正请冲销：reverses 为被冲销记录的编号，金额为其相反数", answer: "登记的资金记录",
		body: fundInput{}, created: true, response: apiFundTx{}},
	"GET /api/v1/projects/{id}/transactions": {summary: "项目的资金记录及截至查看日期的累计下达、拨付、支出和拨付率、支出率（合计和按资金来源）", answer: "资金记录和累计",
		query:    []apiParam{{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期，默认今天"}},
		response: fields{{"project_id", int64(0)}, {"transactions", []apiFundTx{}}, {"totals", apiFundTotals{}}}},

	// Progress reports (report_api.go).
	"POST /api/v1/duties/{id}/reports": {summary: "报送进展（本单位负责的事项；带 Idempotency-Key 可安全重试）。每个单位每个事项每月一份报告：不带 report_id 为新报告，本月已有未通过的报告时答 409 并给出其编号；带 report_id 为该报告（草稿或被退回的）的新版本", answer: "报告编号、状态、版本",
		body: apiReportInput{}, created: true, response: sqldb.ReportReceipt{}},
	"GET /api/v1/duties/{id}/reports": {summary: "事项的进展报告（本单位可查阅的）", answer: "报告及其各版本和审核",
		response: fields{{"reports", []apiReport{}}}},
	"GET /api/v1/reports/{id}": {summary: "一份进展报告及其各版本和审核", answer: "报告", response: apiReport{}},
	"POST /api/v1/reports/{id}/review": {summary: "审核报送给本单位的进展报告（办公室审核报送给办公室的；牵头单位审核配合单位、挂职干部报送给它的）：通过或退回（退回须写 comment）。带 Idempotency-Key 可安全重试：同一键、同一内容再次提交返回首次结果（200），即使该版已审核；同一键、不同内容答 409", answer: "审核后的状态",
		body: apiReviewInput{}, idem: true, response: fields{{"id", int64(0)}, {"state", ""}, {"version", 0}}},
	"POST /api/v1/duties/{id}/close": {summary: "销号或重新打开事项（办公室；重新打开须写 reason）。带 Idempotency-Key 可安全重试：同一键、同一内容再次提交返回首次结果（200），即使事项已销号；同一键、不同内容答 409", answer: "事项及是否已销号",
		body: apiCloseInput{}, idem: true, response: fields{{"duty", ""}, {"closed", false}}},
	"GET /api/v1/plans/{district}/{year}/notices": {summary: "督办单（调用者可见的）及其办理过程、是否逾期升级", answer: "督办单",
		query: []apiParam{
			{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期，默认今天"},
			{"state", map[string]any{"type": "string", "enum": []string{"issued", "signed", "answered", "returned", "done", "closed"}}, "状态：待签收、办理中、已反馈、退回补充、已办结、已销号"},
			{"unit", map[string]any{"type": "string"}, "承办单位"},
			{"escalated", map[string]any{"type": "string", "enum": []string{"team", "leaders"}}, "team：已逾期升级；leaders：领导关注"},
		},
		response: fields{{"notices", []apiNotice{}}}},

	// Evidence files (evidence.go).
	"POST /api/v1/reports/{id}/evidence": {summary: "为本单位待审核的报告上传证明材料（照片、PDF、Word、Excel；按内容识别类型）", answer: "新增的材料",
		files: evidenceField, created: true, response: fields{{"evidence", []apiEvidence{}}}},
	"GET /api/v1/evidence/{id}": {summary: "下载一份证明材料（仅限可以查阅其报告的用户）", binary: true,
		answer: "文件内容：Content-Type 为按内容识别的类型，图片和 PDF 为 inline，其余为 attachment"},

	// Assets a project leaves (project_reach.go).
	"GET /api/v1/plans/{district}/{year}/assets": {summary: "帮扶资产台账：截至查看日期有效的资产记录（更正过的只列最新一条），可按协作地区、资产类别、产权归属筛选", answer: "资产",
		query: []apiParam{
			{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期 YYYY-MM-DD，默认今天；不能晚于今天"},
			{"region", map[string]any{"type": "string"}, "协作地区"},
			{"kind", map[string]any{"type": "string", "enum": xiezuo.AssetKinds}, "资产类别"},
			{"owner", map[string]any{"type": "string"}, "产权归属（包含这些字即可）"},
		},
		response: fields{{"assets", []apiAsset{}}}},
	"POST /api/v1/projects/{id}/assets": {summary: "登记项目形成的资产，或以新记录更正一条资产记录（supersedes 为被更正的记录编号，每条只能更正一次）。办公室、项目牵头单位和联系该地区的挂职干部可用；带 Idempotency-Key 可安全重试；value_yuan 为以元为单位的数字字符串（最多两位小数），移交日期不能晚于今天", answer: "登记的资产",
		body: apiAssetInput{}, created: true, response: apiAsset{}},
	// A project's life after the plan (project_life.go).
	"GET /api/v1/projects/{id}/steps": {summary: "项目的全周期状态和步骤（开工、完工、验收、移交、管护、评价、暂停、恢复、取消、调整），及计划原数与调整后的金额和内容",
		query:  []apiParam{{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期，默认今天：状态、步骤和调整后的金额只计这一天及以前的"}},
		answer: "状态、计划原数、调整后数和步骤", response: apiStepsAnswer{}},
	"POST /api/v1/projects/{id}/steps": {summary: "登记项目的下一步（办公室、项目牵头单位、该地区的前方挂职干部；调整只由办公室登记，他人答 403；带 Idempotency-Key 可安全重试）。kind 为 start、complete、accept、handover、aftercare、evaluate、suspend、resume、cancel 或 adjust；date 不晚于今天、不早于上一步；暂停、取消须写 reason；调整须写 reason、document（批复文号）和至少一项变化，金额为以元为单位的小数字符串。不合规则答 422，无权答 403", answer: "登记的步骤",
		body: apiStepInput{}, created: true, response: apiStep{}},

	// The work registers (registers_api.go).
	"GET /api/v1/registers/{kind}": {summary: "工作台账的记录（截至查看日期的现行记录，更正过的为最新内容，撤销的不列）。values 按字段键给出登记的文本，金额为以元为单位、两位小数的字符串；未填写的字段不出现",
		query: []apiParam{
			{"district", map[string]any{"type": "string"}, "区县，默认调用者所在区"},
			{"unit", map[string]any{"type": "string"}, "责任单位"},
			{"region", map[string]any{"type": "string"}, "协作地区"},
			{"team", map[string]any{"type": "string"}, "工作专班"},
			{"from", map[string]any{"type": "string", "format": "date"}, "记录日期不早于"},
			{"to", map[string]any{"type": "string", "format": "date"}, "记录日期不晚于"},
			{"q", map[string]any{"type": "string"}, "关键词"},
			{"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期，默认今天；不能晚于今天"},
		},
		answer: "台账记录", response: fields{{"entries", []apiRegisterEntry{}}}},
	"GET /api/v1/registers/{kind}/{id}": {summary: "一条台账记录（截至查看日期）",
		query:  []apiParam{{"district", map[string]any{"type": "string"}, "区县，默认调用者所在区"}, {"as_of", map[string]any{"type": "string", "format": "date"}, "查看日期，默认今天"}},
		answer: "台账记录", response: apiRegisterEntry{}},
	"POST /api/v1/registers/{kind}": {summary: "登记一条台账记录（办公室登记本区全部；成员单位、专班牵头部门登记责任单位为本单位的记录，不填单位即为本单位；前方挂职干部登记所在地区的记录；区领导、市级办公室只读，答 403）。values 按字段键填写，校验与网页表单相同，金额为以元为单位、最多两位小数的字符串；不合规则答 422，error.field 为出错的字段键；同一单位同一统计期间已有消费帮扶采购记录答 409（请更正原记录）；带 Idempotency-Key 可安全重试",
		query: []apiParam{{"district", map[string]any{"type": "string"}, "区县，默认调用者所在区"}},
		body:  apiRegisterInput{}, created: true, answer: "登记的记录", response: apiRegisterEntry{}},
	"GET /api/v1/projects/{id}/evidence/{file}": {summary: "下载项目步骤的一份材料（仅限可以查阅该项目所在区计划的用户）", binary: true,
		answer: "文件内容：Content-Type 为按内容识别的类型，图片和 PDF 为 inline，其余为 attachment"},
}

func cloneParams(ps []apiParam) []apiParam { return append([]apiParam(nil), ps...) }

// openAPI describes /api/v1 (OpenAPI 3.0).
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, openAPIDoc(s.routes))
}

// pathParam finds the {name} parameters of a pattern.
var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPIDoc is the OpenAPI document of the /api/v1 routes among routes.
func openAPIDoc(routes []route) map[string]any {
	errResp := map[string]any{"description": "错误", "content": map[string]any{"application/json": map[string]any{"schema": map[string]string{"$ref": "#/components/schemas/Error"}}}}
	paths := map[string]any{}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.HasPrefix(path, "/api/v1/") && path != "/api/v1" {
			continue
		}
		doc, ok := apiDocs[rt.pattern]
		if !ok {
			doc = apiDoc{summary: rt.pattern, answer: "结果"}
		}
		params := []map[string]any{}
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			p := pathParams[m[1]]
			for prefix, q := range idParams {
				if m[1] == "id" && strings.HasPrefix(path, prefix) {
					p = q
				}
			}
			if p.typ == "" {
				p.typ = "string"
			}
			param := map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]string{"type": p.typ}}
			if p.desc != "" {
				param["description"] = p.desc
			}
			params = append(params, param)
		}
		for _, q := range doc.query {
			param := map[string]any{"name": q.name, "in": "query", "schema": q.schema}
			if q.desc != "" {
				param["description"] = q.desc
			}
			params = append(params, param)
		}
		ok200 := map[string]any{"description": doc.answer}
		if doc.response != nil {
			ok200["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(doc.response)}}
		}
		if doc.binary {
			ok200["content"] = map[string]any{"*/*": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		}
		responses := map[string]any{"200": ok200, "401": errResp, "403": errResp, "404": errResp, "429": errResp}
		op := map[string]any{"summary": doc.summary, "responses": responses}
		if doc.body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(doc.body)}}}
			responses["400"], responses["409"], responses["413"], responses["422"] = errResp, errResp, errResp, errResp
		}
		if doc.files != "" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": map[string]any{
				"type": "object", "required": []string{doc.files},
				"properties": map[string]any{doc.files: map[string]any{"type": "array", "items": map[string]any{"type": "string", "format": "binary"}}}}}}}
			responses["400"], responses["409"], responses["413"] = errResp, errResp, errResp
		}
		if doc.invalid {
			responses["422"] = errResp
		}
		if doc.created {
			responses["201"] = ok200
		}
		if doc.created || doc.idem {
			op["parameters"] = []map[string]any{{"name": "Idempotency-Key", "in": "header", "schema": map[string]string{"type": "string"},
				"description": "同一键、同一内容再次提交时返回首次结果（200）且不重复保存；同一键、不同内容返回 409"}}
		}
		if len(params) > 0 {
			if hs, ok := op["parameters"].([]map[string]any); ok {
				params = append(params, hs...)
			}
			op["parameters"] = params
		}
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[strings.ToLower(method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "协作（xiezuo）支援合作工作平台 API", "version": "1", "description": "与网页相同的数据和权限。用 Authorization: Bearer <API 令牌> 认证，或使用已登录的浏览器会话。金额单位为元，未填报的数字为 null。"},
		"servers": []map[string]string{{"url": "/"}},
		"components": map[string]any{
			"securitySchemes": map[string]any{"token": map[string]string{"type": "http", "scheme": "bearer"}},
			"schemas":         map[string]any{"Error": schemaOf(apiError{})},
		},
		"security": []map[string][]string{{"token": {}}},
		"paths":    paths,
	}
}

var (
	yuanType   = reflect.TypeFor[xiezuo.Yuan]()
	numberType = reflect.TypeFor[json.Number]()  // a figure written as typed: a number, exact
	ratioType  = reflect.TypeFor[xiezuo.Ratio]() // a rate: a fraction with four decimals, or null
)

// schemaOf is the JSON schema of the JSON encoding of v: a fields list member by member, a Go
// value by its type and json tags.
func schemaOf(v any) map[string]any {
	if fs, ok := v.(fields); ok {
		props := map[string]any{}
		var required []string
		for _, f := range fs {
			props[f.name] = schemaOf(f.value)
			required = append(required, f.name)
		}
		return map[string]any{"type": "object", "properties": props, "required": required}
	}
	return schemaOfType(reflect.TypeOf(v))
}

func schemaOfType(t reflect.Type) map[string]any {
	if t == yuanType {
		return map[string]any{"type": "number", "nullable": true, "description": "元；未填报为 null"}
	}
	if t == numberType {
		return map[string]any{"type": "number"}
	}
	if t == ratioType {
		return map[string]any{"type": "number", "nullable": true, "description": "比率（0–1，四位小数）；分母为 0 时为 null"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := schemaOfType(t.Elem())
		s["nullable"] = true
		return s
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOfType(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOfType(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for f := range t.Fields() {
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOfType(f.Type)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			s["required"] = required
		}
		return s
	}
	return map[string]any{}
}
