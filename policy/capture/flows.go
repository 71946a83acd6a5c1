package capture

import (
	"bytes"
	"errors"
	"net/netip"
	"strconv"
	"unsafe"
)

// flowKey identifies a TCP flow in both directions: the lower endpoint
// first. IPv4 addresses are stored IPv4-mapped.
type flowKey struct {
	a, b   [16]byte
	pa, pb uint16
	v4     bool
}

// keyOf returns the key of the flow from src to dst, and whether src is
// the key's first endpoint.
func keyOf(src, dst netip.AddrPort) (flowKey, bool) {
	a, b := src, dst
	srcIsA := true
	if b.Addr().Less(a.Addr()) || (a.Addr() == b.Addr() && b.Port() < a.Port()) {
		a, b = b, a
		srcIsA = false
	}
	return flowKey{a: a.Addr().As16(), b: b.Addr().As16(), pa: a.Port(), pb: b.Port(), v4: src.Addr().Is4()}, srcIsA
}

// endpoint returns the key's first (a) or second endpoint.
func (k *flowKey) endpoint(first bool) netip.AddrPort {
	ip, port := k.a, k.pa
	if !first {
		ip, port = k.b, k.pb
	}
	addr := netip.AddrFrom16(ip)
	if k.v4 {
		addr = addr.Unmap()
	}
	return netip.AddrPortFrom(addr, port)
}

// Estimated costs of the structures, for the memory budget. A Go map entry
// costs its key and value plus about a quarter of slack and control bytes.
const (
	flowCost       = int64(unsafe.Sizeof(flow{})) + int64(unsafe.Sizeof(flowKey{})+8)*5/4 + 16
	tlsStateCost   = int64(unsafe.Sizeof(tlsState{}))
	pendingSegCost = int64(unsafe.Sizeof(pendingSegment{}))
	// maxKeep bounds the handshake stream bytes kept per direction to
	// compare retransmitted copies with.
	maxKeep = 64 << 10
	// pooled buffers larger than this are dropped, not reused.
	maxPooledBuf = 16 << 10
	maxPool      = 64
)

// tracker follows the TCP flows of a capture and reports connections.
type tracker struct {
	n     int // packets seen
	flows map[flowKey]*flow
	syns  map[flowKey]synState // handshakes of flows without data yet
	head  *flow                // least recently active
	tail  *flow
	live  int
	seg   segment

	mem      int64
	budget   int64
	idle     int64 // nanoseconds
	now      int64
	swept    int64
	early    bool
	stats    Stats
	statsOut *Stats
	emit     func(Connection) bool
	stop     bool

	freeFlows []*flow
	freeTLS   []*tlsState
	closingQ  []closingFlow // flows waiting for their final ACK, oldest first
	qHead     int
}

// closingFlow is a flow that both sides closed, from packet at on; gen
// tells it from a later use of the same (pooled) flow.
type closingFlow struct {
	f   *flow
	gen uint32
	at  int
}

// closeWait is the number of packets a closed flow waits for its final ACK.
const closeWait = 64

// flow is one TCP connection; half[0] carries client->server bytes. Until
// its first data shows TLS it holds no Scanner: a flow with only a SYN, or
// whose first bytes are another protocol, costs flowCost.
type flow struct {
	key         flowKey
	clientIsA   bool // the client is the key's first endpoint
	roleKnown   bool
	data        bool
	reported    bool
	closing     bool   // both FINs seen, all data delivered
	gen         uint32 // incremented each time the flow is reused
	rst         bool
	proto       Protocol
	classified  bool
	first, last int
	lastTS      int64
	half        [2]tcpHalf
	firstBytes  [32]byte
	firstN      uint8
	cost        int64
	prev, next  *flow
	tls         *tlsState
}

type tcpHalf struct {
	started bool
	syn     bool
	fin     bool
	stopped bool
	isn     uint32
	next    uint32
	finSeq  uint32
	bytes   int64 // bytes of a non-TLS flow
}

// tlsState is the TLS part of a flow: the Scanner, the out-of-order
// segments and the handshake bytes kept to compare retransmissions with.
type tlsState struct {
	sc      Scanner
	pending [2][]pendingSegment
	pendN   [2]int
	keep    [2][]byte
	keepSeq [2]uint32
	keeping [2]bool
}

