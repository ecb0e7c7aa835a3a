package runtimetune

// orgImportPolicy paces `orgs import` of a CSV of inputBytes (negative when
// unknown): importPolicy with room above the live heap that follows the
// CSV, orgImportRoomPerByte for each of its bytes within
// minOrgImportRoom–maxOrgImportRoom. The import holds its parsed rows to
// the end and commits in steps whose garbage is tens of megabytes each
// (bbolt's nodes and pages); with only a quarter of the live heap as room,
// a million rows took 142 collections and the runtime returned and
// re-faulted memory to stay under the limit: half of the import's CPU.
// With the rows packed (console.OrgImportRows) a million rows hold 115–150
// MB live; 128 MB of room took them to 288 MB of RSS in 8.7–8.9 s, this
// room (234 MB) to 383–391 MB in 7.8–8.5 s (paired, bench/README.md
// section 14), within issue 17's 512 MB. 100k rows gain nothing from more
// room (0.72 s at 197 MB, 0.78 s at 267 MB with 256 MB), so a short CSV
// keeps 128 MB.
func orgImportPolicy(inputBytes int64) policy {
	room := uint64(max(inputBytes, 0)) * orgImportRoomPerByte
	return policy{floor: importPolicy.floor, factor: 1.25, room: min(maxOrgImportRoom, max(minOrgImportRoom, room))} // no overhead: see limit
}

const (
	orgImportRoomPerByte = 6 // a million rows of the bench's CSV (39 MB): 235 MB
	minOrgImportRoom     = 128 << 20
	maxOrgImportRoom     = 256 << 20
)

// ForOrgImport is ForImport for `orgs import` of a CSV of inputBytes
// (negative when unknown; see orgImportPolicy).
func ForOrgImport(inputBytes int64) {
	if p := current.Load(); p != nil {
		pol := orgImportPolicy(inputBytes)
		p.setPolicy(pol, pol.filled(true))
	}
}
