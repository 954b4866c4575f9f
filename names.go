package gridscore

// This file is the one place where the Chinese names people read are
// written: rules, score categories, result flags, worker types, record
// kinds, the value sets of DATA.md §1, quarter states and audit actions.
// Every layer (the importer's labels, the engine's sentences, the report,
// the pages) takes its names from here; nothing fills these tables at
// start-up.

// RoleName is the Chinese name of each role.
var RoleName = map[Role]string{
	RoleDistrict:  "区中心",
	RoleTownAdmin: "镇中心管理员",
	RoleTownStaff: "镇中心工作人员",
	RoleWorker:    "网格员",
}

// DistrictWide names the town of a meeting or calendar day without one:
// the district's, for all its towns (DATA.md §1).
const DistrictWide = "全区"

// TownOrDistrict is the name a page shows for the town of a meeting or a
// calendar day: the town, or DistrictWide for none.
func TownOrDistrict(town string) string {
	if town == "" {
		return DistrictWide
	}
	return town
}

// AppealStatusName is the Chinese name of each status.
var AppealStatusName = map[AppealStatus]string{
	AppealPending:  "待处理",
	AppealUpheld:   "已支持（扣分撤销）",
	AppealRejected: "已驳回",
}

// FilingStatusName is the Chinese name of each filing status.
var FilingStatusName = map[FilingStatus]string{
	FilingDone:     "已报备",
	FilingDoneLate: "已报备（逾期）",
	FilingDue:      "未报备",
	FilingLate:     "逾期未报备",
}

// StateName is the Chinese name of each state of a quarter.
var StateName = map[State]string{
	StateOpen:      "进行中",
	StateComputed:  "已计算（审核中）",
	StatePublished: "公示中",
	StateFinalized: "已定稿",
	StateFiled:     "已报备",
}

// WorkerTypeName is the Chinese name of each worker type.
var WorkerTypeName = map[WorkerType]string{
	FullTime: "专职",
	PartTime: "兼职",
}

// NameOr is the name names gives k, or k itself when the table has none:
// how a page or a report shows an id the table does not know, such as a
// rule of a newer scheme in an older build (NameOr(RuleName, r)). It
// serves every table keyed by a string type.
func NameOr[K ~string](names map[K]string, k K) string {
	if n := names[k]; n != "" {
		return n
	}
	return string(k)
}

// TypeName is the Chinese name of a worker type; a type the table does not
// know reads as full-time, the default of RULES.md §0.
func TypeName(t WorkerType) string {
	if t == PartTime {
		return WorkerTypeName[PartTime]
	}
	return WorkerTypeName[FullTime]
}

// CategoryName is the Chinese name of each score category.
var CategoryName = map[CategoryID]string{
	CatInfo:         "信息录入",
	CatEvents:       "事件办理",
	CatKeyWork:      "重点工作",
	CatDiscipline:   "工作纪律",
	CatSatisfaction: "满意率",
}

// RuleName is the short Chinese name of each rule.
var RuleName = map[RuleID]string{
	RuleInfoStale:         "基础信息未及时更新",
	RuleInfoIncomplete:    "基础信息录入不全或有误",
	RuleEventsQuota:       "月事件量不达标",
	RuleEventsBatch:       "月底集中上报",
	RuleEventsYellow:      "黄牌警告",
	RuleEventsRed:         "红牌警告",
	RuleEventsIrregular:   "事件录入不规范",
	RuleEventsOmitGeneral: "一般信息漏报",
	RuleEventsOmitMajor:   "较大信息漏报",
	RuleEventsSeriousLate: "重大信息未在规定时间内上报",
	RuleKeyMissingEntry:   "特殊人群未及时录入",
	RuleKeyVisits:         "特殊人群走访未完成",
	RuleKeyLostControl:    "特殊人群失控",
	RuleDisciplineLogin:   "工作日未登录",
	RuleDisciplineItems:   "平台事项漏处理",
	RuleDisciplinePatrol:  "一日双巡不足",
	RuleDisciplineMeeting: "无故缺席例会培训",
	RuleDisciplineInspect: "暗访发现或群众举报",
	RuleDisciplineDisobey: "不服从工作安排",
	RuleDisciplinePhone:   "网格手机问题",
	RuleDisciplineQuiz:    "应知应会答错",
}

// FlagName is the Chinese name of each result flag.
var FlagName = map[string]string{
	FlagNoBallots:    "本季度无满意度评价",
	FlagInterviewDue: "需约谈",
}

