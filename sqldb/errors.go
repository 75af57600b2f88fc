package sqldb

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"xiezuo"
)

// violation is a driver failure the user can act on, whichever database reported it.
type violation int

const (
	otherFailure violation = iota
	uniqueViolation
	checkViolation
	foreignKeyViolation
	valueOutOfRange
	diskFull
	rolledBack // the database rolled the transaction back by itself (SQLite, on a full disk)
)

// tableNames names the tables as users know what they hold.
var tableNames = map[string]string{
	"documents":             "文件",
	"plans":                 "计划",
	"units":                 "单位",
	"unit_aliases":          "单位别名",
	"plan_units":            "计划的单位",
	"partner_regions":       "协作地区",
	"plan_regions":          "计划的协作地区",
	"sections":              "部分",
	"work_points":           "工作要点",
	"work_point_units":      "工作要点的责任单位",
	"work_teams":            "工作专班",
	"work_team_leads":       "工作专班的牵头部门",
	"tasks":                 "任务",
	"task_requirements":     "任务的具体要求",
	"task_units":            "任务的责任部门",
	"group_members":         "领导小组成员单位",
	"duty_assignments":      "交办",
	"duty_assignment_units": "交办的单位",
	"coverage_overrides":    "任务对应的工作要点",
	"task_deadlines":        "任务的完成日期",
	"projects":              "项目",
	"subtotals":             "小计",
	"users":                 "账号",
	"user_roles":            "账号的角色",
	"user_regions":          "账号的协作地区",
	"sessions":              "会话",
	"api_tokens":            "API 令牌",
	"settings":              "设置",
	"audit_log":             "审计日志",
	"reminder_channels":     "提醒渠道",
	"smtp_settings":         "SMTP 设置",
	"job_runs":              "定时任务",
	"reminders":             "站内提醒",
	"reminder_outbox":       "提醒消息",

	// Reports (sqldb/report.go).
	"reports":          "进展报告",
	"report_versions":  "进展报告的版本",
	"report_reviews":   "进展报告的审核",
	"duty_closures":    "销号记录",
	"idempotency_keys": "幂等键",

	// Evidence files of reports (sqldb/evidence.go).
	"report_evidence": "进展报告的证明材料",
}

// constraintMessages says what a named constraint means, where the table name is not enough.
var constraintMessages = map[string]string{
	"plans_district_year_key":         "该区该年度的计划已存在",
	"units_district_name_key":         "该区已有同名单位",
	"unit_aliases_district_alias_key": "该区已有单位使用这个别名",
	"units_kind_check":                "单位类别不正确，应为 office、department、town、cadre、partner、enterprise、social、school、hospital 或 group",
	"work_point_units_role_check":     "责任单位的角色不正确，应为牵头（lead）或配合（cooperating）",
	"task_units_role_check":           "责任部门的角色不正确，应为牵头（lead）或配合（cooperating）",
	"subtotals_level_check":           "小计行的层级不正确，应为合计（total）、地区（region）或类别（category）",
	"users_username_key":              "登录名已被其他账号使用",
	"users_phone_index_key":           "该手机号码已被其他账号使用",
	"user_roles_role_check":           "角色不正确",
	"api_tokens_token_hash_key":       "API 令牌与已有令牌重复，请重新生成",

	// Account requests (sqldb/request.go).
	"account_requests_pending_key": "该账号已有一项同类申请待安全管理员处理",
}

// DiskFullMessage is what a user is told when the database's disk is full: nothing was saved.
const DiskFullMessage = "保存失败：服务器的磁盘空间已满，本次内容没有保存。请联系系统管理员清理磁盘后再提交一次"

// RolledBackMessage is what a user is told when the database gave up the transaction by itself
// (SQLite does on a full disk or a failed write): nothing was saved.
const RolledBackMessage = "保存失败：数据库未能写入（磁盘已满或读写出错），本次内容没有保存。请稍后再提交一次；如仍不成，请联系系统管理员"