type pendingSegment struct {
	seq     uint32
	data    []byte
	missing int // bytes cut by the snap length after data
}

func newTracker(o Options, emit func(Connection) bool) *tracker {
	t := &tracker{flows: make(map[flowKey]*flow), budget: o.MemoryBudget, idle: int64(o.IdleTimeout),
		early: !o.WholeConnection, statsOut: o.Stats, emit: emit}
	if t.budget <= 0 {
		t.budget = DefaultMemoryBudget
	}
	if t.idle <= 0 {
		t.idle = int64(DefaultIdleTimeout)
	}
	return t
}

// list operations: the flows in order of their last packet.
func (t *tracker) unlink(f *flow) {
	if f.prev != nil {
		f.prev.next = f.next
	} else {
		t.head = f.next
	}
	if f.next != nil {
		f.next.prev = f.prev
	} else {
		t.tail = f.prev
	}
	f.prev, f.next = nil, nil
}

func (t *tracker) pushBack(f *flow) {
	f.prev, f.next = t.tail, nil
	if t.tail != nil {
		t.tail.next = f
	} else {
		t.head = f
	}
	t.tail = f
}

func (t *tracker) newFlow(key flowKey) *flow {
	var f *flow
	if n := len(t.freeFlows); n > 0 {
		f = t.freeFlows[n-1]
		t.freeFlows = t.freeFlows[:n-1]
		*f = flow{gen: f.gen + 1}
	} else {
		f = new(flow)
	}
	f.key = key
	f.first = t.n
	f.cost = flowCost
	t.mem += flowCost
	t.flows[key] = f
	t.pushBack(f)
	t.live++
	if n := t.live + len(t.syns); n > t.stats.PeakFlows {
		t.stats.PeakFlows = n
	}
	return f
}

// release forgets a flow (after it was reported, if it carried data).
func (t *tracker) release(f *flow) {
	t.dropTLS(f)
	t.mem -= f.cost
	if t.flows[f.key] == f {
		delete(t.flows, f.key)
	}
	t.unlink(f)
	t.live--
	if len(t.freeFlows) < maxPool {
		t.freeFlows = append(t.freeFlows, f)
	}
}

func (t *tracker) newTLS() *tlsState {
	if n := len(t.freeTLS); n > 0 {
		s := t.freeTLS[n-1]
		t.freeTLS = t.freeTLS[:n-1]
		return s
	}
	return new(tlsState)
}

// dropTLS returns a flow's TLS state to the pool.
func (t *tracker) dropTLS(f *flow) {
	s := f.tls
	if s == nil {
		return
	}
	f.tls = nil
	t.mem -= f.cost - flowCost
	f.cost = flowCost
	if len(t.freeTLS) >= maxPool {
		return
	}
	s.sc.Reset()
	for i := range 2 {
		if cap(s.sc.dirSide(i).hs) > maxPooledBuf {
			s.sc.dirSide(i).hs = nil
		}
		s.keep[i] = s.keep[i][:0]
		if cap(s.keep[i]) > maxPooledBuf {
			s.keep[i] = nil
		}
		s.pending[i] = nil
		s.pendN[i] = 0
		s.keeping[i] = false
	}
	t.freeTLS = append(t.freeTLS, s)
}

// account updates the memory estimate of f.
func (t *tracker) account(f *flow) {
	c := flowCost
	if s := f.tls; s != nil {
		c += tlsStateCost + int64(cap(s.sc.client.hs)+cap(s.sc.server.hs))
		for i := range 2 {
			c += int64(cap(s.keep[i])+s.pendN[i]) + int64(cap(s.pending[i]))*pendingSegCost
		}
	}
	t.mem += c - f.cost
	f.cost = c
	if t.mem > t.stats.PeakMemory {
		t.stats.PeakMemory = t.mem
	}
}

