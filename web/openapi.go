package web

import (
	"net/http"
)

// openAPI describes /api/v1 (OpenAPI 3.0).
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	plan := []map[string]any{
		{"name": "district", "in": "path", "required": true, "schema": map[string]string{"type": "string"}, "description": "区县，如 门头沟区"},
		{"name": "year", "in": "path", "required": true, "schema": map[string]string{"type": "integer"}, "description": "年份，如 2021"},
	}
	paging := []map[string]any{
		{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
		{"name": "offset", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 0, "default": 0}},
	}
	errResp := map[string]any{"description": "错误", "content": map[string]any{"application/json": map[string]any{"schema": map[string]string{"$ref": "#/components/schemas/Error"}}}}
	ok := func(desc string) map[string]any {
		return map[string]any{"200": map[string]any{"description": desc}, "401": errResp, "403": errResp, "404": errResp, "429": errResp}
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "协作（xiezuo）支援合作工作平台 API", "version": "1", "description": "与网页相同的数据和权限。用 Authorization: Bearer <API 令牌> 认证，或使用已登录的浏览器会话。金额单位为元，未填报的数字为 null。"},
		"servers": []map[string]string{{"url": "/"}},
		"components": map[string]any{
			"securitySchemes": map[string]any{"token": map[string]string{"type": "http", "scheme": "bearer"}},
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
				"code": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"}}}}}},
		},
		"security": []map[string][]string{{"token": {}}},
		"paths": map[string]any{
			"/api/v1/me":                             map[string]any{"get": map[string]any{"summary": "当前用户", "responses": ok("用户名、单位、角色")}},
			"/api/v1/plans":                          map[string]any{"get": map[string]any{"summary": "已导入的计划", "responses": ok("计划列表")}},
			"/api/v1/plans/{district}/{year}":        map[string]any{"get": map[string]any{"summary": "计划汇总（与 xiezuo summary --json 相同）", "parameters": plan, "responses": ok("汇总")}},
			"/api/v1/plans/{district}/{year}/points": map[string]any{"get": map[string]any{"summary": "工作要点及责任单位", "parameters": plan, "responses": ok("工作要点")}},
			"/api/v1/plans/{district}/{year}/tasks": map[string]any{"get": map[string]any{"summary": "任务清单", "parameters": append(append([]map[string]any{}, plan...), append(paging,
				map[string]any{"name": "unit", "in": "query", "schema": map[string]string{"type": "string"}, "description": "责任单位"})...), "responses": ok("任务")}},
			"/api/v1/plans/{district}/{year}/projects": map[string]any{"get": map[string]any{"summary": "项目计划表", "parameters": append(append([]map[string]any{}, plan...), append(paging,
				map[string]any{"name": "region", "in": "query", "schema": map[string]string{"type": "string"}},
				map[string]any{"name": "category", "in": "query", "schema": map[string]string{"type": "string"}},
				map[string]any{"name": "lead", "in": "query", "schema": map[string]string{"type": "string"}, "description": "项目牵头单位（旧名 lead_unit 仍然接受）"},
				map[string]any{"name": "nature", "in": "query", "schema": map[string]string{"type": "string"}, "description": "建设性质"})...), "responses": ok("项目及其合计（totals）")}},
		},
	}
	writeJSON(w, http.StatusOK, doc)
}
