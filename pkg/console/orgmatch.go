package console

import "strings"

// Matcher returns the query's filters (Search, Statuses and License) as a
// pure function of one org's view, deciding exactly as ListOrgs does. A
// program that holds a list from ListOrgs in memory (the interactive
// console) filters it with this as a person types, so its search can never
// drift from `orgs list --search`. Sort, paging and FailOn are not filters
// and are ignored.
func (q OrgQuery) Matcher() func(v *OrgView) bool {
	needle := strings.ToLower(q.Search)
	statuses, license := q.Statuses, q.License
	return func(v *OrgView) bool {
		if needle != "" && !containsFold(v.Name, needle) && !containsFold(v.RefID, needle) {
			return false
		}
		if len(statuses) > 0 && !hasStatus(statuses, v.Status()) {
			return false
		}
		return license == "" || v.LicenseStatus == license
	}
}
