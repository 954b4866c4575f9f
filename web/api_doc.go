package web

import (
	"net/http"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The OpenAPI 3 document of the API, GET /api/v1/openapi.json: made from
// the route table (apiRoutes) and from the kinds as the import reads them
// (app.APIKinds: each key's type, whether it is required, the values of a
// closed set), so that the document cannot say what the server does not
// do. api_test.go checks it against the routes and the validation both
// ways.

// obj is a JSON object of the document.
type obj = map[string]any

// apiDocument is GET /api/v1/openapi.json.
func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request, _ *gs.APIToken) error {
	writeJSON(w, http.StatusOK, s.openAPI())
	return nil
}

// openAPI returns the document.
func (s *Server) openAPI() obj {
	paths := obj{}
	for _, rt := range s.apiRoutes() {
		p, _ := paths[rt.Path].(obj)
		if p == nil {
			p = obj{}
			paths[rt.Path] = p
		}
		p[strings.ToLower(rt.Method)] = apiOperation(rt)
	}
	schemas := obj{
		"WriteResult": obj{"type": "object", "required": []string{"kind", "received", "inserted", "updated", "unchanged"},
			"properties": obj{
				"kind":      obj{"type": "string"},
				"received":  obj{"type": "integer", "description": "请求中的记录数（完全相同的重复记录只算一条）"},
				"inserted":  obj{"type": "integer", "description": "新增的记录数"},
				"updated":   obj{"type": "integer", "description": "替换了内容不同的已有记录的条数"},
				"unchanged": obj{"type": "integer", "description": "与已有记录完全相同、没有改变任何数据的条数"},
			}},
		"Error": obj{"type": "object", "required": []string{"error"}, "properties": obj{
			"error": obj{"type": "string", "description": "出了什么问题（中文）"},
			"items": obj{"type": "array", "description": "逐条记录的问题（每批最多列出 10000 处，其余计数）", "items": obj{
				"type": "object", "required": []string{"index", "message"}, "properties": obj{
					"index":   obj{"type": "integer", "description": "记录在数组中的位置，从 0 起；-1 为整个请求"},
					"field":   obj{"type": "string", "description": "出问题的字段；多个字段组成的编号用 + 连接；整条记录时没有"},
					"message": obj{"type": "string"},
				}}},
			"unlisted": obj{"type": "integer", "description": "没有列出的问题数"},
		}},
		"Token": obj{"type": "object", "required": []string{"name", "town", "write", "read"}, "properties": obj{
			"name":  obj{"type": "string"},
			"town":  obj{"type": "string"},
			"write": obj{"type": "array", "items": obj{"type": "string"}, "description": "可写入的记录类别"},
			"read":  obj{"type": "boolean", "description": "能否读取考核结果与预警"},
		}},
		"Result":   resultSchema(),
		"Warnings": warningsSchema(),
		"OpenAPI":  obj{"type": "object", "description": "本文档"},
	}
	for _, k := range app.APIKinds() {
		schemas[recordSchemaName(k.Name)] = recordSchema(k)
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": "gridscore 网格员考核接口", "version": "1",
			"description": "网格E通等应用和网格化平台推送记录、读取考核结果的 JSON 接口。" +
				"令牌由镇街管理员在「账号 · 接口令牌」页创建，只属于一个镇街，限定可写入的记录类别和能否读取；" +
				"请求头 Authorization: Bearer <令牌>。记录的字段与取值见 DATA.md §1，结果见 DATA.md §3。" +
				"每个令牌每秒最多 " + strconv.FormatFloat(s.apiLimits.rate, 'g', -1, 64) + " 次请求，可连续 " + strconv.Itoa(s.apiLimits.burst) + " 次（超过时 429）。"},
		"servers":    []obj{{"url": "/"}},
		"security":   []obj{{"bearer": []string{}}},
		"paths":      paths,
		"components": obj{"schemas": schemas, "securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer"}}},
	}
}

// apiErrorStatus says, per status, when a route answers it.
var apiErrorStatus = map[string]string{
	"400": "请求有误（季度、时点的写法，或请求体不是 JSON 数组）",
	"401": "没有令牌、令牌无效或已吊销",
	"403": "超出令牌的范围：不能写入的类别、不能读取、其他镇街的数据或记录",
	"404": "没有这个地址，或没有这名网格员的结果",
	"413": "请求体超过 8 MB 或超过 10000 条记录",
	"415": "请求体不是 application/json",
	"422": "记录有误：items 逐条列出，没有写入任何记录",
	"429": "请求太频繁（Retry-After 秒后再试）",
}

