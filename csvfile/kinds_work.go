package csvfile

import (
	"strconv"

	"github.com/gridscore/gridscore"
)

// This file defines the kinds that record the workers' work: events,
// logins, patrols, leave, findings, quizzes and ballots.

var (
	evID        = req("event_id", "事件编号")
	evWorker    = req("worker_id", "工号")
	evFlow      = req("flow", "办理方式")
	evSeverity  = opt("severity", "事件等级")
	evCategory  = opt("category", "事件类别")
	evOccurred  = opt("occurred_at", "发生时间")
	evReported  = req("reported_at", "上报时间")
	evDeadline  = opt("deadline", "办结时限")
	evClosed    = opt("closed_at", "办结时间")
	evCard      = opt("card", "警告")
	evIrregular = opt("irregular", "录入不规范")
)

var eventsKind = &kind{
	name: gridscore.KindEvents, zh: gridscore.KindName[gridscore.KindEvents],
	cols:    []*column{evID, evWorker, evFlow, evSeverity, evCategory, evOccurred, evReported, evDeadline, evClosed, evCard, evIrregular},
	keyCols: []*column{evID},
	parse: func(r *row) {
		e := gridscore.Event{
			ID:         r.text(evID),
			WorkerID:   r.text(evWorker),
			Flow:       gridscore.Flow(r.enum(evFlow, flows)),
			Severity:   gridscore.Severity(r.enum(evSeverity, severities)),
			Category:   r.text(evCategory),
			OccurredAt: r.timestamp(evOccurred),
			ReportedAt: r.timestamp(evReported),
			Deadline:   r.timestamp(evDeadline),
			ClosedAt:   r.timestamp(evClosed),
			Card:       gridscore.Card(r.enum(evCard, cards)),
			Irregular:  r.boolean(evIrregular),
		}
		if e.Severity == "" {
			e.Severity = gridscore.SeverityGeneral
		}
		if e.OccurredAt.IsZero() && r.raw(evOccurred) == "" {
			e.OccurredAt = e.ReportedAt
		}
		r.check(e.Validate())
		add(r, &r.b.batch.Records.Events, &r.b.batch.Origins.Events, e.ID, e)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Events) },
	format: func(recs *gridscore.Records, i int, out []string) {
		e := &recs.Events[i]
		out[evID.pos] = e.ID
		out[evWorker.pos] = e.WorkerID
		out[evFlow.pos] = flows.label(string(e.Flow))
		out[evSeverity.pos] = severities.label(string(e.Severity))
		out[evCategory.pos] = e.Category
		out[evOccurred.pos] = formatTime(e.OccurredAt)
		out[evReported.pos] = formatTime(e.ReportedAt)
		out[evDeadline.pos] = formatTime(e.Deadline)
		out[evClosed.pos] = formatTime(e.ClosedAt)
		out[evCard.pos] = cards.label(string(e.Card))
		out[evIrregular.pos] = formatBool(e.Irregular)
	},
}

var (
	lgWorker  = req("worker_id", "工号")
	lgChannel = req("channel", "登录端")
	lgAt      = req("at", "登录时间")
)

var loginsKind = &kind{
	name: gridscore.KindLogins, zh: gridscore.KindName[gridscore.KindLogins],
	cols:    []*column{lgWorker, lgChannel, lgAt},
	keyCols: []*column{lgWorker, lgChannel, lgAt},
	parse: func(r *row) {
		l := gridscore.Login{WorkerID: r.text(lgWorker), Channel: gridscore.Channel(r.enum(lgChannel, channels)), At: r.timestamp(lgAt)}
		r.check(l.Validate())
		add(r, &r.b.batch.Records.Logins, &r.b.batch.Origins.Logins, keyOf(l.WorkerID, string(l.Channel), formatTime(l.At)), l)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Logins) },
	format: func(recs *gridscore.Records, i int, out []string) {
		l := &recs.Logins[i]
		out[lgWorker.pos], out[lgChannel.pos], out[lgAt.pos] = l.WorkerID, channels.label(string(l.Channel)), formatTime(l.At)
	},
}

var (
	paID       = req("patrol_id", "巡查编号")
	paWorker   = req("worker_id", "工号")
	paStarted  = req("started_at", "开始时间")
	paEnded    = opt("ended_at", "结束时间")
	paDistance = opt("distance_m", "里程米")
)

var patrolsKind = &kind{
	name: gridscore.KindPatrols, zh: gridscore.KindName[gridscore.KindPatrols],
	cols:    []*column{paID, paWorker, paStarted, paEnded, paDistance},
	keyCols: []*column{paID},
	parse: func(r *row) {
		p := gridscore.Patrol{
			ID:        r.text(paID),
			WorkerID:  r.text(paWorker),
			StartedAt: r.timestamp(paStarted),
			EndedAt:   r.timestamp(paEnded),
			DistanceM: r.integer(paDistance, 0),
		}
		r.check(p.Validate())
		add(r, &r.b.batch.Records.Patrols, &r.b.batch.Origins.Patrols, p.ID, p)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Patrols) },
	format: func(recs *gridscore.Records, i int, out []string) {
		p := &recs.Patrols[i]
		out[paID.pos], out[paWorker.pos] = p.ID, p.WorkerID
		out[paStarted.pos], out[paEnded.pos] = formatTime(p.StartedAt), formatTime(p.EndedAt)
		out[paDistance.pos] = strconv.FormatInt(p.DistanceM, 10)
	},
}

