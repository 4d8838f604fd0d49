package gen

import "github.com/erasmus-ledger/ledger/domain/mobility"

// The vocabularies generated records draw from: plausible Erasmus+ KA1
// sending and host organisations, staff and learning outcomes.
var (
	countries = []string{"IT", "DE", "FR", "ES", "PT", "PL", "FI", "SE", "NL", "BE", "AT", "CZ", "EL", "IE", "DK", "HU", "RO", "SI", "HR", "LT"}
	orgWords  = []string{"Kita", "Scuola dell'Infanzia", "Escuela Infantil", "Päiväkoti", "Przedszkole", "École maternelle",
		"Kindergarten", "Istituto Comprensivo", "Colegio", "Berufskolleg", "Liceo", "Basisschool", "Centro di Formazione"}
	orgNames = []string{"Sonnenblume", "Girasole", "Arcobaleno", "Tähti", "Los Pinos", "Les Coquelicots", "Regenbogen",
		"Montessori", "Don Milani", "Santa Chiara", "Kasztanek", "De Vlinder", "Aurora", "Il Gabbiano", "Lumikki"}
	givenNames  = []string{"Anna", "Marco", "Zofia", "Lena", "Pablo", "Aino", "Chiara", "Jonas", "Inès", "Tomasz", "Sofia", "Luca"}
	familyNames = []string{"Rossi", "Müller", "Kowalska", "García", "Virtanen", "Dubois", "Bianchi", "Novak", "Jansen", "Silva"}
	activities  = []mobility.Activity{mobility.ActivityJobShadowing, mobility.ActivityJobShadowing,
		mobility.ActivityStructuredCourse, mobility.ActivityStructuredCourse, mobility.ActivityTeachingAssignment}
	outcomeTitles = []string{
		"Plan outdoor learning in all seasons", "Document children's learning with learning stories",
		"Support children's first-language and second-language development", "Use digital tools for pedagogical documentation",
		"Design inclusive play environments", "Lead reflective team meetings", "Communicate with families from diverse backgrounds",
		"Apply Reggio Emilia principles to project work", "Assess early numeracy through play", "Run a forest-school session safely",
		"Use music and movement for self-regulation", "Co-design a CPD plan for assisting practitioners",
		"Teach CLIL units to young learners", "Mentor newly qualified colleagues", "Evaluate a mobility for the Erasmus+ plan",
	}
	outcomeNotes = []string{"", "", "Observed by the host mentor over the whole placement.",
		"Includes a written reflection shared with the sending team.", "Practised with groups of 3–6 year olds."}
	evidence = []string{"", "portfolio", "mentor's observation record", "lesson plans and photos", "reflective journal"}
)
