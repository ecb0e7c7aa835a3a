package domain

import "time"

// ReportState is what a named report saw on its last run: the state its
// next run is compared with. Each run replaces it, so its size follows the
// number of orgs and licenses, never the number of runs.
type ReportState struct {
	// At is the report's clock reading when it ran.
	At time.Time
	// Fields names the tracked org values, in the order of ReportOrg.Values.
	// A field a later build starts tracking is simply absent from states
	// saved before it.
	Fields []string
	// Orgs are the orgs the report covered, each with its tracked values.
	Orgs []ReportOrg
	// Licenses are the licenses already reported as expiring or expired,
	// and for which expiry.
	Licenses []ReportLicense
}

// ReportOrg is one org as a report saw it.
type ReportOrg struct {
	ID string
	// Values holds one value per ReportState.Fields, such as the org's
	// health status.
	Values []string
}

// ReportLicense records that a license was reported for the expiry on End.
type ReportLicense struct {
	ID string
	// End is the license's last day (midnight UTC) when it was reported: a
	// renewal moves it, and the next expiry is reported again.
	End time.Time
	// Expired is true once it was reported as expired, false while only as
	// expiring.
	Expired bool
}
