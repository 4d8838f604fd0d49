package mobility

import "github.com/erasmus-ledger/ledger/domain"

// checkActivity checks that a is a known activity.
func checkActivity(a Activity) error {
	if a == "" {
		return domain.Invalidf("activity is required")
	}
	if _, ok := DurationLimits(a); !ok {
		return domain.Invalidf("activity %q is not one of job_shadowing, structured_course, teaching_assignment", a)
	}
	return nil
}

// checkPeriod checks the dates of a mobility of the known activity a: both
// set, in order, and the duration within the activity's limits.
func checkPeriod(a Activity, start, end domain.Date) error {
	switch {
	case start.IsZero():
		return domain.Invalidf("start_date is required")
	case end.IsZero():
		return domain.Invalidf("end_date is required")
	case end.Before(start):
		return domain.Invalidf("end_date %s is before start_date %s", end, start)
	}
	lim, _ := DurationLimits(a)
	if days := start.DaysThrough(end); days < lim.MinDays || days > lim.MaxDays {
		return domain.Invalidf("end_date %s: from start_date %s the %s lasts %d days; it must last %d to %d days, travel days excluded",
			end, start, a, days, lim.MinDays, lim.MaxDays)
	}
	return nil
}
