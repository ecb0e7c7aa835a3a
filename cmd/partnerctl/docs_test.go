package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// templateMarker, on the line before a code block, says the block is not
// meant to run as written: a template with placeholders, or a command for
// developers (go test) or another machine (cron, CI).
const templateMarker = "<!-- template -->"

// docBlock is one fenced code block of a document.
type docBlock struct {
	file     string
	line     int
	lang     string
	text     string
	template bool
}

func docBlocks(t *testing.T, file string) []docBlock {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []docBlock
	var cur *docBlock
	prev := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &docBlock{file: file, line: n, lang: strings.TrimPrefix(line, "```"), template: strings.TrimSpace(prev) == templateMarker}
		case cur != nil && line == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
		prev = line
	}
	return out
}

// consoleCommands reads a ```console block: each "$ " line (with its "\"
// continuations) is a command; "# exit N" on it or on its output says the
// exit code it is documented with.
func consoleCommands(text string) (cmds []string, codes []int) {
	exitRe := regexp.MustCompile(`# exit (\d+)`)
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		cmd, ok := strings.CutPrefix(lines[i], "$ ")
		if !ok {
			if m := exitRe.FindStringSubmatch(lines[i]); m != nil && len(codes) > 0 {
				codes[len(codes)-1], _ = strconv.Atoi(m[1])
			}
			continue
		}
		for strings.HasSuffix(cmd, "\\") && i+1 < len(lines) {
			i++
			cmd = strings.TrimSuffix(cmd, "\\") + "\n" + lines[i]
		}
		code := 0
		if m := exitRe.FindStringSubmatch(cmd); m != nil {
			code, _ = strconv.Atoi(m[1])
		}
		cmds, codes = append(cmds, cmd), append(codes, code)
	}
	return cmds, codes
}

// TestDocsCodeBlocksRun runs every sh and console code block of README.md
// and docs/guide.md, as written, the way a reader following them would: in
// a fresh HOME whose default store holds the demo, with partnerctl on PATH
// and the clock pinned. sh blocks run as one `bash -e -o pipefail` script;
// console blocks run each "$ " command and require its documented exit
// code (0 unless "# exit N" says otherwise). Blocks that build or install
// partnerctl (./cmd/partnerctl) run at the root of the checkout.
func TestDocsCodeBlocksRun(t *testing.T) {
	bin := binary(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	goEnv := func(key string) string {
		out, err := exec.Command("go", "env", key).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	modCache, buildCache := goEnv("GOMODCACHE"), goEnv("GOCACHE")
	ran := 0
	for _, doc := range []string{"README.md", filepath.Join("docs", "guide.md")} {
		for _, b := range docBlocks(t, filepath.Join(root, doc)) {
			if b.template || (b.lang != "sh" && b.lang != "console") {
				continue
			}
			ran++
			t.Run(fmt.Sprintf("%s:%d", doc, b.line), func(t *testing.T) {
				home := t.TempDir()
				gopath := filepath.Join(home, "go")
				env := append(os.Environ(),
					"HOME="+home, "XDG_DATA_HOME=", "PARTNERCTL_DB=", "PARTNERCTL_USER=",
					"PARTNERCTL_NOW=2026-11-23T12:00:00Z", "NO_COLOR=1", "PAGER=cat",
					"PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
					"GOPATH="+gopath, "GOMODCACHE="+modCache, "GOCACHE="+buildCache, "GOFLAGS=-buildvcs=false")
				dir := home
				if strings.Contains(b.text, "./cmd/partnerctl") {
					dir = root
				}
				run := func(script string) (string, int) {
					cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
					cmd.Dir, cmd.Env = dir, env
					out, err := cmd.CombinedOutput()
					if ee, ok := err.(*exec.ExitError); ok {
						return string(out), ee.ExitCode()
					} else if err != nil {
						t.Fatal(err)
					}
					return string(out), 0
				}
				if out, code := run("partnerctl demo >/dev/null 2>&1"); code != 0 {
					t.Fatalf("demo: exit %d\n%s", code, out)
				}
				if b.lang == "sh" {
					if out, code := run(b.text); code != 0 {
						t.Fatalf("%s:%d exits %d as written:\n%s\n%s", doc, b.line, code, b.text, out)
					}
					return
				}
				cmds, codes := consoleCommands(b.text)
				if len(cmds) == 0 {
					t.Fatalf("%s:%d: a console block without a \"$ \" command", doc, b.line)
				}
				for i, c := range cmds {
					if out, code := run(c); code != codes[i] {
						t.Fatalf("%s:%d: `%s` exits %d, documented %d:\n%s", doc, b.line, c, code, codes[i], out)
					}
				}
			})
		}
	}
	if ran < 20 {
		t.Fatalf("ran %d blocks: the extraction is broken", ran)
	}
}
