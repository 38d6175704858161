package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestArchiveName(t *testing.T) {
	for _, tt := range []struct {
		version string
		t       target
		want    string
	}{
		{"1.2.0", target{"linux", "amd64"}, "sipdisco_1.2.0_linux_amd64.tar.gz"},
		{"1.2.0", target{"darwin", "arm64"}, "sipdisco_1.2.0_darwin_arm64.tar.gz"},
		{"1.2.0", target{"windows", "arm64"}, "sipdisco_1.2.0_windows_arm64.zip"},
		{"0.0.0-SNAPSHOT-58fcbe9", target{"windows", "amd64"}, "sipdisco_0.0.0-SNAPSHOT-58fcbe9_windows_amd64.zip"},
	} {
		if got := archiveName(tt.version, tt.t); got != tt.want {
			t.Errorf("archiveName(%q, %v) = %q; want %q", tt.version, tt.t, got, tt.want)
		}
	}
}

func TestVersionFromDescribe(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.0":                   "1.2.0",
		"v1.2.0-dirty":             "1.2.0-dirty",
		"v1.2.0-3-g58fcbe9":        "1.2.0-3-g58fcbe9",
		"1.2.0-rc.1":               "1.2.0-rc.1",
		"58fcbe9":                  "0.0.0-SNAPSHOT-58fcbe9",
		"58fcbe9a-dirty":           "0.0.0-SNAPSHOT-58fcbe9a-dirty",
		"58fcbe9\n":                "0.0.0-SNAPSHOT-58fcbe9",
		"release-2026-12-3-gabcde": "release-2026-12-3-gabcde",
	} {
		if got := versionFromDescribe(in); got != want {
			t.Errorf("versionFromDescribe(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestParseTargets(t *testing.T) {
	if ts, err := parseTargets("all"); err != nil || len(ts) != 6 {
		t.Errorf("parseTargets(all) = %v, %v; want six targets", ts, err)
	}
	ts, err := parseTargets("windows/amd64, linux/arm64")
	if err != nil || cmp.Diff(ts, []target{{"windows", "amd64"}, {"linux", "arm64"}}, cmp.AllowUnexported(target{})) != "" {
		t.Errorf("parseTargets(windows/amd64, linux/arm64) = %v, %v", ts, err)
	}
	for _, bad := range []string{"windows", "/amd64", "linux/", "linux/amd64,"} {
		if _, err := parseTargets(bad); err == nil {
			t.Errorf("parseTargets(%q) accepted", bad)
		}
	}
}

func TestStampLDFlags(t *testing.T) {
	st := stamp{version: "1.2.0", commit: "0123abc", date: time.Date(2026, 12, 1, 11, 0, 0, 0, time.FixedZone("CET", 3600))}
	want := "-s -w -X github.com/sipdisco/sipdisco/internal/buildinfo.version=1.2.0 -X github.com/sipdisco/sipdisco/internal/buildinfo.commit=0123abc -X github.com/sipdisco/sipdisco/internal/buildinfo.date=2026-12-01T10:00:00Z"
	if got := st.ldflags(); got != want {
		t.Errorf("ldflags = %q; want %q", got, want)
	}
}

// TestArchives writes both kinds of archive and reads them back with the
// standard library's readers: names, modes, contents and dates.
func TestArchives(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.WriteFile(bin, []byte("binary"), 0o755)
	readme := filepath.Join(dir, "README.md")
	os.WriteFile(readme, []byte("# read me"), 0o644)
	files := []archiveFile{{"sipdisco", bin, 0o755}, {"README.md", readme, 0o644}}
	mod := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

	var tgz bytes.Buffer
	if err := writeTarGz(&tgz, files, mod); err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(&tgz)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var got []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		got = append(got, h.Name+" "+os.FileMode(h.Mode).String()+" "+string(b))
		if !h.ModTime.Equal(mod) {
			t.Errorf("tar %s dated %v; want %v", h.Name, h.ModTime, mod)
		}
	}
	want := []string{"sipdisco -rwxr-xr-x binary", "README.md -rw-r--r-- # read me"}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("tar.gz entries (-got +want):\n%s", diff)
	}

	var zbuf bytes.Buffer
	files[0].name = "sipdisco.exe"
	if err := writeZip(&zbuf, files, mod); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zbuf.Bytes()), int64(zbuf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		got = append(got, f.Name+" "+string(b))
		if !f.Modified.Equal(mod) {
			t.Errorf("zip %s dated %v; want %v", f.Name, f.Modified, mod)
		}
	}
	if diff := cmp.Diff(got, []string{"sipdisco.exe binary", "README.md # read me"}); diff != "" {
		t.Errorf("zip entries (-got +want):\n%s", diff)
	}
}
