//go:build !linux

package pgtest

// startServer: the helper relies on Linux process control (running the
// server as another user, stopping it when the test binary dies).
func startServer() (*server, error) {
	return nil, &notInstalledError{"pgtest starts a PostgreSQL server on Linux only"}
}

func (s *server) stop() {}
