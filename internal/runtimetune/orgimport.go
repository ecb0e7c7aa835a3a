package runtimetune

// orgImportPolicy paces `orgs import`: importPolicy with at least 128 MB of
// room above the live heap. The import holds its parsed rows to the end
// (a quarter of a gigabyte at a million rows, every row a dozen pointers)
// and commits in steps whose garbage is tens of megabytes each; with only a
// quarter of the live heap as room, a million rows took 142 collections,
// each scanning every row again, and the runtime returned and re-faulted
// memory to stay under the limit: half of the import's CPU. With this
// room: a few dozen, and the process stays under issue 17's 512 MB.
var orgImportPolicy = policy{floor: importPolicy.floor, factor: 1.25, room: 128 << 20} // no overhead: see limit

// ForOrgImport is ForImport for `orgs import` (orgImportPolicy).
func ForOrgImport() {
	if p := current.Load(); p != nil {
		p.setPolicy(orgImportPolicy, orgImportPolicy.filled(true))
	}
}
