package gridscore

import "time"

// WorkerType is full-time (专职) or part-time (兼职).
type WorkerType string

// Worker types.
const (
	FullTime WorkerType = "full_time"
	PartTime WorkerType = "part_time"
)

// WorkerTypes lists the worker types in the order DATA.md gives them.
var WorkerTypes = []WorkerType{FullTime, PartTime}

// Grid is one grid (网格) of a town.
type Grid struct {
	Code      string
	Name      string
	Community string
	Town      string
}

// Worker is a grid worker (网格员). LeftOn is the last day in post, zero while
// the worker is still in post. The pay amounts are optional per-worker
// overrides of the scheme's defaults (nil = use the scheme's).
type Worker struct {
	ID                    string
	Name                  string
	Type                  WorkerType
	Stationed             bool
	GridCode              string
	HiredOn               Date
	LeftOn                Date
	Phone                 string
	MonthlyPerformanceFen *Fen
	QuarterlySubsidyFen   *Fen
}

// InPost reports whether the worker is in post on day d (RULES.md §0).
func (w *Worker) InPost(d Date) bool {
	return w.HiredOn <= d && (w.LeftOn.IsZero() || d <= w.LeftOn)
}

// Flow is how an event reached the worker.
type Flow string

// Event flows.
const (
	FlowSelfHandled Flow = "self_handled" // 网格自办
	FlowReported    Flow = "reported"     // 上报
	FlowAssigned    Flow = "assigned"     // 上级转办
)

// Flows lists the event flows in the order DATA.md gives them.
var Flows = []Flow{FlowSelfHandled, FlowReported, FlowAssigned}

// Severity is an event's level.
type Severity string

// Event severities.
const (
	SeverityGeneral Severity = "general" // 一般
	SeverityMajor   Severity = "major"   // 较大
	SeveritySerious Severity = "serious" // 重大
)

// Severities lists the event severities from the least to the most severe.
var Severities = []Severity{SeverityGeneral, SeverityMajor, SeveritySerious}

// Card is a warning the platform issues on a late event.
type Card string

// Cards; CardNone is the empty card.
const (
	CardNone   Card = ""
	CardYellow Card = "yellow"
	CardRed    Card = "red"
)

// Cards lists the warning cards an event may carry (besides CardNone).
var Cards = []Card{CardYellow, CardRed}

// Event is one event (事件) entered by a worker. Deadline and ClosedAt are
// zero when absent (no deadline; still open).
type Event struct {
	ID         string
	WorkerID   string
	Flow       Flow
	Severity   Severity
	Category   string
	OccurredAt time.Time
	ReportedAt time.Time
	Deadline   time.Time
	ClosedAt   time.Time
	Card       Card
	Irregular  bool
}

// Channel is a login channel.
type Channel string

// Login channels.
const (
	ChannelApp Channel = "app" // 网格E通
	ChannelPC  Channel = "pc"  // PC端
)

// Channels lists the login channels in the order DATA.md gives them.
var Channels = []Channel{ChannelApp, ChannelPC}

// Login is one login of a worker on a channel.
type Login struct {
	WorkerID string
	Channel  Channel
	At       time.Time
}

// Patrol is one patrol (巡查). EndedAt is zero for a patrol with no end.
type Patrol struct {
	ID        string
	WorkerID  string
	StartedAt time.Time
	EndedAt   time.Time
	DistanceM int64
}

// Leave is approved leave from From to To, both inclusive.
type Leave struct {
	WorkerID string
	From     Date
	To       Date
	Reason   string
}

// Category is a special-population category (特殊人群类别).
type Category string

// Special-population categories.
const (
	CategoryDrug       Category = "drug"       // 吸毒人员
	CategoryCorrection Category = "correction" // 社区矫正人员
	CategoryReleased   Category = "released"   // 刑释人员
	CategoryMental     Category = "mental"     // 重症精神病患者
)

// Categories lists the special-population categories in display order.
var Categories = []Category{CategoryDrug, CategoryCorrection, CategoryReleased, CategoryMental}

// Person is a special-population person on the register (特殊人群登记).
// LeftAt is zero while the person is still on the register. Name and IDNumber
// are personal data: shown masked to everyone who does not need them in full.
type Person struct {
	PersonID  string
	Category  Category
	GridCode  string
	EnteredAt time.Time
	LeftAt    time.Time
	Name      string
	IDNumber  string
}

// RosterRow is one row of a department's roster (职能部门名单): a person who
// must be on the register.
type RosterRow struct {
	PersonID   string
	Category   Category
	GridCode   string
	ListedOn   Date
	Department string
}

// Visit is one visit (走访) to a special-population person.
type Visit struct {
	ID        string
	PersonID  string
	WorkerID  string
	VisitedAt time.Time
	Note      string
}

