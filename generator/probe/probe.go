// Package probe checks live mail servers against the knowledge base: it
// connects to an endpoint, reports what the server offers (TLS version,
// certificate, greeting, capabilities before and after STARTTLS) and
// compares that with what the data says. It never sends credentials and
// never skips certificate verification.
package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"mailkb/generator/model"
)

// Target is the server to probe and how the data says to reach it.
type Target struct {
	Protocol model.Protocol `json:"protocol"`
	Host     string         `json:"host"`
	Port     int            `json:"port"`
	Security model.Security `json:"security"`
}

// Address is host:port, as dialled.
func (t Target) Address() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.Port)) }

func (t Target) String() string {
	return fmt.Sprintf("%s %s (%s)", t.Protocol, t.Address(), t.Security)
}

// Step names the part of the dialogue that failed.
type Step string

const (
	StepConnect      Step = "connect"
	StepTLS          Step = "tls handshake"
	StepGreeting     Step = "greeting"
	StepCapabilities Step = "capabilities"
	StepSTARTTLS     Step = "starttls"
)

// Failure is the step at which a probe stopped and why.
type Failure struct {
	Step    Step   `json:"step"`
	Message string `json:"message"`
	err     error  // for telling kinds of failure apart
}

func fail(step Step, err error) *Failure { return &Failure{Step: step, Message: err.Error(), err: err} }

func (f *Failure) Error() string { return fmt.Sprintf("%s: %s", f.Step, f.Message) }

// Unwrap gives errors.Is the cause, such as errPlaintextReply.
func (f *Failure) Unwrap() error { return f.err }

// TLSInfo is what the TLS layer showed. The certificate fields come from
// the server's leaf certificate even when verification failed, so an
// expired or misnamed certificate can be described.
type TLSInfo struct {
	Version     string    `json:"version,omitempty"`
	CipherSuite string    `json:"cipher_suite,omitempty"`
	Verified    bool      `json:"verified"` // chain trusted and valid for the host today
	VerifyError string    `json:"verify_error,omitempty"`
	Subject     string    `json:"subject,omitempty"`
	Issuer      string    `json:"issuer,omitempty"`
	Names       []string  `json:"names,omitempty"` // DNS and IP subject alternative names
	NotAfter    time.Time `json:"not_after"`
}

// Report is everything one probe saw.
type Report struct {
	Target Target `json:"target"`
	// Remote is the address that answered (the resolved IP).
	Remote string `json:"remote,omitempty"`
	// Security is what the server turned out to speak: tls, starttls
	// (plaintext that offers and completes STARTTLS) or none; empty when
	// the probe could not tell.
	Security model.Security `json:"security_seen,omitempty"`
	TLS      *TLSInfo       `json:"tls,omitempty"`
	Greeting string         `json:"greeting,omitempty"`
	// Capabilities is the first listing: EHLO keywords, IMAP CAPABILITY
	// atoms or POP3 CAPA lines, as the server wrote them.
	Capabilities []string `json:"capabilities,omitempty"`
	// AfterSTARTTLS is the listing asked again inside the upgraded channel.
	AfterSTARTTLS []string `json:"capabilities_after_starttls,omitempty"`
	// Auth lists the SASL mechanisms offered on the channel a client
	// would sign in on (after STARTTLS when there is one).
	Auth []string `json:"auth_mechanisms,omitempty"`
	// PasswordCommand is true when the protocol's own plaintext login
	// command is allowed there: IMAP LOGIN without LOGINDISABLED, POP3 USER.
	PasswordCommand bool          `json:"password_command,omitempty"`
	Failure         *Failure      `json:"failure,omitempty"`
	Elapsed         time.Duration `json:"elapsed_ns"`
}

// Prober probes servers. Its zero value is not usable; call New.
type Prober struct {
	timeout time.Duration
	roots   *x509.CertPool // nil: the system roots
	dial    func(ctx context.Context, network, address string) (net.Conn, error)
}

// Option configures a Prober.
type Option func(*Prober)

// DefaultTimeout bounds each network step unless WithTimeout says otherwise.
const DefaultTimeout = 10 * time.Second

// WithTimeout bounds each network step: the dial, the TLS handshake and
// each reply. A server that accepts and says nothing fails after d.
func WithTimeout(d time.Duration) Option { return func(p *Prober) { p.timeout = d } }

// WithRootCAs sets the certificate authorities trusted for verification
// (default: the system's).
func WithRootCAs(pool *x509.CertPool) Option { return func(p *Prober) { p.roots = pool } }

// WithDialContext sets how connections are made (default: a net.Dialer).
// Tests use it to reach a name that does not resolve, such as a .test
// host, on loopback; the TLS checks still use the name.
func WithDialContext(dial func(ctx context.Context, network, address string) (net.Conn, error)) Option {
	return func(p *Prober) { p.dial = dial }
}

// New returns a Prober with the given options.
func New(opts ...Option) *Prober {
	p := &Prober{timeout: DefaultTimeout, dial: new(net.Dialer).DialContext}
	for _, o := range opts {
		o(p)
	}
	return p
}

