package policy

import (
	"crypto/tls"
)

// OpenSSLMode maps an OpenSSL server's SSL_CTX_set_verify flags to a mode.
// callbackAcceptsAll reports a verify callback that returns 1 on errors
// (openssl s_server without -verify_return_error).
func OpenSSLMode(verifyPeer, failIfNoPeerCert, callbackAcceptsAll bool) ClientAuth {
	switch {
	case !verifyPeer:
		return ClientAuthNone
	case callbackAcceptsAll && failIfNoPeerCert:
		return ClientAuthRequireAny
	case callbackAcceptsAll:
		return ClientAuthRequest
	case failIfNoPeerCert:
		return ClientAuthRequireAndVerify
	}
	return ClientAuthVerifyIfGiven
}

// SServerMode maps openssl s_server's flags: flag is "", "-verify" or
// "-Verify".
func SServerMode(flag string, verifyReturnError bool) (ClientAuth, error) {
	switch flag {
	case "":
		return ClientAuthNone, nil
	case "-verify":
		return OpenSSLMode(true, false, !verifyReturnError), nil
	case "-Verify":
		return OpenSSLMode(true, true, !verifyReturnError), nil
	}
	return 0, errorf("unknown s_server flag %q", flag)
}

// GoMode maps a crypto/tls ClientAuthType.
func GoMode(t tls.ClientAuthType) ClientAuth {
	switch t {
	case tls.NoClientCert:
		return ClientAuthNone
	case tls.RequestClientCert:
		return ClientAuthRequest
	case tls.RequireAnyClientCert:
		return ClientAuthRequireAny
	case tls.VerifyClientCertIfGiven:
		return ClientAuthVerifyIfGiven
	case tls.RequireAndVerifyClientCert:
		return ClientAuthRequireAndVerify
	}
	return ClientAuthUnknown
}

// JavaMode maps SSLServerSocket setWantClientAuth/setNeedClientAuth with the
// default trust manager: a received certificate is always checked, so "want"
// is verify-if-given.
func JavaMode(want, need bool) ClientAuth {
	switch {
	case need:
		return ClientAuthRequireAndVerify
	case want:
		return ClientAuthVerifyIfGiven
	}
	return ClientAuthNone
}

// GnuTLSServMode maps gnutls-serv's flags (the default requests a
// certificate without verifying it).
func GnuTLSServMode(disableClientCert, requireClientCert, verifyClientCert bool) ClientAuth {
	switch {
	case disableClientCert:
		return ClientAuthNone
	case requireClientCert && verifyClientCert:
		return ClientAuthRequireAndVerify
	case requireClientCert:
		return ClientAuthRequireAny
	case verifyClientCert:
		return ClientAuthVerifyIfGiven
	}
	return ClientAuthRequest
}