// translate turns a driver failure the user can act on into a *xiezuo.Error with a Chinese
// message, keeping the driver error in the chain for the log. Domain errors and failures
// the user cannot act on pass unchanged: xiezuo.ErrorMessage shows those as a generic message.
func translate(err error) error {
	var e *xiezuo.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	v, table, constraint := classify(err)
	if v == otherFailure {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "3D000" { // invalid_catalog_name: at connect
			return fmt.Errorf("%w: %w", xiezuo.Errorf(xiezuo.ENOTFOUND,
				"PostgreSQL 上没有连接地址所指的数据库：请先创建（如 createdb 或 CREATE DATABASE），或检查地址中的库名"), err)
		}
		if Unavailable(err) {
			return fmt.Errorf("%w: %w", ErrFailover, err)
		}
		return err
	}
	what := tableNames[table]
	if what == "" {
		what = "数据"
	}
	var domain *xiezuo.Error
	switch v {
	case uniqueViolation:
		domain = xiezuo.Errorf(xiezuo.ECONFLICT, "保存失败：%s与已有记录重复", what)
	case checkViolation:
		domain = xiezuo.Errorf(xiezuo.EINVALID, "保存失败：%s不符合要求", what)
	case foreignKeyViolation:
		domain = xiezuo.Errorf(xiezuo.ECONFLICT, "保存失败：%s与其他记录的关联不一致", what)
	case valueOutOfRange:
		domain = xiezuo.Errorf(xiezuo.EINVALID, "保存失败：%s中有数值或文字超出允许的范围", what)
	case diskFull:
		return fmt.Errorf("%w: %w", xiezuo.Errorf(xiezuo.EUNAVAILABLE, DiskFullMessage), err)
	case rolledBack:
		return fmt.Errorf("%w: %w", xiezuo.Errorf(xiezuo.EUNAVAILABLE, RolledBackMessage), err)
	}
	if m, ok := constraintMessages[constraint]; ok {
		domain.Message = "保存失败：" + m
	}
	return fmt.Errorf("%w: %w", domain, err)
}

// classify reads the kind of a driver failure, and the table and constraint it names when
// the driver says.
func classify(err error) (v violation, table, constraint string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			v = uniqueViolation
		case "23514", "23502":
			v = checkViolation
		case "23503":
			v = foreignKeyViolation
		case "22001", "22003", "22008", "22007":
			v = valueOutOfRange
		case "53100": // disk_full
			v = diskFull
		}
		return v, pe.TableName, pe.ConstraintName
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return otherFailure, "", ""
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		v = uniqueViolation
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		v = checkViolation
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		v = foreignKeyViolation
	case sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_RANGE:
		v = valueOutOfRange
	case sqlite3.SQLITE_FULL:
		return diskFull, "", ""
	case sqlite3.SQLITE_ERROR:
		// SQLite rolls a transaction back by itself when a statement in it fails on a full disk
		// or an I/O error; the commit then finds none. Nothing was saved.
		if strings.Contains(se.Error(), "no transaction is active") {
			return rolledBack, "", ""
		}
		return otherFailure, "", ""
	default:
		return otherFailure, "", ""
	}
	// SQLite names the columns of a unique or not-null failure ("UNIQUE constraint failed:
	// units.district, units.name") and the name of a failed CHECK ("CHECK constraint
	// failed: units_kind_check").
	msg := se.Error()
	if i := strings.LastIndex(msg, "constraint failed: "); i >= 0 {
		detail := msg[i+len("constraint failed: "):]
		detail, _, _ = strings.Cut(detail, " (")
		if t, _, ok := strings.Cut(detail, "."); ok {
			table = t
			if v == uniqueViolation {
				constraint = sqliteUniqueConstraints[detail]
			}
		} else {
			constraint = strings.TrimSpace(detail)
			for t := range tableNames {
				if strings.HasPrefix(constraint, t+"_") && len(t) > len(table) {
					table = t
				}
			}
		}
	}
	return v, table, constraint
}

// sqliteUniqueConstraints names SQLite's unique failures as PostgreSQL names them.
var sqliteUniqueConstraints = map[string]string{
	"plans.district, plans.year":                "plans_district_year_key",
	"units.district, units.name":                "units_district_name_key",
	"unit_aliases.district, unit_aliases.alias": "unit_aliases_district_alias_key",
	"users.username":                            "users_username_key",
	"users.phone_index":                         "users_phone_index_key",
	"api_tokens.token_hash":                     "api_tokens_token_hash_key",

	// Account requests (sqldb/request.go).
	"account_requests.user_id, account_requests.kind": "account_requests_pending_key",
}