func (t *tracker) packet(link uint16, ts int64, data []byte) {
	t.n++
	t.stats.Packets++
	if decodePacket(link, data, &t.seg) != decodeOK {
		return
	}
	t.stats.TCP++
	t.now = ts
	sg := &t.seg
	key, srcIsA := keyOf(sg.src, sg.dst)
	f := t.flows[key]
	synOnly := sg.flags&(tcpSYN|tcpACK) == tcpSYN
	if f != nil && synOnly && f.roleKnown && f.clientIsA == srcIsA {
		// A new SYN on a finished connection, or with another initial
		// sequence number, starts a new connection on the same ports.
		if h := &f.half[0]; f.rst || h.fin || (h.syn && h.isn != sg.seq) {
			t.end(f, nil)
			f = nil
		}
	}
	if f == nil {
		if len(sg.payload) == 0 {
			switch {
			case sg.flags&(tcpFIN|tcpRST) != 0:
				t.forgetSyn(key) // the handshake ended without data
			case sg.flags&tcpSYN != 0:
				t.syn(key, srcIsA, sg.seq, sg.flags&tcpACK == 0, ts)
			}
			t.trim()
			return // an ACK of a flow without data, or not (or no longer) followed
		}
		f = t.newFlow(key)
		if s, ok := t.syns[key]; ok {
			t.promote(f, s)
			t.forgetSyn(key)
		}
	} else {
		t.unlink(f)
		t.pushBack(f)
	}
	f.last = t.n
	f.lastTS = ts
	if f.closing {
		// The final ACK after both FINs: the connection's last packet.
		t.end(f, nil)
		t.trim()
		return
	}
	if !f.roleKnown {
		srcIsClient := sg.flags&tcpACK == 0
		if sg.flags&tcpSYN == 0 {
			srcIsClient = guessClient(sg.payload, sg.src, sg.dst)
		}
		f.roleKnown = true
		f.clientIsA = srcIsClient == srcIsA
	}
	dir := ClientToServer
	if srcIsA != f.clientIsA {
		dir = ServerToClient
	}
	h := &f.half[dir-1]
	if sg.flags&tcpRST != 0 {
		f.rst = true
	}
	if !f.reported {
		t.segment(f, dir, sg)
	}
	if sg.flags&tcpFIN != 0 && !h.fin {
		h.fin = true
		h.finSeq = sg.seq + uint32(len(sg.payload))
		if sg.flags&tcpSYN != 0 {
			h.finSeq++
		}
	}
	t.account(f)
	switch {
	case f.rst || (f.reported && f.half[0].fin && f.half[1].fin):
		t.end(f, nil)
	case f.half[0].fin && f.half[1].fin && f.half[0].next == f.half[0].finSeq && f.half[1].next == f.half[1].finSeq:
		// Both sides closed and every byte was seen: the connection ends
		// with its next packet (the final ACK), or closeWait packets
		// later, or at the end of the capture.
		if !f.closing {
			f.closing = true
			t.closingQ = append(t.closingQ, closingFlow{f, f.gen, t.n})
		}
	case t.early && !f.reported && f.tls != nil && f.tls.sc.settled():
		t.report(f, nil)
		t.dropTLS(f)
		t.account(f)
	}
	t.trim()
}

// trim enforces the memory budget and the idle timeout. Over the budget,
// handshakes without data go first, then the flows idle the longest.
func (t *tracker) trim() {
	for t.qHead < len(t.closingQ) && t.n-t.closingQ[t.qHead].at > closeWait {
		e := t.closingQ[t.qHead]
		t.qHead++
		if e.f.gen == e.gen && e.f.closing && t.flows[e.f.key] == e.f {
			t.end(e.f, nil)
		}
	}
	if t.qHead > 0 && t.qHead >= len(t.closingQ)/2 {
		t.closingQ = t.closingQ[:copy(t.closingQ, t.closingQ[t.qHead:])]
		t.qHead = 0
	}
	if t.mem > t.budget && len(t.syns) > 0 {
		for k := range t.syns {
			t.forgetSyn(k)
			t.stats.Dropped++
			if t.mem <= t.budget-t.budget/8 {
				break
			}
		}
	}
	for t.mem > t.budget && t.head != nil && !t.stop {
		t.end(t.head, ErrMemoryBudget)
	}
	if t.now-t.swept > t.idle/4 || t.now < t.swept {
		t.swept = t.now
		for t.head != nil && t.now-t.head.lastTS > t.idle && !t.stop {
			t.end(t.head, nil)
		}
		for k, s := range t.syns {
			if t.now-s.lastTS > t.idle {
				t.forgetSyn(k)
			}
		}
	}
}

// synState is what is kept of a TCP handshake until its first data: the
// initial sequence numbers and who sent a SYN.
type synState struct {
	isn    [2]uint32 // of the key's first and second endpoint
	lastTS int64
	first  int32 // packet number of the first SYN
	seen   uint8 // synA, synB, clientA, clientB
}

