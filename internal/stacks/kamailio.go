package stacks

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlscompat/tlscompat/internal/testpki"
)

// kamailioModuleDirs are the module directories [StartKamailio] looks in
// for tls.so, first match wins: Debian/Ubuntu's multiarch directory
// (kamailio-tls-modules), then the usual non-multiarch and source-install
// ones.
var kamailioModuleDirs = []string{
	"/usr/lib/*/kamailio/modules",
	"/usr/lib/kamailio/modules",
	"/usr/lib64/kamailio/modules",
	"/usr/local/lib64/kamailio/modules",
	"/usr/local/lib/kamailio/modules",
}

// kamailioModules returns the first directory of patterns (filepath.Glob
// patterns) that holds tls.so, or an error naming every pattern tried.
func kamailioModules(patterns []string) (string, error) {
	for _, pat := range patterns {
		dirs, err := filepath.Glob(pat)
		if err != nil {
			return "", fmt.Errorf("kamailio module directory pattern %q: %v", pat, err)
		}
		for _, d := range dirs {
			if fi, err := os.Stat(filepath.Join(d, "tls.so")); err == nil && fi.Mode().IsRegular() {
				return d, nil
			}
		}
	}
	return "", fmt.Errorf("kamailio tls module tls.so not found in any of %s (%s)", strings.Join(patterns, ", "), installHint["kamailio"])
}

// KamailioOptions configures the tls module's [server:default] domain, in
// tls.cfg's own words.
type KamailioOptions struct {
	// VerifyCertificate is verify_certificate.
	VerifyCertificate bool
	// RequireCertificate is require_certificate.
	RequireCertificate bool
	// VerifyClient is verify_client ("off", "on", "optional",
	// "optional_no_ca"); empty leaves it out (Kamailio's default, off).
	VerifyClient string
	// Method is the tls.cfg method ("TLSv1.2", "TLSv1.3", "TLSv1.2+", …);
	// empty means "TLSv1.2+".
	Method string
	// CAList, if set, replaces the ca_list file (default: both [testpki]
	// roots).
	CAList string
}

// method returns the method with its default.
func (o KamailioOptions) method() string {
	if o.Method == "" {
		return "TLSv1.2+"
	}
	return o.Method
}

// Args returns the tls.cfg settings that select the client-certificate mode
// and versions, e.g. "verify_certificate=yes require_certificate=no
// method=TLSv1.2+" (what Description shows).
func (o KamailioOptions) Args() []string {
	args := []string{
		"verify_certificate=" + yesNo(o.VerifyCertificate),
		"require_certificate=" + yesNo(o.RequireCertificate),
	}
	if o.VerifyClient != "" {
		args = append(args, "verify_client="+o.VerifyClient)
	}
	return append(args, "method="+o.method())
}