// The record kinds, by the file names of DATA.md §1.
const (
	KindGrids      = "grids"
	KindWorkers    = "workers"
	KindEvents     = "events"
	KindLogins     = "logins"
	KindPatrols    = "patrols"
	KindLeaves     = "leaves"
	KindRegister   = "register"
	KindRosters    = "rosters"
	KindVisits     = "visits"
	KindMeetings   = "meetings"
	KindAttendance = "attendance"
	KindFindings   = "findings"
	KindQuiz       = "quiz"
	KindBallots    = "ballots"
	KindCalendar   = "calendar"
)

// KindName is the Chinese name of each record kind, as DATA.md §1 names
// its file (a file may also be named by it, e.g. 应知应会.csv).
var KindName = map[string]string{
	KindGrids:      "网格",
	KindWorkers:    "网格员",
	KindEvents:     "事件",
	KindLogins:     "登录",
	KindPatrols:    "巡查",
	KindLeaves:     "请假",
	KindRegister:   "特殊人群",
	KindRosters:    "部门名单",
	KindVisits:     "走访",
	KindMeetings:   "会议",
	KindAttendance: "考勤",
	KindFindings:   "核查记录",
	KindQuiz:       "应知应会",
	KindBallots:    "满意度",
	KindCalendar:   "工作日历",
}

// PopulationName is the Chinese name of each special-population category.
var PopulationName = map[Category]string{
	CategoryDrug:       "吸毒人员",
	CategoryCorrection: "社区矫正人员",
	CategoryReleased:   "刑释人员",
	CategoryMental:     "重症精神病患者",
}

// ChannelName is the Chinese name of each login channel.
var ChannelName = map[Channel]string{
	ChannelApp: "网格E通",
	ChannelPC:  "PC端",
}

// FlowName is the Chinese name of each way an event reaches a worker.
var FlowName = map[Flow]string{
	FlowSelfHandled: "自办",
	FlowReported:    "上报",
	FlowAssigned:    "转办",
}

// SeverityName is the Chinese name of each event level.
var SeverityName = map[Severity]string{
	SeverityGeneral: "一般",
	SeverityMajor:   "较大",
	SeveritySerious: "重大",
}

// CardName is the Chinese name of each warning card.
var CardName = map[Card]string{
	CardYellow: "黄牌",
	CardRed:    "红牌",
}

// AttendanceStatusName is the Chinese name of each attendance status.
var AttendanceStatusName = map[AttendanceStatus]string{
	StatusPresent: "出席",
	StatusLeave:   "请假",
	StatusAbsent:  "缺席",
}

// FindingKindName is the Chinese name of each kind of finding.
var FindingKindName = map[FindingKind]string{
	FindingInfoStale:         "基础信息未及时更新",
	FindingInfoIncomplete:    "基础信息录入不全或有误",
	FindingOmitGeneral:       "一般信息漏报",
	FindingOmitMajor:         "较大信息漏报",
	FindingSeriousUnreported: "重大信息未报",
	FindingLostControl:       "人员失控",
	FindingItemsUnhandled:    "平台事项漏处理",
	FindingInspection:        "暗访或举报",
	FindingDisobey:           "不服从安排",
	FindingPhone:             "网格手机",
}

// RaterGroupName is the Chinese name of each group of raters.
var RaterGroupName = map[RaterGroup]string{
	RaterCadre:    "干部",
	RaterResident: "群众",
}

// RatingName is the Chinese name of each rating.
var RatingName = map[Rating]string{
	RatingSatisfied:   "满意",
	RatingBasic:       "基本满意",
	RatingUnsatisfied: "不满意",
}

// DayKindName is the Chinese name of each kind of calendar day.
var DayKindName = map[DayKind]string{
	DayHoliday: "休息日",
	DayWorkday: "工作日",
}