const (
	synA    = 1 << iota // the key's first endpoint sent a SYN
	synB                // the second one did
	clientA             // the first endpoint's SYN had no ACK: it is the client
	clientB
	synCost = int64(unsafe.Sizeof(flowKey{})+unsafe.Sizeof(synState{})+8) * 5 / 4
)

// syn records a SYN of a flow that has carried no data yet.
func (t *tracker) syn(key flowKey, srcIsA bool, seq uint32, noACK bool, ts int64) {
	s, ok := t.syns[key]
	if !ok {
		if t.syns == nil {
			t.syns = make(map[flowKey]synState)
		}
		s.first = int32(min(t.n, 1<<31-1))
		t.mem += synCost
		if n := t.live + len(t.syns) + 1; n > t.stats.PeakFlows {
			t.stats.PeakFlows = n
		}
	}
	i, bits := 0, uint8(synA)
	if !srcIsA {
		i, bits = 1, synB
	}
	if noACK {
		bits |= bits << 2
	}
	s.isn[i] = seq
	s.seen |= bits
	s.lastTS = ts
	t.syns[key] = s
	if t.mem > t.stats.PeakMemory {
		t.stats.PeakMemory = t.mem
	}
}

func (t *tracker) forgetSyn(key flowKey) {
	if _, ok := t.syns[key]; ok {
		delete(t.syns, key)
		t.mem -= synCost
	}
}

// promote gives a new flow what its handshake showed: the roles, the
// initial sequence numbers and its first packet.
func (t *tracker) promote(f *flow, s synState) {
	f.first = int(s.first)
	f.roleKnown = true
	switch {
	case s.seen&clientA != 0:
		f.clientIsA = true
	case s.seen&clientB != 0:
		f.clientIsA = false
	default:
		f.clientIsA = s.seen&synA == 0 // only a SYN-ACK was seen: its sender is the server
	}
	for i, bit := range [2]uint8{synA, synB} {
		if s.seen&bit == 0 {
			continue
		}
		h := &f.half[0]
		if (i == 0) != f.clientIsA {
			h = &f.half[1]
		}
		h.syn, h.isn, h.started, h.next = true, s.isn[i], true, s.isn[i]+1
	}
}

// guessClient decides from the first payload seen whether its sender is the
// client: a ClientHello (also in SSL 2.0 framing) says yes, a ServerHello no; otherwise the side with
// the higher (ephemeral) port is taken as the client.
func guessClient(p []byte, src, dst netip.AddrPort) bool {
	if len(p) >= 3 && p[0]&0x80 != 0 && p[2] == 1 {
		return true // SSL 2.0-compatible CLIENT-HELLO
	}
	if len(p) >= 6 && p[0] == recordHandshake && p[1] == 3 {
		switch p[5] {
		case typeClientHello:
			return true
		case typeServerHello:
			return false
		}
	}
	return src.Port() > dst.Port()
}

// looksTLS reports whether a stream's first bytes can start a TLS record or
// an SSL 2.0-compatible ClientHello.
func looksTLS(p []byte) bool {
	if len(p) == 0 {
		return true
	}
	if p[0]&0x80 != 0 {
		return len(p) < 3 || p[2] == 1
	}
	return p[0] >= recordChangeCipherSpec && p[0] <= recordHeartbeat && (len(p) < 2 || p[1] == 3)
}

