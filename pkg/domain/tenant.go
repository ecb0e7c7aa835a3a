package domain

import (
	"strings"

	"golang.org/x/text/language"

	"github.com/partnerctl/partnerctl/pkg/fail"
)

// LinkStatus is where a tenant's link to the partner stands (seed 002's
// "tenant accept/reject status").
type LinkStatus string

const (
	// LinkAccepted: the partner made the org, or the tenant accepted its
	// connect request. Only accepted orgs are connected.
	LinkAccepted LinkStatus = "accepted"
	// LinkPending: a connect request was sent and not yet settled.
	LinkPending LinkStatus = "pending"
	// LinkRejected: the tenant rejected the connect request.
	LinkRejected LinkStatus = "rejected"
)

// LinkStatuses lists every link status, in the order help texts name them.
var LinkStatuses = []LinkStatus{LinkAccepted, LinkPending, LinkRejected}

// Tenant is a tenant's identity, as seed 002's tenant list and seed 001's
// account details show it. Every field is optional; the rules that check
// them live with the commands that set them (pkg/console).
type Tenant struct {
	EnterpriseName string `json:"enterprise_name,omitempty"`
	CustomerName   string `json:"customer_name,omitempty"`
	// ContactEmail is the email the tenant was created with, usually a
	// company address.
	ContactEmail string `json:"contact_email,omitempty"`
	// Shortcode is the company shortcode: 2–12 upper-case letters or digits,
	// unique among live orgs; it starts the names of provisioned devices.
	Shortcode string `json:"shortcode,omitempty"`
	Address   string `json:"address,omitempty"`
	// Language is a BCP 47 tag in canonical form, such as en or pt-BR.
	Language string `json:"language,omitempty"`
	LogoURL  string `json:"logo_url,omitempty"`
}

// Shortcode lengths.
const (
	MinShortcode = 2
	MaxShortcode = 12
)

// ParseShortcode checks a company shortcode: 2 to 12 upper-case ASCII
// letters or digits, surrounding spaces ignored. Lower-case letters are
// refused rather than changed, so the code stored is the code typed.
func ParseShortcode(s string) (string, error) {
	code := strings.TrimSpace(s)
	ok := len(code) >= MinShortcode && len(code) <= MaxShortcode
	for i := 0; ok && i < len(code); i++ {
		c := code[i]
		ok = ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
	}
	if !ok {
		return "", fail.Fieldf(fail.Usage, "invalid {shortcode} %q: want 2 to 12 upper-case letters or digits (A-Z, 0-9)", s)
	}
	return code, nil
}

// ParseLanguage checks a BCP 47 language tag (en, pt-BR, zh-Hant-TW) with
// golang.org/x/text/language and returns its canonical form ("pt-br" and
// "pt_BR" become "pt-BR"). A well-formed tag whose language is not
// registered ("xx") is refused, and so is "und", which names no language.
func ParseLanguage(s string) (string, error) {
	text := strings.TrimSpace(s)
	tag, err := language.Parse(text)
	if err != nil || text == "" || tag == language.Und {
		return "", fail.Fieldf(fail.Usage, "invalid {language} %q: want a BCP 47 language tag such as en, de or pt-BR", s)
	}
	return tag.String(), nil
}
