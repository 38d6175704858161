//go:build race

package zone

// raceDetector is set when the tests run under the race detector.
const raceDetector = true
