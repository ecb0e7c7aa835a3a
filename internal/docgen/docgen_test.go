package docgen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesAreCurrent regenerates everything into a temporary
// folder and compares it, file by file, with what is committed.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	fresh := t.TempDir()
	if err := Generate(fresh); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join("..", "..")
	for _, dir := range []string{MarkdownDir, ManDir, CompletionsDir} {
		want := listFiles(t, filepath.Join(fresh, dir))
		have := listFiles(t, filepath.Join(repo, dir))
		for name, content := range want {
			got, ok := have[name]
			switch {
			case !ok:
				t.Errorf("%s is missing: run `go generate ./...`", filepath.Join(dir, name))
			case !bytes.Equal(got, content):
				t.Errorf("%s is stale: run `go generate ./...`", filepath.Join(dir, name))
			}
		}
		for name := range have {
			if _, ok := want[name]; !ok {
				t.Errorf("%s is no longer generated: run `go generate ./...`", filepath.Join(dir, name))
			}
		}
	}
}

func listFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = b
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}
