// Package certview builds the view of a pasted certificate's verdict
// (templates.CertCheckView, which templates.CertCheck renders) from
// certcheck's result.
//
// It is apart from package templates so that templates links no
// crypto/x509: the analyzer's first WebAssembly module renders reports
// with templates and has no certificate code (docs/adr/0005-wasm-size.md).
package certview

import (
	"sort"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/certcheck"
	"github.com/sipdisco/sipdisco/templates"
)

func stampDay(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func usageList(list []string) string {
	if len(list) == 0 {
		return "none (no restriction)"
	}
	return strings.Join(list, ", ")
}

// New builds the view of a certcheck result.
func New(r certcheck.Result) templates.CertCheckView {
	v := templates.CertCheckView{Host: r.Host, OK: r.OK, Covered: r.Covered, By: r.By, Valid: r.InValidity, ServerAuth: r.ServerAuth}
	switch {
	case r.OK:
		v.Verdict = "The certificate is usable for " + r.Host
	case r.Covered:
		v.Verdict = "The certificate names " + r.Host + ", but the client would refuse it"
	default:
		v.Verdict = "The certificate does not cover " + r.Host
	}
	for i, s := range r.Chain {
		cs := templates.CertSummaryView{Subject: s.Subject, Issuer: s.Issuer, NotBefore: stampDay(s.NotBefore), NotAfter: stampDay(s.NotAfter), PublicKey: s.PublicKey}
		names := append([]string(nil), s.DNSNames...)
		sort.Strings(names)
		cs.Names = usageList(names)
		if len(s.DNSNames) == 0 {
			cs.Names = "none"
		}
		v.Chain = append(v.Chain, cs)
		if i == 0 {
			v.Validity = cs.NotBefore + " to " + cs.NotAfter
			v.KeyUsage = usageList(s.KeyUsage)
			v.ExtKeyUsage = usageList(s.ExtKeyUsage)
		}
	}
	v.Findings = templates.FindingViews(r.Findings)
	return v
}
