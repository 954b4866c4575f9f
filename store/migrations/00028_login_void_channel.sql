-- A voided or appealed discipline.login deduction names its channel
-- (RULES.md §0 and §8: one deduction is voided, not every one of its day).
-- A login deduction rests on no record, so its evidence_key was '-' for
-- both channels of a day, and voiding one voided both. It becomes '-'
-- followed by the channel: '-app' (网格E通) or '-pc' (PC端); the other
-- rules keep their keys (store/quarters.go, evidenceValue).
--
-- A void stored before named both channels of its day and voided both:
-- it becomes two voids, one per channel, so every result stays as it was.
-- An appeal stored before becomes the app channel's: app is the channel
-- every worker needs (pc only the full-time stationed ones), so it is the
-- deduction the appeal could be against whatever the worker's type.

-- +goose Up
INSERT INTO voided_deductions (town, quarter, worker_id, rule, period, evidence_key, reason, voided_by, voided_at)
SELECT town, quarter, worker_id, rule, period, '-app', reason, voided_by, voided_at
  FROM voided_deductions WHERE rule = 'discipline.login' AND evidence_key = '-';
INSERT INTO voided_deductions (town, quarter, worker_id, rule, period, evidence_key, reason, voided_by, voided_at)
SELECT town, quarter, worker_id, rule, period, '-pc', reason, voided_by, voided_at
  FROM voided_deductions WHERE rule = 'discipline.login' AND evidence_key = '-';
DELETE FROM voided_deductions WHERE rule = 'discipline.login' AND evidence_key = '-';
UPDATE appeals SET evidence_key = '-app' WHERE rule = 'discipline.login' AND evidence_key = '-';

-- +goose Down
-- The old key cannot tell the channels apart: a day with either channel
-- voided gets one '-' void (the app one's reason if there is one), which
-- voids both again, and every appeal against a login deduction is against
-- the day's.
INSERT INTO voided_deductions (town, quarter, worker_id, rule, period, evidence_key, reason, voided_by, voided_at)
SELECT v.town, v.quarter, v.worker_id, v.rule, v.period, '-', v.reason, v.voided_by, v.voided_at
  FROM voided_deductions v
 WHERE v.rule = 'discipline.login' AND v.evidence_key IN ('-app', '-pc')
   AND NOT EXISTS (SELECT 1 FROM voided_deductions o
                    WHERE o.town = v.town AND o.quarter = v.quarter AND o.worker_id = v.worker_id
                      AND o.rule = v.rule AND o.period = v.period
                      AND o.evidence_key IN ('-app', '-pc') AND o.evidence_key < v.evidence_key);
DELETE FROM voided_deductions WHERE rule = 'discipline.login' AND evidence_key IN ('-app', '-pc');
UPDATE appeals SET evidence_key = '-' WHERE rule = 'discipline.login' AND evidence_key IN ('-app', '-pc');
