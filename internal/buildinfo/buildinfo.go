// Package buildinfo holds what a release build stamps into the binary
// (goreleaser sets these with -ldflags -X).
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Set at link time by goreleaser; the defaults describe a development build.
var (
	Version = "dev"
	Commit  = "none"
	Date    = "unknown"
)

// Info describes this binary.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// Get returns the stamped values; a development build falls back to what
// the Go toolchain recorded (a `go install …@v1.2.3` has its module version).
func Get() Info {
	info := Info{Version: Version, Commit: Commit, Date: Date, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info.Version != "dev" {
		return info
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info.Version = v
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && info.Commit == "none":
				info.Commit = s.Value
			case s.Key == "vcs.time" && info.Date == "unknown":
				info.Date = s.Value
			}
		}
	}
	return info
}

// Line is the one-line description `partnerctl version` and --version
// print: "partnerctl 1.2.3 (commit abc1234, built 2026-11-23)", leaving out
// what the build didn't record.
func (i Info) Line() string {
	var about []string
	if i.Commit != "" && i.Commit != "none" {
		about = append(about, "commit "+i.Commit[:min(7, len(i.Commit))])
	}
	if i.Date != "" && i.Date != "unknown" {
		about = append(about, "built "+i.Date[:min(10, len(i.Date))])
	}
	line := "partnerctl " + i.Version
	if len(about) > 0 {
		line += " (" + strings.Join(about, ", ") + ")"
	}
	return line
}