var (
	lvWorker = req("worker_id", "工号")
	lvFrom   = req("from", "开始日期")
	lvTo     = req("to", "结束日期")
	lvReason = opt("reason", "事由")
)

var leavesKind = &kind{
	name: gridscore.KindLeaves, zh: gridscore.KindName[gridscore.KindLeaves],
	cols:    []*column{lvWorker, lvFrom, lvTo, lvReason},
	keyCols: []*column{lvWorker, lvFrom},
	parse: func(r *row) {
		l := gridscore.Leave{WorkerID: r.text(lvWorker), From: r.date(lvFrom), To: r.date(lvTo), Reason: r.text(lvReason)}
		r.check(l.Validate())
		add(r, &r.b.batch.Records.Leaves, &r.b.batch.Origins.Leaves, keyOf(l.WorkerID, l.From.String()), l)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Leaves) },
	format: func(recs *gridscore.Records, i int, out []string) {
		l := &recs.Leaves[i]
		out[lvWorker.pos], out[lvFrom.pos], out[lvTo.pos], out[lvReason.pos] = l.WorkerID, l.From.String(), l.To.String(), l.Reason
	},
}

var (
	fiID       = req("finding_id", "记录编号")
	fiWorker   = req("worker_id", "工号")
	fiKind     = req("kind", "类型")
	fiOccurred = req("occurred_on", "发现日期")
	fiCount    = opt("count", "次数")
	fiNote     = opt("note", "说明")
	fiEvidence = opt("evidence", "佐证")
)

var findingsKind = &kind{
	name: gridscore.KindFindings, zh: gridscore.KindName[gridscore.KindFindings],
	cols:    []*column{fiID, fiWorker, fiKind, fiOccurred, fiCount, fiNote, fiEvidence},
	keyCols: []*column{fiID},
	parse: func(r *row) {
		f := gridscore.Finding{
			ID:         r.text(fiID),
			WorkerID:   r.text(fiWorker),
			Kind:       gridscore.FindingKind(r.enum(fiKind, findingKinds)),
			OccurredOn: r.date(fiOccurred),
			Count:      int(r.integer(fiCount, 1)),
			Note:       r.text(fiNote),
			Evidence:   r.text(fiEvidence),
		}
		r.check(f.Validate())
		add(r, &r.b.batch.Records.Findings, &r.b.batch.Origins.Findings, f.ID, f)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Findings) },
	format: func(recs *gridscore.Records, i int, out []string) {
		f := &recs.Findings[i]
		out[fiID.pos] = f.ID
		out[fiWorker.pos] = f.WorkerID
		out[fiKind.pos] = findingKinds.label(string(f.Kind))
		out[fiOccurred.pos] = f.OccurredOn.String()
		out[fiCount.pos] = strconv.Itoa(f.Count)
		out[fiNote.pos] = f.Note
		out[fiEvidence.pos] = f.Evidence
	},
}

var (
	qzID     = req("quiz_id", "抽查编号")
	qzWorker = req("worker_id", "工号")
	qzTaken  = req("taken_on", "抽查日期")
	qzWrong  = req("wrong_answers", "答错处数")
)

var quizKind = &kind{
	name: gridscore.KindQuiz, zh: gridscore.KindName[gridscore.KindQuiz],
	cols:    []*column{qzID, qzWorker, qzTaken, qzWrong},
	keyCols: []*column{qzID},
	parse: func(r *row) {
		q := gridscore.Quiz{ID: r.text(qzID), WorkerID: r.text(qzWorker), TakenOn: r.date(qzTaken), WrongAnswers: int(r.integer(qzWrong, 0))}
		r.check(q.Validate())
		add(r, &r.b.batch.Records.Quizzes, &r.b.batch.Origins.Quizzes, q.ID, q)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Quizzes) },
	format: func(recs *gridscore.Records, i int, out []string) {
		q := &recs.Quizzes[i]
		out[qzID.pos], out[qzWorker.pos] = q.ID, q.WorkerID
		out[qzTaken.pos], out[qzWrong.pos] = q.TakenOn.String(), strconv.Itoa(q.WrongAnswers)
	},
}

var (
	baID     = req("ballot_id", "评价编号")
	baWorker = req("worker_id", "工号")
	baGroup  = req("rater_group", "评价人类别")
	baRating = req("rating", "评价")
	baCast   = req("cast_at", "评价时间")
)

var ballotsKind = &kind{
	name: gridscore.KindBallots, zh: gridscore.KindName[gridscore.KindBallots],
	cols:    []*column{baID, baWorker, baGroup, baRating, baCast},
	keyCols: []*column{baID},
	parse: func(r *row) {
		b := gridscore.Ballot{
			ID:         r.text(baID),
			WorkerID:   r.text(baWorker),
			RaterGroup: gridscore.RaterGroup(r.enum(baGroup, raterGroups)),
			Rating:     gridscore.Rating(r.enum(baRating, ratings)),
			CastAt:     r.timestamp(baCast),
		}
		r.check(b.Validate())
		add(r, &r.b.batch.Records.Ballots, &r.b.batch.Origins.Ballots, b.ID, b)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Ballots) },
	format: func(recs *gridscore.Records, i int, out []string) {
		b := &recs.Ballots[i]
		out[baID.pos], out[baWorker.pos] = b.ID, b.WorkerID
		out[baGroup.pos], out[baRating.pos] = raterGroups.label(string(b.RaterGroup)), ratings.label(string(b.Rating))
		out[baCast.pos] = formatTime(b.CastAt)
	},
}
