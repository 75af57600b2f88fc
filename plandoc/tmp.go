package plandoc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// TempRoot is the folder under which each workbook read keeps excelize's temporary files (a
// worksheet too large to hold in memory is inflated there), in a folder of its own named
// <process id>-<random>, removed when the read ends.
func TempRoot() string { return filepath.Join(os.TempDir(), "xiezuo-plandoc") }

// tempDir makes the folder of one read.
func tempDir() (string, error) {
	root := TempRoot()
	if err := os.Mkdir(root, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	if fi, err := os.Lstat(root); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("temporary folder %s is not a folder", root)
	}
	return os.MkdirTemp(root, strconv.Itoa(os.Getpid())+"-")
}

// staleAfter is the age past which a read's folder is removed even if a process of its id runs:
// a read ends in seconds, and a process id can be reused.
const staleAfter = time.Hour

// SweepTemp removes the temporary folders that reads of processes no longer running left behind
// (a crash, a kill), and any older than an hour. Commands that read documents call it when they
// start; folders of reads running in other processes are kept.
func SweepTemp() error {
	root := TempRoot()
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		pidText, _, _ := strings.Cut(e.Name(), "-")
		pid, err := strconv.Atoi(pidText)
		if err == nil && pid == os.Getpid() {
			continue
		}
		if err == nil && running(pid) {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) < staleAfter {
				continue
			}
		}
		if err := os.RemoveAll(filepath.Join(root, e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// running tells whether a process of the id runs.
func running(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
