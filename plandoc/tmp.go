package plandoc

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
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

// tempDir makes the folder of one read. TempRoot is used only if it is a folder of ours that no
// one else may write in (another local user could have made it first, open to all, to read or
// replace excelize's files): one of ours open wider is closed to 0700; otherwise the read gets a
// private folder of its own in the system's temporary folder, and the log says why.
func tempDir() (string, error) {
	root := TempRoot()
	if err := os.Mkdir(root, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	if err := ownRoot(root); err != nil {
		slog.Warn("temporary folder refused, using a private one", "folder", root, "reason", err)
		return os.MkdirTemp("", "xiezuo-plandoc-"+strconv.Itoa(os.Getpid())+"-")
	}
	return os.MkdirTemp(root, strconv.Itoa(os.Getpid())+"-")
}

// ownRoot checks that root is a folder (not a link) owned by this process's user, and closes it
// to others if it is open to them.
func ownRoot(root string) error {
	fi, err := os.Lstat(root)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("not a folder")
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("owned by user %d, not %d", st.Uid, os.Getuid())
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(root, 0o700); err != nil {
			return fmt.Errorf("mode %v: %w", fi.Mode().Perm(), err)
		}
	}
	return nil
}

// staleAfter is the age past which a read's folder is removed even if a process of its id runs:
// a read ends in seconds, and a process id can be reused.
const staleAfter = time.Hour

// SweepTemp removes the temporary folders that reads of processes no longer running left behind
// (a crash, a kill), and any older than an hour. Commands that read documents call it when they
// start; folders of reads running in other processes are kept.
func SweepTemp() error {
	root := TempRoot()
	if _, err := os.Lstat(root); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := ownRoot(root); err != nil {
		return fmt.Errorf("temporary folder %s not swept: %w", root, err)
	}
	entries, err := os.ReadDir(root)
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
