package plandoc

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"xiezuo"
)

// convertTimeout bounds one conversion by LibreOffice: a plan of a hundred pages converts in
// a few seconds. A variable for tests.
var convertTimeout = 60 * time.Second

// errNoSoffice is the message of a .doc or .wps read on a server without LibreOffice.
var errNoSoffice = xiezuo.Errorf(xiezuo.EINVALID, "服务器未安装 LibreOffice，无法读取 .doc/.wps；请在 Word/WPS 中另存为 .docx 后上传")

// sofficePath finds LibreOffice: XIEZUO_SOFFICE, else soffice or libreoffice on the PATH.
func sofficePath() (string, error) {
	if p := os.Getenv("XIEZUO_SOFFICE"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", errNoSoffice
		}
		return p, nil
	}
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errNoSoffice
}

// convertToDOCX converts an older Word (.doc) or WPS (.wps) document to .docx with LibreOffice
// when it is installed, in a temporary folder removed afterwards: the document, LibreOffice's
// profile (one per conversion, so conversions in parallel do not wait on each other's lock) and
// the result. The conversion is stopped, with every process it started, after convertTimeout or
// when ctx is done; a result larger than MaxDocumentBytes is refused.
func convertToDOCX(ctx context.Context, name string, data []byte) ([]byte, error) {
	soffice, err := sofficePath()
	if err != nil {
		return nil, err
	}
	tmp, err := tempDir()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".wps" {
		ext = ".doc"
	}
	in := filepath.Join(tmp, "document"+ext)
	out := filepath.Join(tmp, "out")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, convertTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice,
		"-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(tmp, "profile")),
		"--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
		"--convert-to", "docx:MS Word 2007 XML", "--outdir", out, in)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	runErr := cmd.Run()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what LibreOffice left running
	}
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "转换“%s”超过 %d 秒仍未完成，已停止：请在 Word/WPS 中另存为 .docx 后上传", filepath.Base(name), int(convertTimeout/time.Second))
		}
		return nil, err
	}
	result := filepath.Join(out, "document.docx")
	fi, err := os.Stat(result)
	if runErr != nil || err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "LibreOffice 无法转换“%s”：文件已损坏或不是 Word/WPS 文档，请在 Word/WPS 中另存为 .docx 后上传", filepath.Base(name))
	}
	if fi.Size() > MaxDocumentBytes {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "“%s”转换为 .docx 后有 %.1f MB，超过 %d MB 的上限，请拆分后再上传", filepath.Base(name), float64(fi.Size())/(1<<20), MaxDocumentBytes>>20)
	}
	return os.ReadFile(result)
}
