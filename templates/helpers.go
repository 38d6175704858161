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

// hArrow returns the points of a horizontal arrowhead whose tip is at
// (x, y), pointing right when right is true.
func hArrow(x, y int, right bool) string {
	back := x + 8
	if right {
		back = x - 8
	}
	return itoa(back) + "," + itoa(y-5) + " " + itoa(back) + "," + itoa(y+5) + " " + itoa(x) + "," + itoa(y)
}
