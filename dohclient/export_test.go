package dohclient

// Names for the external tests (agree_test.go), which read responses with
// miekg/dns through resolve/wire, a package that imports this one.
var (
	SeedResponses = seedResponses
	FuzzQuestion  = fuzzQuestion
)
