// Package capture answers, from a packet capture, the question of the
// Genesys BYOC Cloud notice: does the SIP endpoint send a CertificateRequest
// in the TLS handshake? It reads pcap and pcapng files with the pure-Go
// readers of github.com/gopacket/gopacket/pcapgo (no libpcap), or takes the
// two reassembled byte streams of one TCP connection, scans the TLS record and
// handshake layers, and reports per connection whether the server requested
// a client certificate, the offered and negotiated versions, the server name
// (SNI), the server's certificate chain and the alerts.
//
// The happy path:
//
//	conns, err := capture.ReadFile("outbound-call.pcap")
//	if err != nil { ... }
//	for _, c := range conns {
//		fmt.Println(c.Server, c.Version, "CertificateRequest:", c.CertRequest)
//	}
//
// # What a capture can and cannot show
//
// In TLS 1.2 and earlier every handshake message up to ChangeCipherSpec is
// plaintext: the ServerHello, the server's Certificate chain, the
// CertificateRequest (with its certificate types, signature algorithms and
// acceptable CA names), ServerHelloDone, the client's Certificate message,
// and alerts sent before ChangeCipherSpec. Alerts after it are encrypted:
// they are reported with Alert.Encrypted set and no description.
//
// In TLS 1.3 only the ClientHello, the ServerHello (or HelloRetryRequest)
// and alerts sent before the ServerHello are plaintext. Everything the
// server sends after the ServerHello — EncryptedExtensions, the
// CertificateRequest, its Certificate chain — and every later alert is
// encrypted. For TLS 1.3 connections CertRequest is CertRequestEncrypted and
// the server chain is empty: a passive capture cannot answer the question.
// Ask the endpoint itself with the active probe in package policy/probe, or
// capture a handshake in which the client offers at most TLS 1.2.
//
// An SSL 2.0-compatible ClientHello (RFC 5246, E.2), as old clients send,
// is read: it offers its version and has no extensions
// (ClientHello.SSL2Compatible).
//
// # Allocation
//
// The Scanner does not allocate on the scan path: application data is
// skipped record by record, and plaintext handshake bytes are appended to a
// per-direction buffer that is reused after Reset. Results (server name,
// certificates, CA names) share memory with that buffer. Reading a capture
// file allocates per connection, for out-of-order TCP segments and in
// pcapgo's readers.
//
// # Damaged and hostile files
//
// Read never panics on a damaged file (a panic inside pcapgo would be turned
// into an error; the fuzz target FuzzRead checks it). It returns the
// connections read so far with a *Error naming the packet and the file
// offset, wrapping pcapgo's error. Packets above 256 KiB are refused and at
// most 4 MiB are read in search of one packet, whatever the length fields
// claim.
package capture