// segment reassembles one direction of f.
func (t *tracker) segment(f *flow, dir Direction, sg *segment) {
	h := &f.half[dir-1]
	seq, p := sg.seq, sg.payload
	if sg.flags&tcpSYN != 0 {
		if !h.syn {
			h.syn, h.isn = true, sg.seq
			if !h.started {
				// A SYN captured after data (timestamps out of order)
				// must not rewind the stream.
				h.started, h.next = true, sg.seq+1
			}
		}
		seq++ // data on a SYN (TCP Fast Open) follows the SYN's sequence number
	}
	if len(p) == 0 || h.stopped {
		return
	}
	if !h.started {
		h.started, h.next = true, seq
	}
	f.data = true
	if !f.classified && f.tls == nil {
		// Scanned as TLS until the connection's first bytes say otherwise
		// (see classify).
		f.tls = t.newTLS()
	}
	if f.tls == nil {
		// Not TLS: count the bytes that advance the stream, keep nothing.
		if ahead := seq + uint32(len(p)) - h.next; ahead != 0 && ahead <= 1<<31 {
			h.bytes += int64(ahead)
			h.next += ahead
		}
		return
	}
	s := f.tls
	sc := &s.sc
	sc.packet = t.n
	i := dir - 1
	if !s.keeping[i] && sc.dirSide(int(i)).total == 0 {
		s.keeping[i], s.keepSeq[i] = true, h.next
	}
	if !t.deliver(f, dir, seq, p) {
		if len(s.pending[i]) >= maxPendingSegments || s.pendN[i]+len(p) > maxPendingBytes {
			h.stopped = true
			sc.gap(dir, int64(lowestPending(s.pending[i], seq)-h.next), "more out-of-order data than the reassembly keeps")
			s.pending[i], s.pendN[i] = nil, 0
			return
		}
		s.pending[i] = append(s.pending[i], pendingSegment{seq, append([]byte(nil), p...), sg.missing})
		s.pendN[i] += len(p)
		return
	}
	if f.tls == nil {
		return // not TLS after all
	}
	if sg.missing > 0 {
		t.snapped(f, dir, sg.missing)
		return
	}
	// Drain waiting segments that now connect.
	for progress := true; progress && f.tls != nil && len(s.pending[i]) > 0 && !h.stopped; {
		progress = false
		for j := 0; j < len(s.pending[i]); j++ {
			ps := s.pending[i][j]
			if d := ps.seq - h.next; d != 0 && d < 1<<31 {
				continue // still ahead
			}
			t.deliver(f, dir, ps.seq, ps.data)
			if f.tls == nil {
				return
			}
			s.pendN[i] -= len(ps.data)
			s.pending[i] = append(s.pending[i][:j], s.pending[i][j+1:]...)
			if ps.missing > 0 {
				t.snapped(f, dir, ps.missing)
				return
			}
			progress = true
			j--
		}
	}
}

// snapped stops a direction at a segment cut by the capture's snap length.
func (t *tracker) snapped(f *flow, dir Direction, missing int) {
	f.half[dir-1].stopped = true
	f.tls.pending[dir-1], f.tls.pendN[dir-1] = nil, 0
	f.tls.sc.gap(dir, int64(missing), "a packet is cut by the capture's snap length")
}

// deliver feeds the part of (seq, p) that continues the stream, comparing
// the bytes already delivered with the kept copy. It reports false if p
// starts beyond the next expected byte. Sequence numbers are compared
// modulo 2^32: seq is behind h.next when h.next-seq is in 1..2^31.
func (t *tracker) deliver(f *flow, dir Direction, seq uint32, p []byte) bool {
	h, s, i := &f.half[dir-1], f.tls, dir-1
	behind := h.next - seq
	if behind != 0 && behind > 1<<31 {
		return false // ahead: a hole before it
	}
	old := p
	if uint64(behind) >= uint64(len(p)) {
		old, p = p, nil
	} else {
		old, p = p[:behind], p[behind:]
	}
	if len(old) > 0 && s.keeping[i] {
		t.compare(f, dir, seq, old)
	}
	if len(p) == 0 {
		return true
	}
	if !f.classified && !t.classify(f, h, p) {
		return true
	}
	d := s.sc.dirSide(int(i))
	if s.keeping[i] {
		if len(s.keep[i])+len(p) > maxKeep || d.decided(&s.sc) {
			s.keeping[i] = false
			s.keep[i] = s.keep[i][:0]
		} else {
			s.keep[i] = append(s.keep[i], p...)
		}
	}
	s.sc.Write(dir, p)
	h.next += uint32(len(p))
	if s.keeping[i] && d.decided(&s.sc) {
		s.keeping[i] = false
		s.keep[i] = s.keep[i][:0]
	}
	return true
}

