// Command floor is the Go floor of the time-to-verdict benchmark
// (web.BenchmarkTimeToVerdict): an empty Go program, whose WebAssembly
// module is Go's runtime alone, fetched and started as the analyzer's is.
package main

func main() {}
