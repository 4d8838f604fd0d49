package mobility

// Activity is the Erasmus+ activity type of a staff mobility.
type Activity string

// The activities of school-field staff mobility (KA1).
const (
	ActivityJobShadowing       Activity = "job_shadowing"
	ActivityStructuredCourse   Activity = "structured_course"
	ActivityTeachingAssignment Activity = "teaching_assignment"
)

// Limits is the range of durations an activity may last, in days, travel days
// excluded and both ends included (see domain.Date.DaysThrough).
type Limits struct {
	MinDays, MaxDays int
}

// DurationLimits returns the durations the Erasmus+ Programme Guide allows for
// activity a, and whether a is a known activity at all.
func DurationLimits(a Activity) (Limits, bool) {
	switch a {
	case ActivityJobShadowing:
		return Limits{MinDays: 2, MaxDays: 60}, true
	case ActivityStructuredCourse:
		return Limits{MinDays: 2, MaxDays: 30}, true
	case ActivityTeachingAssignment:
		return Limits{MinDays: 2, MaxDays: 365}, true
	}
	return Limits{}, false
}

// Host is the receiving organisation. OID is set when it has an Erasmus+ OID;
// otherwise Name and Country identify it.
type Host struct {
	OID     string `json:"oid,omitempty"`
	Name    string `json:"name,omitempty"`
	Country string `json:"country"`
}

// PlannedOutcome is a learning outcome of the learning agreement. EQFLevel is
// the European Qualifications Framework level, 1 to 8; ESCOURI, if set, is the
// ESCO skill the outcome develops.
type PlannedOutcome struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	EQFLevel    int    `json:"eqf_level"`
	ESCOURI     string `json:"esco_uri"`
}

// Result is how far a planned outcome was achieved.
type Result string

// The results.
const (
	ResultAchieved          Result = "achieved"
	ResultPartiallyAchieved Result = "partially_achieved"
	ResultNotAchieved       Result = "not_achieved"
)

// Known reports whether r is one of the results above.
func (r Result) Known() bool {
	return r == ResultAchieved || r == ResultPartiallyAchieved || r == ResultNotAchieved
}

// OutcomeResult is the result of one planned outcome, with the evidence for it.
type OutcomeResult struct {
	OutcomeID string `json:"outcome_id"`
	Result    Result `json:"result"`
	Evidence  string `json:"evidence"`
}

// Decision is the sending organisation's recognition of a completed mobility.
type Decision string

// The decisions.
const (
	DecisionFull    Decision = "full"
	DecisionPartial Decision = "partial"
	DecisionNone    Decision = "none"
)

// Known reports whether d is one of the decisions above.
func (d Decision) Known() bool {
	return d == DecisionFull || d == DecisionPartial || d == DecisionNone
}

// State is where a mobility is in its life cycle: planned once agreed, then
// completed and possibly recognised, or cancelled before completion. It is ""
// before the agreement.
type State string

// The states.
const (
	StatePlanned    State = "planned"
	StateCompleted  State = "completed"
	StateCancelled  State = "cancelled"
	StateRecognised State = "recognised"
)
