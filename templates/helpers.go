package templates

import "strconv"

// current returns the aria-current value of a navigation entry.
func current(nav, entry string) string {
	if nav == entry {
		return "page"
	}
	return "false"
}

func itoa(n int) string { return strconv.Itoa(n) }

func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func direction(fromClient bool) string {
	if fromClient {
		return "client → server"
	}
	return "server → client"
}

// arrow returns the points of an arrowhead whose tip is at (x, y).
func arrow(x, y int) string {
	return itoa(x-5) + "," + itoa(y-8) + " " + itoa(x+5) + "," + itoa(y-8) + " " + itoa(x) + "," + itoa(y)
}
