package credentials

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The European Learning Model and ESCO vocabularies that alignments point to.
const (
	eqfLevelURI        = "http://data.europa.eu/snb/eqf/"
	elmJobExperience   = "http://data.europa.eu/snb/learning-activity/4357e0e681"
	elmWorkshopSeminar = "http://data.europa.eu/snb/learning-activity/efff75e10a"
	frameworkEQF       = "European Qualifications Framework"
	frameworkESCO      = "ESCO"
	frameworkELM       = "European Learning Model: learning activity type"
)

// activity is how an Erasmus+ activity type reads, and the ELM learning
// activity type it maps to. ELM has no job shadowing: it and teaching
// assignments are job experience; courses are workshops and seminars.
func activity(code string) (label, elm string) {
	switch code {
	case "job_shadowing":
		return "Job shadowing", elmJobExperience
	case "teaching_assignment":
		return "Teaching assignment", elmJobExperience
	case "structured_course":
		return "Structured course", elmWorkshopSeminar
	}
	label = strings.ReplaceAll(code, "_", " ")
	if label == "" {
		return "Mobility", ""
	}
	return strings.ToUpper(label[:1]) + label[1:], ""
}

func achievement(b Badge) Achievement {
	m := b.Mobility
	label, _ := activity(m.Activity)
	return Achievement{
		ID:                m.URL + "#achievement",
		Type:              []string{"Achievement"},
		AchievementType:   "LearningProgram",
		Name:              achievementName(m),
		Description:       description(m),
		Criteria:          Criteria{Narrative: narrative(b)},
		Alignment:         mobilityAlignments(m),
		ResultDescription: resultDescriptions(m),
		Tag:               []string{"Erasmus+", "KA1 staff mobility", label},
		InLanguage:        m.Language,
		Host:              hostProfile(m.Host),
	}
}

func description(m Mobility) string {
	titles := make([]string, len(m.Outcomes))
	for i, o := range m.Outcomes {
		titles[i] = o.Title
	}
	return "Learning outcomes of an Erasmus+ Key Action 1 staff mobility for continuing professional development: " +
		strings.Join(titles, "; ") + "."
}

func narrative(b Badge) string {
	m := b.Mobility
	label, _ := activity(m.Activity)
	place := m.Host.Name
	if m.Host.Country != "" {
		place += " (" + m.Host.Country + ")"
	}
	results := make([]string, len(m.Outcomes))
	for i, o := range m.Outcomes {
		results[i] = o.Title + ": " + strings.ToLower(resultLabel(o.Result))
	}
	return fmt.Sprintf("%s at %s from %s to %s (%d days). %s assessed the learning outcomes agreed before the mobility: %s.",
		label, place, m.StartDate, m.EndDate, m.StartDate.DaysThrough(m.EndDate), b.Issuer.Name, strings.Join(results, "; "))
}

// mobilityAlignments aligns the achievement with its ELM activity type, the
// EQF levels of its outcomes (ascending) and their ESCO skills (in order),
// each once.
func mobilityAlignments(m Mobility) []Alignment {
	var out []Alignment
	if label, elm := activity(m.Activity); elm != "" {
		out = append(out, Alignment{Type: []string{"Alignment"}, TargetName: label, TargetURL: elm,
			TargetFramework: frameworkELM, TargetType: "ext:LearningActivityType"})
	}
	var levels []int
	for _, o := range m.Outcomes {
		if o.EQFLevel > 0 && !slices.Contains(levels, o.EQFLevel) {
			levels = append(levels, o.EQFLevel)
		}
	}
	slices.Sort(levels)
	for _, l := range levels {
		out = append(out, eqfAlignment(l))
	}
	seen := map[string]bool{}
	for _, o := range m.Outcomes {
		if o.ESCOURI != "" && !seen[o.ESCOURI] {
			seen[o.ESCOURI] = true
			out = append(out, escoAlignment(o))
		}
	}
	return out
}

func eqfAlignment(level int) Alignment {
	n := strconv.Itoa(level)
	return Alignment{Type: []string{"Alignment"}, TargetName: "EQF level " + n, TargetURL: eqfLevelURI + n,
		TargetFramework: frameworkEQF, TargetCode: n, TargetType: "ext:EQFLevel"}
}

func escoAlignment(o Outcome) Alignment {
	return Alignment{Type: []string{"Alignment"}, TargetName: o.Title, TargetURL: o.ESCOURI,
		TargetFramework: frameworkESCO, TargetType: "ceasn:Competency"}
}

func resultDescriptions(m Mobility) []ResultDescription {
	out := make([]ResultDescription, len(m.Outcomes))
	for i, o := range m.Outcomes {
		var align []Alignment
		if o.EQFLevel > 0 {
			align = append(align, eqfAlignment(o.EQFLevel))
		}
		if o.ESCOURI != "" {
			align = append(align, escoAlignment(o))
		}
		out[i] = ResultDescription{ID: outcomeURL(m, o), Type: []string{"ResultDescription"}, Name: o.Title,
			Description: o.Description, ResultType: "Result", AllowedValue: resultLabels(), Alignment: align}
	}
	return out
}