// apiOperation is the document's operation of a route.
func apiOperation(rt apiRouteDef) obj {
	op := obj{"operationId": operationID(rt), "summary": rt.Summary}
	if rt.Description != "" {
		op["description"] = rt.Description
	}
	var params []obj
	for _, seg := range strings.Split(rt.Path, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			name = strings.TrimSuffix(name, "}")
			params = append(params, obj{"name": name, "in": "path", "required": true,
				"description": apiParams[name], "schema": obj{"type": "string"}})
		}
	}
	for _, name := range rt.Query {
		params = append(params, obj{"name": name, "in": "query", "required": false,
			"description": apiParams[name], "schema": obj{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	responses := obj{"200": obj{"description": "成功", "content": jsonContent(ref(rt.Response))}}
	errs := []string{"401", "429"}
	switch {
	case rt.Open:
		op["security"] = []obj{}
		errs = nil
	case rt.Kind != "":
		errs = append(errs, "400", "403", "413", "415", "422")
		op["requestBody"] = obj{"required": true, "content": jsonContent(obj{"type": "array", "minItems": 1,
			"maxItems": app.MaxAPIItems, "items": ref(recordSchemaName(rt.Kind))})}
	case rt.Read:
		errs = append(errs, "400", "403", "404")
	}
	for _, code := range errs {
		responses[code] = obj{"description": apiErrorStatus[code], "content": jsonContent(ref("Error"))}
	}
	op["responses"] = responses
	return op
}

// operationID names a route's operation: getQuarterResult, pushEvents…
func operationID(rt apiRouteDef) string {
	if rt.Kind != "" {
		return "push" + camel(rt.Kind)
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, seg := range strings.Split(strings.TrimPrefix(rt.Path, apiPrefix+"/"), "/") {
		if !strings.HasPrefix(seg, "{") {
			b.WriteString(camel(strings.TrimSuffix(seg, ".json")))
		}
	}
	return b.String()
}

// camel writes a DATA.md name in CamelCase: worker_id → WorkerId.
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// recordSchemaName is the name of the schema of a record of kind.
func recordSchemaName(kind string) string { return camel(kind) + "Record" }

// recordSchema is the schema of one record of kind k: its keys, each
// typed as the import reads it, the required ones, and nothing else.
func recordSchema(k app.APIKind) obj {
	props := obj{}
	var required, key []string
	for _, f := range k.Fields {
		props[f.Key] = fieldSchema(f)
		if f.Required {
			required = append(required, f.Key)
		}
		if f.InKey {
			key = append(key, f.Key)
		}
	}
	who := "镇街中心的记录"
	if k.Platform {
		who = "网格化平台产生的记录"
	}
	return obj{"type": "object", "title": k.Title, "additionalProperties": false, "required": required,
		"properties": props, "x-record-key": key,
		"description": k.Title + "（" + who + "，DATA.md §1 " + k.Name + "）。编号：" + strings.Join(key, "+") +
			"，编号相同的记录替换已有的记录。选填的字段可以不写或写 null。"}
}

// fieldSchema is the schema of one key of a record.
func fieldSchema(f app.APIField) obj {
	s := obj{"title": f.Title}
	if !f.Required {
		s["nullable"] = true
	}
	switch f.Type {
	case "enum":
		values, codes, labels := enumValues(f.Values)
		s["description"] = "取值：" + strings.Join(labels[:len(f.Values)], "、") + "，写英文代码或中文均可"
		if !f.Required { // null, alongside in the three lists
			values, codes, labels = append(values, nil), append(codes, ""), append(labels, "不填")
		}
		s["type"], s["enum"], s["x-enum-codes"], s["x-enum-descriptions"] = "string", values, codes, labels
	case "boolean":
		s["type"], s["description"] = "boolean", "不写为 false"
	case "date":
		s["type"], s["example"] = "string", "2023-07-03"
		s["description"] = "日期：2023-07-03，也可写 2023/7/3 或 2023年7月3日"
	case "timestamp":
		s["type"], s["example"] = "string", "2023-07-03 09:15"
		s["description"] = "日期时间：2023-07-03 09:15、2023-07-03 09:15:00 或 RFC 3339（2023-07-03T09:15:00+08:00）；没有时区的为北京时间"
	case "integer":
		s["type"] = "integer"
	case "money":
		s["type"], s["multipleOf"], s["description"] = "number", 0.01, "金额（元），最多两位小数"
	default:
		s["type"] = "string"
		if f.MaxLength > 0 {
			s["maxLength"] = f.MaxLength
		}
	}
	if f.Required && f.Type != "boolean" && f.Type != "integer" && f.Type != "money" {
		s["minLength"] = 1
	}
	return s
}

// enumValues lists what a key of a closed set takes, as the reader takes
// it: each English code, then each Chinese label (a record may say
// "type": "专职"), with, for each of them, the code it stands for and its
// Chinese label (the document's x-enum-codes and x-enum-descriptions,
// which run alongside its enum).
func enumValues(vs []app.APIValue) (values []any, codes, labels []string) {
	for _, v := range vs {
		values, codes, labels = append(values, v.Code), append(codes, v.Code), append(labels, v.Title)
	}
	for _, v := range vs {
		values, codes, labels = append(values, v.Title), append(codes, v.Code), append(labels, v.Title)
	}
	return values, codes, labels
}

// resultSchema is the schema of DATA.md §3.
func resultSchema() obj {
	points := obj{"type": "number", "description": "分，最多两位小数"}
	nullable := func(s obj) obj {
		out := obj{"nullable": true}
		for k, v := range s {
			out[k] = v
		}
		return out
	}
	item := func(props obj, required ...string) obj {
		return obj{"type": "object", "properties": props, "required": required}
	}
	strs := obj{"type": "array", "items": obj{"type": "string"}}
	deduction := item(obj{"rule": obj{"type": "string"}, "period": obj{"type": "string"}, "count": obj{"type": "integer"},
		"points": points, "detail": obj{"type": "string"}, "evidence": strs}, "rule", "period", "count", "points", "detail", "evidence")
	warning := item(obj{"rule": obj{"type": "string"}, "period": obj{"type": "string"}, "points": points,
		"due": obj{"type": "string", "format": "date-time"}, "detail": obj{"type": "string"}, "evidence": strs},
		"rule", "period", "points", "due", "detail", "evidence")
	categories := item(obj{"info": points, "events": points, "key_work": points, "discipline": points, "satisfaction": points},
		"info", "events", "key_work", "discipline", "satisfaction")
	worker := item(obj{
		"worker_id": obj{"type": "string"}, "name": obj{"type": "string"}, "type": obj{"type": "string", "enum": []string{"full_time", "part_time"}},
		"town": obj{"type": "string"}, "grid_code": obj{"type": "string"}, "eligible": obj{"type": "boolean"},
		"reason": obj{"type": "string"}, "total": nullable(points), "rank": nullable(obj{"type": "integer"}),
		"categories": nullable(categories), "deductions": obj{"type": "array", "items": deduction}, "flags": strs,
		"pay_yuan": obj{"type": "number", "description": "绩效工资（元）"},
		"warnings": obj{"type": "array", "items": warning, "description": "仅当 as_of 在季度之内时出现（RULES.md §9）"},
	}, "worker_id", "name", "type", "town", "grid_code", "eligible", "reason", "total", "rank", "categories", "deductions", "flags", "pay_yuan")
	return obj{"type": "object", "description": "DATA.md §3 的考核结果", "required": []string{"quarter", "as_of", "scheme", "workers"},
		"properties": obj{"quarter": obj{"type": "string"}, "as_of": obj{"type": "string", "format": "date-time"},
			"scheme": obj{"type": "string"}, "workers": obj{"type": "array", "items": worker}}}
}

// warningsSchema is the schema of the warnings (gridscore warnings
// --format json).
func warningsSchema() obj {
	row := obj{"type": "object", "properties": obj{
		"worker_id": obj{"type": "string"}, "name": obj{"type": "string"}, "type": obj{"type": "string"},
		"grid_code": obj{"type": "string"}, "rule": obj{"type": "string"}, "rule_name": obj{"type": "string"},
		"period": obj{"type": "string"}, "points": obj{"type": "number"}, "due": obj{"type": "string", "format": "date-time"},
		"detail": obj{"type": "string"}, "evidence": obj{"type": "array", "items": obj{"type": "string"}},
	}}
	risk := obj{"type": "object", "properties": obj{"worker_id": obj{"type": "string"}, "name": obj{"type": "string"},
		"grid_code": obj{"type": "string"}, "count": obj{"type": "integer"}, "points": obj{"type": "number"}}}
	return obj{"type": "object", "required": []string{"town", "quarter", "as_of", "scheme", "warnings", "workers"},
		"properties": obj{"town": obj{"type": "string"}, "quarter": obj{"type": "string"},
			"as_of": obj{"type": "string", "format": "date-time"}, "scheme": obj{"type": "string"},
			"note":     obj{"type": "string", "description": "as_of 不在季度内时说明为什么没有预警"},
			"warnings": obj{"type": "array", "items": row}, "workers": obj{"type": "array", "items": risk}}}
}

// jsonContent is the content of a body of JSON with the schema.
func jsonContent(schema obj) obj { return obj{"application/json": obj{"schema": schema}} }

// ref refers to a schema of the document's components.
func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