// Meeting is a regular meeting or training (例会、培训). Town is the town
// that holds it; "" is a meeting of the district (DATA.md §1).
type Meeting struct {
	ID     string
	HeldOn Date
	Title  string
	Kind   string
	Town   string
}

// AttendanceStatus is how a worker attended a meeting.
type AttendanceStatus string

// Attendance statuses.
const (
	StatusPresent AttendanceStatus = "present" // 出席
	StatusLeave   AttendanceStatus = "leave"   // 请假
	StatusAbsent  AttendanceStatus = "absent"  // 缺席
)

// AttendanceStatuses lists the attendance statuses in the order DATA.md
// gives them.
var AttendanceStatuses = []AttendanceStatus{StatusPresent, StatusLeave, StatusAbsent}

// Attendance is one worker's attendance at one meeting.
type Attendance struct {
	MeetingID string
	WorkerID  string
	Status    AttendanceStatus
}

// FindingKind is the kind of a finding (核查记录类型).
type FindingKind string

// Finding kinds (DATA.md §1).
const (
	FindingInfoStale         FindingKind = "info_stale"
	FindingInfoIncomplete    FindingKind = "info_incomplete"
	FindingOmitGeneral       FindingKind = "omit_general"
	FindingOmitMajor         FindingKind = "omit_major"
	FindingSeriousUnreported FindingKind = "serious_unreported"
	FindingLostControl       FindingKind = "lost_control"
	FindingItemsUnhandled    FindingKind = "items_unhandled"
	FindingInspection        FindingKind = "inspection"
	FindingDisobey           FindingKind = "disobey"
	FindingPhone             FindingKind = "phone"
)

// FindingKinds lists every finding kind.
var FindingKinds = []FindingKind{
	FindingInfoStale, FindingInfoIncomplete, FindingOmitGeneral, FindingOmitMajor,
	FindingSeriousUnreported, FindingLostControl, FindingItemsUnhandled,
	FindingInspection, FindingDisobey, FindingPhone,
}

// Finding is a fact only a person can establish: an inspection, a check of
// the register, a complaint. Count is at least 1.
type Finding struct {
	ID         string
	WorkerID   string
	Kind       FindingKind
	OccurredOn Date
	Count      int
	Note       string
	Evidence   string
}

// Quiz is one spot check of the handbook (应知应会抽查).
type Quiz struct {
	ID           string
	WorkerID     string
	TakenOn      Date
	WrongAnswers int
}

// RaterGroup is who cast a satisfaction ballot.
type RaterGroup string

// Rater groups.
const (
	RaterCadre    RaterGroup = "cadre"    // 村社区干部
	RaterResident RaterGroup = "resident" // 居民群众
)

// RaterGroups lists the rater groups in the order DATA.md gives them.
var RaterGroups = []RaterGroup{RaterCadre, RaterResident}

// Rating is a satisfaction rating.
type Rating string

// Ratings.
const (
	RatingSatisfied   Rating = "satisfied"   // 满意
	RatingBasic       Rating = "basic"       // 基本满意
	RatingUnsatisfied Rating = "unsatisfied" // 不满意
)

// Ratings lists the ratings from the best to the worst.
var Ratings = []Rating{RatingSatisfied, RatingBasic, RatingUnsatisfied}

// Ballot is one satisfaction ballot about a worker.
type Ballot struct {
	ID         string
	WorkerID   string
	RaterGroup RaterGroup
	Rating     Rating
	CastAt     time.Time
}

// DayKind says whether a calendar override makes a date a workday or not.
type DayKind string

// Calendar day kinds.
const (
	DayHoliday DayKind = "holiday" // 休息日
	DayWorkday DayKind = "workday" // 工作日
)

// DayKinds lists the kinds of calendar day in the order DATA.md gives them.
var DayKinds = []DayKind{DayHoliday, DayWorkday}

// CalendarDay is a center's own override of one date. Town is the town
// whose workers it concerns; "" is a day the district sets for all its
// towns, which a town's own day of the same date overrides (RULES.md §0).
// Its key is Date and Town.
type CalendarDay struct {
	Date Date
	Kind DayKind
	Name string
	Town string
}

// Records is a set of records of every kind: what an import brings in and
// what the engine assesses.
type Records struct {
	Grids      []Grid
	Workers    []Worker
	Events     []Event
	Logins     []Login
	Patrols    []Patrol
	Leaves     []Leave
	Register   []Person
	Rosters    []RosterRow
	Visits     []Visit
	Meetings   []Meeting
	Attendance []Attendance
	Findings   []Finding
	Quizzes    []Quiz
	Ballots    []Ballot
	Calendar   []CalendarDay
}
