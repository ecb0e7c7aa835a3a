package boltstore

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/partnerctl/partnerctl/pkg/fail"
	"github.com/partnerctl/partnerctl/pkg/store"
)

// The file's layout (schema version 3). Records with a creation sequence
// are keyed by it (8 bytes, big-endian), so a cursor visits them in
// creation order whatever their ids look like; an id index per kind maps
// each id to its record's key.
var (
	bucketMeta     = []byte("meta")
	bucketSettings = []byte("settings")
	bucketSeq      = []byte("seq")
	bucketOrgs     = []byte("org_records")
	bucketOrgIDs   = []byte("org_ids")
	bucketOrgNames = []byte("org_names") // Fold(name) 0 seq → id, of connected orgs
	bucketOrgRefs  = []byte("org_refs")  // Fold(ref) → id
	bucketMembers  = []byte("members")   // org id 0 email → membership
	bucketEvents   = []byte("events")    // one key per id: earlier builds; read, never written
	bucketEventIDs = []byte("event_ids")
	bucketDevices  = []byte("devices") // org id 0 device → state
	bucketAudit    = []byte("audit")
	bucketLinks    = []byte("link_records")
	bucketLinkIDs  = []byte("link_ids")
	bucketLinkHash = []byte("link_hashes") // token hash → link id
	bucketLicenses = []byte("license_records")
	bucketLicIDs   = []byte("license_ids")
	bucketLicOrgs  = []byte("license_orgs") // org id 0 license seq → nothing
	bucketInvites  = []byte("invite_records")
	bucketInvIDs   = []byte("invite_ids")
	bucketInvHash  = []byte("invite_hashes") // every token hash ever issued → invite id
	bucketReports  = []byte("reports")       // report name → its state (store.EncodeReportState)
	bucketScopes   = []byte("scopes")        // email → JSON list of org ids

	allBuckets = [][]byte{bucketMeta, bucketSettings, bucketSeq, bucketOrgs, bucketOrgIDs,
		bucketOrgNames, bucketOrgRefs, bucketMembers, bucketEvents, bucketEventIDs, bucketDevices,
		bucketAudit, bucketLinks, bucketLinkIDs, bucketLinkHash, bucketLicenses, bucketLicIDs,
		bucketLicOrgs, bucketInvites, bucketInvIDs, bucketInvHash, bucketReports, bucketScopes,
		bucketOrgUnlinked, bucketOrgCodes, bucketConns, bucketConnIDs, bucketConnHash, bucketEventIDsStaged}

	keySchema   = []byte("schema_version")
	keyKind     = []byte("kind")
	keyPartner  = []byte("partner")
	keyOrgCount = []byte("org_count")
	keyStoreID  = []byte("store_id")
)

// Buckets of schema 3: tenants and their link to the partner.
var (
	// org_names_unlinked is org_names for the live customer orgs that are
	// not connected (pending or rejected), so paging the connected orgs by
	// name skips index keys without reading records.
	bucketOrgUnlinked = []byte("org_names_unlinked")
	bucketOrgCodes    = []byte("org_shortcodes") // shortcode → id
	bucketConns       = []byte("connect_records")
	bucketConnIDs     = []byte("connect_ids")
	bucketConnHash    = []byte("connect_hashes") // token hash → connect request id
)

// Bucket of schema 6: event_ids_staged holds a nested bucket of runs per
// StageEvents call, each laid out as event_ids: claimed ids all the same,
// merged into event_ids by the next ClaimEvents (stagedevents.go).
var bucketEventIDsStaged = []byte("event_ids_staged")

// Record kinds keyed by sequence, with their id index.
var (
	orgRecords = recordKind{records: bucketOrgs, ids: bucketOrgIDs, fill: fillGrowing,
		seqOfID: orgSeqOfID, idOf: orgRecordID}
	linkRecords    = recordKind{records: bucketLinks, ids: bucketLinkIDs, fill: fillSorted}
	licenseRecords = recordKind{records: bucketLicenses, ids: bucketLicIDs, fill: fillSorted}
	inviteRecords  = recordKind{records: bucketInvites, ids: bucketInvIDs, fill: fillSorted}
	connectRecords = recordKind{records: bucketConns, ids: bucketConnIDs, fill: fillSorted}
)

func createSchema(btx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := btx.Bucket(bucketMeta)
	if meta.Get(keyStoreID) == nil {
		if err := meta.Put(keyStoreID, []byte(newStoreID())); err != nil {
			return err
		}
	}
	return meta.Put(keySchema, []byte(strconv.Itoa(store.SchemaVersion)))
}

// newStoreID names a store for good: copies and backups keep it, so the
// people using it keep their sessions when it moves.
func newStoreID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return "st_" + hex.EncodeToString(b)
}

// schemaVersion reads the file's schema version, refusing files that are
// not partnerctl stores or are newer than this build.
func schemaVersion(btx *bolt.Tx) (int, error) {
	meta := btx.Bucket(bucketMeta)
	if meta == nil || meta.Get(keySchema) == nil {
		return 0, fail.Internalf("this file is a bbolt database but not a partnerctl store").
			WithCode(fail.CodeNotAStore)
	}
	v, err := strconv.Atoi(string(meta.Get(keySchema)))
	if err != nil || v < 1 {
		return 0, fail.Internalf("store has an unreadable schema version %q", meta.Get(keySchema))
	}
	if v > store.SchemaVersion {
		return v, fail.Internalf("store schema v%d is newer than this partnerctl understands (v%d)", v, store.SchemaVersion).
			WithCode(fail.CodeSchemaTooNew)
	}
	return v, nil
}

// schemaCurrent reports whether the store needs no upgrade: the current
// version with every bucket present (a build of the same version may have
// added buckets), and no staged creation of orgs left unfinished.
func schemaCurrent(btx *bolt.Tx) (bool, error) {
	v, err := schemaVersion(btx)
	if err != nil || v < store.SchemaVersion {
		return false, err
	}
	for _, name := range allBuckets {
		if btx.Bucket(name) == nil {
			return false, nil
		}
	}
	meta := btx.Bucket(bucketMeta)
	// An unfinished staged import (a process that died) is undone first.
	return meta.Get(keyStoreID) != nil && meta.Get(keyStagedOrgs) == nil, nil
}