// TLSConfig returns the tls.cfg text: one [server:default] domain with the
// given files.
func (o KamailioOptions) TLSConfig(certificate, privateKey, caList string) string {
	var b strings.Builder
	b.WriteString("[server:default]\n")
	for _, a := range o.Args() {
		k, v, _ := strings.Cut(a, "=")
		fmt.Fprintf(&b, "%s = %s\n", k, v)
	}
	fmt.Fprintf(&b, "verify_depth = 5\ncertificate = %s\nprivate_key = %s\nca_list = %s\n", certificate, privateKey, caList)
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// kamailioConfig returns a minimal kamailio.cfg listening for SIP over TLS
// on 127.0.0.1:port that answers every SIP request statelessly with
// "200 OK" (sl module), so that a client sees a positive answer after a
// handshake the server accepted (see [SIPOptions]).
func kamailioConfig(port int, tlsCfg string) string {
	return `#!KAMAILIO
debug=2
log_stderror=yes
memdbg=5
memlog=5
children=1
tcp_children=1
auto_aliases=no
dns=no
rev_dns=no
use_dns_cache=no
disable_sctp=yes
enable_tls=yes
listen=tls:127.0.0.1:` + strconv.Itoa(port) + `
tcp_connection_lifetime=30
loadmodule "tls.so"
loadmodule "sl.so"
modparam("tls", "config", "` + tlsCfg + `")
request_route {
	sl_send_reply("200", "OK");
	exit;
}
`
}

// SIPAnswer is the start of the status line Kamailio, as [StartKamailio]
// configures it, sends back for every SIP request.
const SIPAnswer = "SIP/2.0 200 "

// SIPOptions returns opts set up for a SIP server such as [StartKamailio]'s:
// after the handshake the client writes a SIP OPTIONS request
// ([SIPOptionsRequest]) and only a "SIP/2.0 200" status line
// ([SIPAnswer]) makes the connection OK. An alert or close is a rejection as
// before, and silence until ReadTimeout is a failure, never a success.
func SIPOptions(opts ClientOptions) ClientOptions {
	opts.Request = SIPOptionsRequest
	opts.Answer = SIPAnswer
	return opts
}

// SIPOptionsRequest returns a well-formed SIP OPTIONS request (RFC 3261)
// for the TLS connection from local to remote: Request-URI and To name
// remote, Via (SIP/2.0/TLS, with rport) and From name local, with a fresh
// branch, tag and Call-ID, Max-Forwards 70 and Content-Length 0.
func SIPOptionsRequest(local, remote net.Addr) string {
	id := rand.Text()
	var b strings.Builder
	fmt.Fprintf(&b, "OPTIONS sip:%s;transport=tls SIP/2.0\r\n", remote)
	fmt.Fprintf(&b, "Via: SIP/2.0/TLS %s;branch=z9hG4bK%s;rport\r\n", local, id)
	b.WriteString("Max-Forwards: 70\r\n")
	fmt.Fprintf(&b, "From: <sip:tlscompat@%s>;tag=%s\r\n", local, id[:10])
	fmt.Fprintf(&b, "To: <sip:%s>\r\n", remote)
	fmt.Fprintf(&b, "Call-ID: %s@tlscompat\r\n", id)
	b.WriteString("CSeq: 1 OPTIONS\r\n")
	b.WriteString("Content-Length: 0\r\n\r\n")
	return b.String()
}

// StartKamailio starts `kamailio -DD -E` (foreground, logging to stderr)
// with a generated kamailio.cfg listening on tls:127.0.0.1:<free port> and
// a generated tls.cfg whose [server:default] domain has the options, the
// [testpki] server chain and both test roots as ca_list. The pid file and
// runtime directory are in t.TempDir(). Kamailio does not echo: it answers
// SIP requests, every one with "SIP/2.0 200 OK", so connect with
// [SIPOptions] options; [Handshake]'s default line gets no answer. The tls
// module is looked for in /usr/lib/*/kamailio/modules and the other usual
// module directories; the test fails if none has tls.so. At the end of the test the main process gets SIGTERM (it then
// stops its children) and, if it has not exited within 5 s, SIGKILL.
//
// The server runs one TCP reader process (tcp_children=1): Kamailio 5.6.3's
// tls module with OpenSSL 3.0 corrupts its shared memory when several
// reader processes run handshakes at once (q_malloc "freeing already freed
// pointer" from tls_init.c ser_free, then a child dies on SIGABRT and the
// server exits).
func StartKamailio(t testing.TB, opts KamailioOptions) *Server {
	t.Helper()
	Need(t, "kamailio")
	modules, err := kamailioModules(kamailioModuleDirs)
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	dir := t.TempDir()
	files, err := testpki.New().WriteFiles(dir)
	if err != nil {
		t.Fatalf("stacks: %v", err)
	}
	desc := "kamailio tls " + strings.Join(opts.Args(), " ")
	n := 0
	return startRetry(t, desc, func() (*Server, error) {
		n++
		p, addr, err := startKamailio(filepath.Join(dir, "run"+strconv.Itoa(n)), modules, files, opts)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { stopKamailio(p) })
		return &Server{Kind: Kamailio, Addr: addr, Description: desc, log: p.log}, nil
	})
}

// startKamailio writes kamailio.cfg and tls.cfg into the new directory run
// and starts Kamailio there on a free port with module directory modules; it returns once the port
// accepts connections, or stops the process and returns an error with its
// log.
func startKamailio(run, modules string, files testpki.Files, opts KamailioOptions) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	if err := os.Mkdir(run, 0o755); err != nil {
		return nil, "", fmt.Errorf("kamailio runtime dir: %v", err)
	}
	ca := opts.CAList
	if ca == "" {
		ca = files.CA
	}
	tlsCfg := filepath.Join(run, "tls.cfg")
	if err := os.WriteFile(tlsCfg, []byte(opts.TLSConfig(files.ServerChain, files.ServerKey, ca)), 0o644); err != nil {
		return nil, "", fmt.Errorf("writing %s: %v", tlsCfg, err)
	}
	cfg := filepath.Join(run, "kamailio.cfg")
	if err := os.WriteFile(cfg, []byte(kamailioConfig(port, tlsCfg)), 0o644); err != nil {
		return nil, "", fmt.Errorf("writing %s: %v", cfg, err)
	}
	p, err := startProc("kamailio", "-f", cfg, "-DD", "-E", "-m", "128", "-M", "8",
		"-L", modules, "-Y", run, "-P", filepath.Join(run, "kamailio.pid"), "-w", run)
	if err != nil {
		return nil, "", err
	}
	p.stopLines() // readiness is the connect poll; the log keeps the output
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	err = waitConnect(ctx, addr, p.exited)
	cancel()
	if err != nil {
		stopKamailio(p)
		return nil, "", fmt.Errorf("kamailio (%s): %v\n%s", cfg, err, p.log)
	}
	return p, addr, nil
}

// stopKamailio ends Kamailio and its children: SIGTERM to the main process
// (which terminates the children it forked and waits for them), then, if it
// is still running after 5 s, SIGKILL.
func stopKamailio(p *proc) {
	p.stopLines()
	_ = p.stdin.Close()
	if p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		return
	case <-time.After(5 * time.Second):
	}
	p.kill()
}
