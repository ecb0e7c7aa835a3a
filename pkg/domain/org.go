package domain

import (
	"sort"
	"time"
)

// Org is a customer org (or the partner's admin org, flagged Admin).
// Counters are fed by events and memberships; status is never stored, it is
// computed from the counters and the clock when read.
type Org struct {
	ID        string     `json:"id"`
	Seq       uint64     `json:"seq"`
	Name      string     `json:"name"`
	RefID     string     `json:"ref_id"`
	Admin     bool       `json:"admin,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
	// LinkStatus is where the tenant's link to the partner stands; "" (a
	// record of an earlier build) means accepted, like LinkAccepted.
	LinkStatus LinkStatus `json:"link_status,omitempty"`
	// Tenant holds the tenant's identity details, all optional.
	Tenant Tenant `json:"tenant"`

	Users         int        `json:"users"`
	DataSources   int        `json:"data_sources"`
	AITrained     bool       `json:"ai_trained"`
	Integrations  int        `json:"integrations"`
	SessionsTotal int        `json:"sessions_total"`
	LastActiveAt  *time.Time `json:"last_active_at"`
	Messages      int        `json:"messages"`
	Subscribers   int        `json:"subscribers"`
	Devices       Devices    `json:"devices"`
	// SessionDays counts sessions per UTC day, sorted by day, so the 30-day
	// window can be read at any "now" without keeping every event. It holds
	// the SessionDaysKept days ending with the latest one, no older.
	SessionDays []DayCount `json:"session_days,omitempty"`
}

// Devices counts each device once, in its latest state.
type Devices struct {
	Total       int `json:"total"`
	Registered  int `json:"registered"`
	Onboarded   int `json:"onboarded"`
	Provisioned int `json:"provisioned"`
}

// DayCount is the number of sessions that started on one UTC day.
type DayCount struct {
	Day   int32 `json:"d"` // days since the Unix epoch
	Count int32 `json:"n"`
}

// Live reports whether the org has not been deleted.
func (o *Org) Live() bool { return o.DeletedAt == nil }

// Link is the org's link status, accepted for records that predate it.
func (o *Org) Link() LinkStatus {
	if o.LinkStatus == "" {
		return LinkAccepted
	}
	return o.LinkStatus
}

// Connected reports whether the tenant accepted its link to the partner:
// only connected orgs are listed by default, counted, opened and signed into.
func (o *Org) Connected() bool { return o.Link() == LinkAccepted }

// DayOf is the UTC day number of t.
func DayOf(t time.Time) int32 {
	return int32(t.UTC().Unix() / 86400)
}

// SessionDaysKept is how many UTC days of session counts an org keeps:
// the days from its latest session's day back, that one included. "Sessions
// in the last 30 days" needs the 30 days ending with the clock's day; the
// other 30 cover a clock that lags the feed (PARTNERCTL_NOW set back, or
// events stamped ahead of it), so the count is exact for any clock at most
// 30 days before the org's latest session, and for every later one. Older
// days are dropped as sessions come in: a daily feed no longer grows every
// org record without end. A session older than the kept days (a late
// event) still counts in the total; it could never fall in the window of
// such a clock.
const SessionDaysKept = 60

// AddSession records one session started at t.
func (o *Org) AddSession(t time.Time) {
	o.SessionsTotal++
	if o.LastActiveAt == nil || t.After(*o.LastActiveAt) {
		at := t.UTC()
		o.LastActiveAt = &at
	}
	day := DayOf(t)
	if n := len(o.SessionDays); n > 0 && day <= o.SessionDays[n-1].Day-SessionDaysKept {
		return // older than every day kept
	}
	i := sort.Search(len(o.SessionDays), func(i int) bool { return o.SessionDays[i].Day >= day })
	if i < len(o.SessionDays) && o.SessionDays[i].Day == day {
		o.SessionDays[i].Count++
		return
	}
	o.SessionDays = append(o.SessionDays, DayCount{})
	copy(o.SessionDays[i+1:], o.SessionDays[i:])
	o.SessionDays[i] = DayCount{Day: day, Count: 1}
	o.SessionDays = KeptSessionDays(o.SessionDays)
}

// KeptSessionDays is days (sorted) without those older than the
// SessionDaysKept days ending with the last one; it shares days' storage.
func KeptSessionDays(days []DayCount) []DayCount {
	n := len(days)
	if n == 0 || days[n-1].Day-days[0].Day < SessionDaysKept {
		return days
	}
	first := days[n-1].Day - SessionDaysKept + 1
	i := sort.Search(n, func(i int) bool { return days[i].Day >= first })
	return append(days[:0], days[i:]...)
}

// SessionsLast30Days counts sessions on the 30 UTC days ending with now's day.
// Bucketing by day is allowed by the spec: a session less than a day from the
// boundary may fall on either side.
func (o *Org) SessionsLast30Days(now time.Time) int {
	last := DayOf(now)
	first := last - 29
	n := 0
	for _, d := range o.SessionDays {
		if d.Day >= first && d.Day <= last {
			n += int(d.Count)
		}
	}
	return n
}
