//go:build !linux

package pgtest

type poolerProc struct {
	dir string
	child
}

func startPooler(*server) (*poolerProc, error) {
	return nil, &notInstalledError{"pgtest starts a connection pooler on Linux only"}
}

func (p *poolerProc) stop()           {}
func (p *poolerProc) logTail() string { return "" }