// SystemRootsPlus returns the system's certificate authorities plus those
// in a PEM file, for servers whose certificate a private CA signed.
func SystemRootsPlus(pemFile string) (*x509.CertPool, error) {
	data, err := os.ReadFile(pemFile)
	if err != nil {
		return nil, fmt.Errorf("--ca: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("--ca %s: no PEM certificate in it; give the CA certificate (-----BEGIN CERTIFICATE-----)", pemFile)
	}
	return pool, nil
}

// Probe connects to t, reads what the server offers and ends the session
// politely. It always returns a report; a failed step is in its Failure.
func (p *Prober) Probe(ctx context.Context, t Target) Report {
	start := time.Now()
	r := p.probe(ctx, t)
	if r.Failure != nil && r.Security == "" {
		r.Security = p.detectSecurity(ctx, t, r.Failure)
	}
	r.Elapsed = time.Since(start)
	return r
}

// probe runs one connection's dialogue.
func (p *Prober) probe(ctx context.Context, t Target) (r Report) {
	r.Target = t
	d, ok := dialogues[t.Protocol]
	if !ok {
		r.Failure = fail(StepConnect, fmt.Errorf("mailkb cannot probe %s; it probes imap, pop3 and smtp", t.Protocol))
		return r
	}
	dialCtx, cancel := context.WithTimeout(ctx, p.timeout)
	conn, err := p.dial(dialCtx, "tcp", t.Address())
	cancel()
	if err != nil {
		r.Failure = fail(StepConnect, describeDialError(err, p.timeout))
		return r
	}
	// Cancelling ctx closes the connection, which ends any blocked read.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	r.Remote = conn.RemoteAddr().String()
	s := newSession(conn, p.timeout)
	defer func() { s.conn.Close() }()

	if t.Security == model.TLS {
		if r.TLS, err = p.handshake(s, t.Host); err != nil {
			r.Failure = fail(StepTLS, err)
			if r.TLS != nil {
				r.Security = model.TLS // it spoke TLS; the certificate failed
			}
			return r
		}
		r.Security = model.TLS
	}
	if r.Greeting, err = d.greet(s); err != nil {
		r.Failure = fail(StepGreeting, err)
		return r
	}
	// From here on, say goodbye whatever happens, unless the connection
	// itself failed.
	defer func() {
		if !s.broken {
			d.quit(s)
		}
	}()
	if r.Capabilities, err = d.capabilities(s); err != nil {
		r.Failure = fail(StepCapabilities, err)
		return r
	}
	final := r.Capabilities
	if t.Security != model.TLS {
		r.Security = model.NoTLS
		if hasWord(r.Capabilities, d.startTLSWord) {
			r.Security = model.STARTTLS
		}
	}
	if t.Security == model.STARTTLS && r.Security == model.STARTTLS {
		if err := d.startTLS(s); err != nil {
			r.Failure = fail(StepSTARTTLS, err)
			return r
		}
		if r.TLS, err = p.handshake(s, t.Host); err != nil {
			r.Failure = fail(StepSTARTTLS, fmt.Errorf("TLS handshake after STARTTLS: %w", err))
			return r
		}
		if r.AfterSTARTTLS, err = d.capabilities(s); err != nil {
			r.Failure = fail(StepCapabilities, fmt.Errorf("after STARTTLS: %w", err))
			return r
		}
		final = r.AfterSTARTTLS
	}
	r.Auth, r.PasswordCommand = d.auth(final)
	return r
}

// handshake upgrades s to TLS for host, verifying the certificate. On a
// verification failure it still returns what the certificate says.
func (p *Prober) handshake(s *session, host string) (*TLSInfo, error) {
	if err := s.upgradeable(); err != nil {
		return nil, err
	}
	// TLS 1.0 and 1.1 are accepted so that the report can name them; the
	// data records no TLS version to compare with.
	conn := tls.Client(s.conn, &tls.Config{ServerName: host, RootCAs: p.roots, MinVersion: tls.VersionTLS10})
	s.step()
	s.broken = true // until the handshake succeeds
	err := conn.Handshake()
	if err != nil {
		var verr *tls.CertificateVerificationError
		if errors.As(err, &verr) && len(verr.UnverifiedCertificates) > 0 {
			info := describeCertificate(verr.UnverifiedCertificates[0])
			info.VerifyError = describeVerifyError(verr.Err, host, info)
			return &info, errors.New(info.VerifyError)
		}
		return nil, describeHandshakeError(err, s.timeout)
	}
	st := conn.ConnectionState()
	info := describeCertificate(st.PeerCertificates[0])
	info.Verified = true
	info.Version = tls.VersionName(st.Version)
	info.CipherSuite = tls.CipherSuiteName(st.CipherSuite)
	s.replaceConn(conn)
	return &info, nil
}

func describeCertificate(c *x509.Certificate) TLSInfo {
	info := TLSInfo{Subject: c.Subject.String(), Issuer: c.Issuer.String(), NotAfter: c.NotAfter.UTC()}
	info.Names = append(info.Names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		info.Names = append(info.Names, ip.String())
	}
	return info
}

// detectSecurity runs a second, short probe when the first one failed in
// a way that suggests the data has the wrong security, and returns what
// the server speaks: plaintext where TLS was expected (with or without
// STARTTLS), or TLS where a plaintext greeting was expected.
func (p *Prober) detectSecurity(ctx context.Context, t Target, f *Failure) model.Security {
	alt := t
	switch {
	case t.Security == model.TLS && f.Step == StepTLS && errors.Is(f, errPlaintextReply):
		alt.Security = model.NoTLS // greeting and capabilities show whether STARTTLS is offered
	case t.Security != model.TLS && f.Step == StepGreeting && errors.Is(f, errSilent):
		alt.Security = model.TLS
	default:
		return ""
	}
	return p.probe(ctx, alt).Security
}
