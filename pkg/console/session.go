package console

import "sync"

// Session is the per-person state a front end keeps between calls: who is
// logged in, and which org each user has open. It is not store data — the
// people sharing a store each have their own — so the CLI keeps it in a
// local config file.
type Session interface {
	// CurrentUser is the logged-in user's email, "" when nobody is.
	CurrentUser() (string, error)
	// SetCurrentUser logs email in; "" logs out.
	SetCurrentUser(email string) error
	// OpenOrg is the id of the org email has open, "" when none.
	OpenOrg(email string) (string, error)
	// SetOpenOrg remembers the org email has open; "" closes it.
	SetOpenOrg(email, orgID string) error
}

// MemorySession is a Session held in memory.
type MemorySession struct {
	mu   sync.Mutex
	user string
	open map[string]string
}

// NewMemorySession returns an empty session.
func NewMemorySession() *MemorySession { return &MemorySession{open: map[string]string{}} }

func (s *MemorySession) CurrentUser() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user, nil
}

func (s *MemorySession) SetCurrentUser(email string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user = email
	return nil
}

func (s *MemorySession) OpenOrg(email string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open[email], nil
}

func (s *MemorySession) SetOpenOrg(email, orgID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if orgID == "" {
		delete(s.open, email)
	} else {
		s.open[email] = orgID
	}
	return nil
}