// compare checks a retransmitted copy of bytes already delivered against
// the kept bytes [keepSeq, h.next).
func (t *tracker) compare(f *flow, dir Direction, seq uint32, old []byte) {
	s, i, h := f.tls, dir-1, &f.half[dir-1]
	keep := s.keep[i]
	// Offset of seq in keep; negative when the copy starts before it.
	off := int64(int32(seq - s.keepSeq[i]))
	if uint32(h.next-s.keepSeq[i]) != uint32(len(keep)) {
		return // keep is not contiguous with the stream (cannot happen)
	}
	if off < 0 {
		if -off >= int64(len(old)) {
			return
		}
		old, off = old[-off:], 0
	}
	if off >= int64(len(keep)) {
		return
	}
	n := min(len(old), len(keep)-int(off))
	if !bytes.Equal(keep[off:int(off)+n], old[:n]) {
		k := 0
		for k < n && keep[int(off)+k] == old[k] {
			k++
		}
		d := s.sc.dirSide(int(i))
		pos := d.total - int64(len(keep)) + off + int64(k)
		s.sc.conflict(dir, pos)
		s.keeping[i] = false
		s.keep[i] = s.keep[i][:0]
		h.stopped = true
	}
}

// classify decides the protocol from the connection's first in-order bytes
// p: TLS, or not TLS when the stream's start was seen (its SYN), else
// unrecognized. It reports whether the flow stays TLS; if not, it drops the
// TLS state and counts p.
func (t *tracker) classify(f *flow, h *tcpHalf, p []byte) bool {
	f.classified = true
	if looksTLS(p) {
		f.proto = ProtocolTLS
		return true
	}
	f.proto = ProtocolUnrecognized
	if h.syn {
		f.proto = ProtocolNotTLS
	}
	f.firstN = uint8(copy(f.firstBytes[:], p))
	h.bytes += int64(len(p))
	h.next += uint32(len(p))
	t.dropTLS(f)
	return false
}

func lowestPending(ps []pendingSegment, seq uint32) uint32 {
	low := seq
	for _, p := range ps {
		if int32(p.seq-low) < 0 {
			low = p.seq
		}
	}
	return low
}

// end finishes a flow: reports it if it carried data and was not reported,
// and releases it. why is ErrMemoryBudget for a flow released by the
// budget, else nil.
func (t *tracker) end(f *flow, why error) {
	if f.closing {
		why = nil // complete: nothing was cut
	}
	switch {
	case f.data && !f.reported:
		if why != nil {
			t.stats.Released++
		}
		t.report(f, why)
	case !f.data && why != nil:
		t.stats.Dropped++
	}
	t.release(f)
}

// report yields f's connection.
func (t *tracker) report(f *flow, why error) {
	if t.stop || f.reported {
		return
	}
	f.reported = true
	var c Connection
	if s := f.tls; s != nil {
		for i := range 2 {
			h := &f.half[i]
			if len(s.pending[i]) > 0 && !h.stopped {
				h.stopped = true
				s.sc.packet = 0
				s.sc.gap(Direction(i+1), int64(lowestPending(s.pending[i], s.pending[i][0].seq)-h.next), "")
			}
		}
		c = s.sc.Connection()
	} else {
		c.ClientBytes, c.ServerBytes = f.half[0].bytes, f.half[1].bytes
	}
	if !f.classified {
		// No data arrived in order: the stream's start is missing.
		f.proto = ProtocolUnrecognized
	}
	c.Protocol = f.proto
	if c.Protocol != ProtocolTLS {
		c.FirstBytes = f.firstBytes[:f.firstN:f.firstN]
	}
	c.Client, c.Server = f.key.endpoint(f.clientIsA), f.key.endpoint(!f.clientIsA)
	c.FirstPacket, c.LastPacket = f.first, f.last
	if why != nil {
		e := &Error{Packet: t.n, What: "memory budget of " + strconv.FormatInt(t.budget, 10) +
			" bytes reached: the connection was released before its end", Err: why}
		if c.Err != nil {
			c.Err = errors.Join(e, c.Err)
		} else {
			c.Err = e
		}
	}
	t.stats.Connections++
	switch c.Protocol {
	case ProtocolTLS:
		t.stats.TLS++
	case ProtocolNotTLS:
		t.stats.NotTLS++
	default:
		t.stats.Unrecognized++
	}
	t.publish()
	if !t.emit(c) {
		t.stop = true
	}
}

func (t *tracker) publish() {
	if t.statsOut != nil {
		*t.statsOut = t.stats
	}
}

// finish reports the flows still open at the end of the capture, in order
// of their first packet's activity, and reports whether the caller may
// still yield.
func (t *tracker) finish() bool {
	for t.head != nil && !t.stop {
		t.end(t.head, nil)
	}
	t.publish()
	return !t.stop
}
