// Package pkg_test checks the library's one layout rule: pkg/ is usable by
// other Go programs, so nothing in it may import the CLI's internal/.
package pkg_test

import (
	"os/exec"
	"strings"
	"testing"
)

func TestPkgImportsNothingInternal(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{.ImportPath}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	listed := 0
	for _, pkg := range strings.Fields(string(out)) {
		listed++
		if strings.Contains(pkg, "/partnerctl/internal/") || strings.HasSuffix(pkg, "/partnerctl/internal") {
			t.Errorf("pkg/ depends on %s", pkg)
		}
	}
	if listed < 10 {
		t.Fatalf("go list listed only %d packages: %s", listed, out)
	}
}
