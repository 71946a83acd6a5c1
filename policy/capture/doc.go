// Package capture answers, from a packet capture, the question of the
// Genesys BYOC Cloud notice: does the SIP endpoint send a CertificateRequest
// in the TLS handshake? It reads pcap
// (https://www.tcpdump.org/manpages/pcap-savefile.5.html) and pcapng
// (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html) files
// with its own pure-Go reader (no libpcap), frames from any gopacket
// PacketSource (ReadPackets), or the two reassembled byte streams of one TCP
// connection (Scanner, ScanStreams); it scans the TLS record and
// handshake layers, and reports per connection whether the server requested
// a client certificate, the offered and negotiated versions, the server name
// (SNI), the server's certificate chain and the alerts.
//
// The happy path, streaming: each connection is yielded as soon as its
// handshake is settled (or its flow ends), so memory does not grow with the
// number of connections:
//
//	f, err := os.Open("outbound-call.pcap")
//	if err != nil { ... }
//	for c, err := range capture.Connections(f, capture.Options{}) {
//		if err != nil { ... } // a damaged file; the connections before it were yielded
//		fmt.Println(c.Server, c.Version, "CertificateRequest:", c.CertRequest)
//	}
//
// ReadFile and Read collect every connection (whole, until its flow ends)
// into a slice: convenient for small captures.
//
// # What a capture can and cannot show
//
// In TLS 1.2 and earlier every handshake message up to ChangeCipherSpec is
// plaintext: the ServerHello, the server's Certificate chain, the
// CertificateRequest (with its certificate types, signature algorithms and
// acceptable CA names), ServerHelloDone, the client's Certificate message,
// and alerts sent before ChangeCipherSpec. Alerts after it are encrypted:
// they are reported with AlertRecord.Encrypted set and no description.
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
// # Connections that are not TLS
//
// A connection whose first bytes are not a TLS record (plaintext SIP
// "OPTIONS sip:... SIP/2.0", HTTP, ...) is reported with Protocol
// ProtocolNotTLS and its first bytes, and is not scanned or counted as TLS.
// When the capture does not hold the start of the stream (it began
// mid-connection), such bytes give ProtocolUnrecognized: they may be TLS
// whose record boundaries are not in the capture.
//
// # Conflicting copies
//
// TCP retransmissions repeat bytes already seen. While a direction's
// handshake is in progress (until its ChangeCipherSpec, at most 64 KiB),
// the bytes delivered are kept and every later copy of the same sequence
// numbers is compared with them. Copies that differ make the answer
// CertRequestConflict ("cannot be seen") with an error wrapping
// ErrConflict that names the direction and the stream offset: which copy
// the peer read is not in the capture, and the first or the last copy would
// otherwise give yes or no depending on order. Copies that arrive after the
// ChangeCipherSpec are dropped without comparison.
//
// # Memory
//
// Per-flow state is small and bounded: a TCP handshake without data costs
// about 90 bytes (its initial sequence numbers and roles: a SYN flood costs
// that per SYN); a flow with data about 270 bytes until its first bytes
// show TLS; a connection that is not TLS keeps nothing more; a TLS connection in
// progress holds its Scanner (under 1 KiB), its plaintext handshake bytes
// (at most 1 MiB per direction), the handshake stream kept for comparing
// retransmissions (at most 64 KiB per direction) and out-of-order segments
// (at most 4 MiB or 4096 segments per direction). Flows are released when
// they end (FIN from both sides, RST), after Options.IdleTimeout of capture
// time without packets, and, with Connections, as soon as the connection
// is reported. Options.MemoryBudget (DefaultMemoryBudget, 64 MiB) caps the
// estimated total: when it is reached, the flows idle the longest are
// released and reported at once with an Err wrapping ErrMemoryBudget, and
// counted in Stats.Released (Stats.Dropped for flows that carried no data).
// The budget counts the bytes of the flows; the Go heap also holds garbage
// until the collector runs (up to about as much again with GOGC=100, at
// least 4 MB), the read buffer, and the flow tables, which Go maps do not
// shrink: they keep the size of the most flows held at once.
// Of each pcapng Interface Description Block, 8 bytes are kept (link type,
// snap length, timestamp resolution), whatever its options hold; at most
// 2^20 per section. TestHeapPerFileByte holds the heap below 8 bytes per
// byte of the file on many short connections, a SYN flood, ClientHellos
// without answers and one interface per packet; TestSingleConnectionGiB
// reads a 1 GiB single connection with under 1 MiB allocated in all.
//
// # Allocation and speed
//
// The Scanner does not allocate on the scan path: application data is
// skipped record by record, and plaintext handshake bytes are appended to a
// per-direction buffer that is reused after Reset. Results (server name,
// certificates, CA names) share memory with that buffer. Reading a capture
// file goes through one read buffer (256 KiB; a pcapng block of up to 4
// MiB grows it) without copying packets; flows and their TLS state are
// pooled, so in steady state reading allocates nothing per packet (only
// out-of-order segments are copied). BenchmarkCapture measures the bytes
// of the file, all of which are read and decoded (application data record
// bodies are skipped by the TLS scan, not by the file reader), on a
// recording generated from real crypto/tls handshakes; BenchmarkTshark
// runs tshark on the same file. The Scanner benchmarks whose names start
// with "skip-" count application data bytes that the Scanner skips without
// reading them: they measure skipping, not reading.
//
// # Damaged and hostile files
//
// Neither Read nor Connections panics on a damaged or hostile file (the
// fuzz targets FuzzRead, FuzzReadFields and FuzzScan check it). Sequence
// numbers are compared modulo 2^32 (RFC 9293, 3.4): any 32-bit values are
// safe. A damaged file yields the connections read so far and a *Error
// naming the packet and the file offset. Packets above 256 KiB are refused
// and at most 4 MiB are read in search of one packet, whatever the length
// fields claim.
package capture
