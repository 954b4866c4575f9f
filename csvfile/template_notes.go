package csvfile

// columnMeaning says in Chinese what each column of DATA.md §1 holds, for
// the second row of the import templates (see Template). What a value must
// look like (required or not, the accepted values, the date forms) is added
// from how the kind reads the column.
var columnMeaning = map[*column]string{
	grCode:      "网格在平台上的编码，每个网格一行",
	grName:      "网格的名称，如 青山村第一网格",
	grCommunity: "网格所在的村或社区",
	grTown:      "网格所属镇街的名称，与账号的镇街一致",

	wkID:        "网格员工号，每人一行，与平台一致",
	wkName:      "网格员姓名",
	wkType:      "专职或兼职网格员",
	wkStationed: "是否在居委会驻地办公",
	wkGrid:      "所在网格的网格编码（见“网格”表）",
	wkHired:     "入职日期",
	wkLeft:      "离职日期；在职的留空",
	wkPhone:     "手机号，选填",
	wkMonthly:   "每月绩效工资金额（元），用于计算绩效；留空按考核方案的默认金额",
	wkQuarterly: "每季度补助金额（元）；留空按考核方案的默认金额",

	rgPerson:   "特殊人群人员在平台上的编号，每人一行",
	rgCategory: "人群类别",
	rgGrid:     "人员所在网格的网格编码",
	rgEntered:  "录入平台的时间",
	rgLeft:     "移出（不再管控）的时间；仍在管控的留空",
	rgName:     "姓名；只有管理员看得到完整姓名",
	rgIDNumber: "身份证号；只有管理员看得到完整号码",

	roPerson:   "部门名单上人员的编号（与特殊人群表一致）",
	roCategory: "人群类别",
	roGrid:     "人员所在网格的网格编码",
	roListed:   "列入部门名单的日期",
	roDept:     "提供名单的部门，如公安、司法所",

	viID:      "走访记录在平台上的编号",
	viPerson:  "被走访人员的编号（见“特殊人群”表）",
	viWorker:  "走访的网格员工号",
	viVisited: "走访的时间",
	viNote:    "走访情况，选填",

	mtID:    "会议或培训的编号",
	mtHeld:  "会议日期",
	mtTitle: "会议的名称，如 7月网格员例会",
	mtKind:  "会议类型，如例会、培训，选填",
	mtTown:  "召开会议的镇街；区里召开的会议留空（只有区中心和命令行能写）",

	atMeeting: "会议编号（见“会议”表）",
	atWorker:  "网格员工号",
	atStatus:  "出勤情况",

	caDate: "日期",
	caKind: "这一天是休息日还是工作日（调休上班填工作日）",
	caName: "说明，如国庆节、调休",
	caTown: "只对本镇街有效时填镇街名称；全区统一的留空（只有区中心和命令行能写）",

	evID:        "事件在平台上的编号，每个事件一行",
	evWorker:    "上报或办理事件的网格员工号",
	evFlow:      "事件的办理方式",
	evSeverity:  "事件等级，留空为一般",
	evCategory:  "事件类别，如治安、环境，选填",
	evOccurred:  "事件发生的时间，留空按上报时间",
	evReported:  "在平台上上报的时间",
	evDeadline:  "办结时限；没有时限的留空",
	evClosed:    "办结的时间；尚未办结的留空",
	evCard:      "平台对该事件的黄牌、红牌警告；没有的留空",
	evIrregular: "事件录入是否不规范",

	lgWorker:  "登录的网格员工号",
	lgChannel: "登录的端",
	lgAt:      "登录的时间",

	paID:       "巡查记录在平台上的编号",
	paWorker:   "巡查的网格员工号",
	paStarted:  "巡查开始的时间",
	paEnded:    "巡查结束的时间；没有结束的留空（不计入巡查时长）",
	paDistance: "巡查里程，单位米，选填",

	lvWorker: "请假的网格员工号",
	lvFrom:   "请假的第一天",
	lvTo:     "请假的最后一天（含这一天）",
	lvReason: "请假事由，选填",

	fiID:       "核查记录的编号",
	fiWorker:   "被核查的网格员工号",
	fiKind:     "核查发现的问题类型",
	fiOccurred: "发现问题的日期",
	fiCount:    "发现的次数，留空为 1",
	fiNote:     "说明，选填",
	fiEvidence: "佐证材料的名称或编号，选填",

	qzID:     "应知应会抽查的编号",
	qzWorker: "被抽查的网格员工号",
	qzTaken:  "抽查日期",
	qzWrong:  "答错的处数，全对填 0",

	baID:     "每张评价表一个编号",
	baWorker: "被评价的网格员工号",
	baGroup:  "评价人是村社区干部还是群众",
	baRating: "评价结果",
	baCast:   "评价的时间",
}
