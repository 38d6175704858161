package register

// MatchName exposes matchName to the external test that holds it to
// certcheck.MatchName (certcheck imports the engine, which imports this
// package, so only an external test package can import both).
var MatchName = matchName