// The actions written to the audit log.
const (
	AuditLogin            = "login"
	AuditLoginFailed      = "login_failed"
	AuditAccountLocked    = "account_locked"
	AuditUserCreated      = "user_created"
	AuditPasswordChanged  = "password_changed"
	AuditUserDisabled     = "user_disabled"
	AuditUserEnabled      = "user_enabled"
	AuditPasswordReset    = "password_reset"
	AuditUserUnlocked     = "user_unlocked"
	AuditUserRoleChange   = "user_role_changed"
	AuditQuarterComputed  = "quarter_computed"
	AuditQuarterPublished = "quarter_published"
	AuditQuarterFinalized = "quarter_finalized"
	AuditQuarterReopened  = "quarter_reopened"
	AuditQuarterFiled     = "quarter_filed"
	AuditQuarterWithdrawn = "quarter_withdrawn"
	AuditDeductionVoided  = "deduction_voided"
	AuditAppealCreated    = "appeal_created"
	AuditAppealUpheld     = "appeal_upheld"
	AuditAppealRejected   = "appeal_rejected"
	AuditRecordCreated    = "record_created"
	AuditRecordUpdated    = "record_updated"
	AuditRecordDeleted    = "record_deleted"
	AuditRecordsImported  = "records_imported"
	// Signed filings (app/filing_signed.go).
	AuditFilingKeyCreated    = "filing_key_created"
	AuditFilingKeyRegistered = "filing_key_registered"
	AuditFilingImported      = "filing_imported"

	// The satisfaction survey (survey.go).
	AuditSurveyOpened       = "survey_opened"
	AuditSurveyClosed       = "survey_closed"
	AuditSurveyPrinted      = "survey_printed"
	AuditSurveyTallyEntered = "survey_tally_entered"
	AuditSurveyTallyDeleted = "survey_tally_deleted"

	// The JSON API (app/api.go).
	AuditAPIWrite        = "api_records_written"
	AuditAPITokenCreated = "api_token_created"
	AuditAPITokenRevoked = "api_token_revoked"

	// Mappings of other systems' export files (app/mappings.go).
	AuditMappingSaved    = "mapping_saved"
	AuditMappingDeleted  = "mapping_deleted"
	AuditMappingImported = "mapping_imported"
)

// AuditActionName is the Chinese name of each audit action, for the audit
// page and its filter.
var AuditActionName = map[string]string{
	AuditLogin:               "登录",
	AuditLoginFailed:         "登录失败",
	AuditAccountLocked:       "账号锁定",
	AuditUserCreated:         "创建账号",
	AuditPasswordChanged:     "修改密码",
	AuditUserDisabled:        "停用账号",
	AuditUserEnabled:         "启用账号",
	AuditPasswordReset:       "重置密码",
	AuditUserUnlocked:        "解除锁定",
	AuditUserRoleChange:      "变更角色",
	AuditQuarterComputed:     "计算季度结果",
	AuditQuarterPublished:    "公示",
	AuditQuarterFinalized:    "定稿",
	AuditQuarterReopened:     "重新打开",
	AuditQuarterFiled:        "报备",
	AuditQuarterWithdrawn:    "撤销计算",
	AuditDeductionVoided:     "撤销扣分",
	AuditAppealCreated:       "提出申诉",
	AuditAppealUpheld:        "支持申诉",
	AuditAppealRejected:      "驳回申诉",
	AuditRecordCreated:       "录入记录",
	AuditRecordUpdated:       "修改记录",
	AuditRecordDeleted:       "删除记录",
	AuditRecordsImported:     "导入数据",
	AuditFilingKeyCreated:    "生成报备签名密钥",
	AuditFilingKeyRegistered: "登记镇街公钥",
	AuditFilingImported:      "导入报备包",

	AuditSurveyOpened:       "发起满意度评价",
	AuditSurveyClosed:       "结束满意度评价",
	AuditSurveyPrinted:      "印制评价票",
	AuditSurveyTallyEntered: "录入纸质评价",
	AuditSurveyTallyDeleted: "删除纸质评价",

	AuditAPIWrite:        "接口写入数据",
	AuditAPITokenCreated: "创建接口令牌",
	AuditAPITokenRevoked: "吊销接口令牌",

	AuditMappingSaved:    "保存导入映射",
	AuditMappingDeleted:  "删除导入映射",
	AuditMappingImported: "导入映射文件",
}

// BallotSourceName is the Chinese name of each source of ballots.
var BallotSourceName = map[BallotSource]string{
	SourceQR:     "扫码",
	SourcePaper:  "纸质",
	SourceImport: "导入",
}

// CampaignStateName is the Chinese name of each state of a survey campaign.
var CampaignStateName = map[CampaignState]string{
	CampaignPending: "未开始",
	CampaignOpen:    "进行中",
	CampaignClosed:  "已结束",
}

// RaterGroupLongName is the full Chinese name of each group of raters, as
// the survey's ballots and forms say it (RULES.md §6).
var RaterGroupLongName = map[RaterGroup]string{
	RaterCadre:    "村社区干部",
	RaterResident: "居民群众",
}
