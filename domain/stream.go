package domain

// The stream names. Each aggregate instance owns one stream of the log, named by
// its kind and its identifier; the names are stored in the log and never change.
const (
	organisationStreamPrefix = "organisation-"
	participantStreamPrefix  = "participant-"
	mobilityStreamPrefix     = "mobility-"
)

// OrganisationStream is the stream of the organisation with Erasmus+ OID oid.
func OrganisationStream(oid string) string { return organisationStreamPrefix + oid }

// ParticipantStream is the stream of the participant with ID id.
func ParticipantStream(id string) string { return participantStreamPrefix + id }

// MobilityStream is the stream of the mobility with ID id.
func MobilityStream(id string) string { return mobilityStreamPrefix + id }
