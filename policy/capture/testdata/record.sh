#!/usr/bin/env bash
# record.sh — records the loopback captures committed next to this script.
#
# Real handshakes between openssl s_server and openssl s_client on 127.0.0.1
# (and ::1), captured with tcpdump (classic pcap) and tshark (pcapng) on the
# loopback interface with a port filter. Run as root (packet capture):
#
#     cd policy/capture/testdata && sudo ./record.sh
#
# Needs: openssl (3.x), tcpdump, tshark. CI does not run this script; the
# captures it writes are committed, and the tests in policy/capture read them.
#
# Files written (certificates are regenerated each run, so the bytes change,
# but the facts the tests assert do not):
#   tls12-certreq.pcap   TLS 1.2, s_server -verify 1: CertificateRequest sent,
#                        client sends no certificate, handshake succeeds.
#   tls12-nocertreq.pcap TLS 1.2, no client authentication.
#   tls13-certreq.pcap   TLS 1.3 (client offers 1.2 and 1.3), s_server -verify 1: the CertificateRequest
#                        is encrypted and cannot be seen in a capture.
#   tls12-rejected.pcap  TLS 1.2, s_server -Verify 1 (certificate required):
#                        the client sends none, the server answers with a
#                        plaintext fatal alert.
#   tls11-refused.pcap   client offers only TLS 1.1, server is TLS 1.2 only:
#                        protocol_version alert.
#   tls12-clientcert.pcap
#                        TLS 1.2, s_server -Verify 1 -verify_return_error; the client presents a
#                        certificate with serverAuth + clientAuth (a Genesys
#                        certificate issued before the change): accepted.
#   tls12-clientcert-noclientauth.pcap
#                        the same with a client certificate without clientAuth
#                        (as issued after February 2026): OpenSSL rejects it
#                        with a plaintext unsupported_certificate alert.
#   two-conns.pcapng     two connections in one pcapng file (tshark): TLS 1.2
#                        with CertificateRequest over IPv4, TLS 1.2 without
#                        over IPv6.
#
# Other stacks as the server, TLS 1.2 (the client offers at most TLS 1.2, so
# the CertificateRequest is plaintext). Each server trusts two CAs for client
# certificates, the capture CA and a second "tlscompat capture client CA"
# (cas.pem), so a server that lists its trust store lists two CA names:
#   gnutls-rejected.pcap gnutls-serv --require-client-cert --x509cafile cas.pem;
#                        openssl s_client presents no certificate: GnuTLS
#                        answers the empty Certificate with a plaintext fatal
#                        alert.
#   gnutls-clientcert.pcap
#                        the same server; the client presents the
#                        serverAuth + clientAuth leaf: accepted.
#   java-rejected.pcap   Java JSSE (internal/stacks/testdata/EchoServer.java,
#                        listener need:TLSv1.2, setNeedClientAuth) trusting
#                        cas.pem; gnutls-cli presents no certificate: JSSE
#                        answers with a plaintext fatal alert.
#   nss-request.pcap     NSS selfserv -r (request, not require) with ca.pem
#                        and ca2.pem trusted "T,," in its database; openssl
#                        s_client presents no certificate and sends an HTTP
#                        GET: accepted.
#   kamailio-clientcert.pcap
#                        Kamailio tls module, require_certificate = yes,
#                        verify_certificate = yes, ca_list = cas.pem, method
#                        TLSv1.2; the client presents the serverAuth +
#                        clientAuth leaf and sends a SIP OPTIONS request,
#                        which Kamailio answers with 200 OK.
#   kamailio-rejected.pcap
#                        the same server; the client presents no
#                        certificate: rejected with a plaintext fatal alert.
#
# Usage: ./record.sh [openssl|others|all] (default all): openssl records the
# OpenSSL-to-OpenSSL captures, others the other stacks' captures.
# Needs for others: gnutls-bin, a JDK (javac, java), libnss3-tools (selfserv,
# certutil, pk12util), kamailio with its tls module.
#
# Server chains:
#   "genesys-style" leaf: EKU serverAuth + clientAuth, issued by a test CA
#   "renewed" leaf:       EKU serverAuth only (certificates issued after
#                         February 2026 per the Genesys notice)
set -euo pipefail
which=${1:-all}
case $which in openssl|others|all) ;; *) echo "usage: $0 [openssl|others|all]" >&2; exit 2;; esac
cd "$(dirname "$0")"
src=$PWD/../../../internal/stacks/testdata
out=$PWD
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

# --- certificates (ECDSA P-256 keeps the captures small) ---
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days 3650 -set_serial 1 \
  -subj "/O=tlscompat test/CN=tlscompat capture CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
leaf() { # name eku
  openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
  openssl req -new -key "$1.key" -subj "/O=tlscompat test/CN=sbc.example.test" -out "$1.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=DNS:sbc.example.test\n' "$2" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$3" -days 3650 -sha256 \
    -extfile "$1.ext" -out "$1.pem"
}
leaf both serverAuth,clientAuth 2
leaf srv serverAuth 3
# A second CA that the servers of other stacks trust for client certificates.
openssl ecparam -name prime256v1 -genkey -noout -out ca2.key
openssl req -x509 -new -key ca2.key -sha256 -days 3650 -set_serial 1 \
  -subj "/O=tlscompat test/CN=tlscompat capture client CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca2.pem
cat ca.pem ca2.pem > cas.pem
cat both.pem ca.pem > chain.pem
openssl pkcs8 -topk8 -nocrypt -in both.key -out both.pk8

wait_listen() { # port: waits until something listens on it (no probe connection)
  for _ in $(seq 1 100); do
    ss -ltnH "sport = :$1" | grep -q . && return 0
    sleep 0.05
  done
  echo "port $1 never opened" >&2; return 1
}

# start_cap tool file filter: starts tcpdump/tshark and waits until it listens
start_cap() {
  local tool=$1 file=$2 filter=$3
  rm -f "$out/$file" cap.log
  if [ "$tool" = tcpdump ]; then
    tcpdump -i lo --immediate-mode -U -s 0 -w "$out/$file" "$filter" 2>cap.log &
  else
    tshark -i lo -F pcapng -w "$out/$file" -f "$filter" 2>cap.log &
  fi
  cap_pid=$!
  for _ in $(seq 1 100); do grep -qi "listening\|Capturing on" cap.log && break; sleep 0.05; done
  sleep 0.3
}
stop_cap() { sleep 0.3; kill -INT "$cap_pid"; wait "$cap_pid" || true; cat cap.log >&2; }

# session host port server-args -- client-args
session() {
  local host=$1 port=$2; shift 2
  local sargs=() cargs=()
  while [ "$1" != -- ]; do sargs+=("$1"); shift; done; shift
  cargs=("$@")
  openssl s_server -quiet -naccept 1 -accept "$host:$port" -cert both.pem -key both.key \
    -chainCAfile ca.pem -CAfile ca.pem "${sargs[@]}" </dev/null >/dev/null 2>&1 &
  local spid=$!
  wait_listen "$port"
  echo hello | timeout 5 openssl s_client -connect "$host:$port" -servername sbc.example.test \
    -CAfile ca.pem "${cargs[@]}" >/dev/null 2>&1 || true
  timeout 3 tail --pid=$spid -f /dev/null || kill $spid 2>/dev/null || true
}

if [ "$which" != others ]; then
port=47101
start_cap tcpdump tls12-certreq.pcap "tcp port $port"
session 127.0.0.1 $port -tls1_2 -verify 1 -- -tls1_2
stop_cap

port=47102
start_cap tcpdump tls12-nocertreq.pcap "tcp port $port"
session 127.0.0.1 $port -tls1_2 -cert srv.pem -key srv.key -- -tls1_2
stop_cap

port=47103
start_cap tcpdump tls13-certreq.pcap "tcp port $port"
session 127.0.0.1 $port -tls1_3 -verify 1 --
stop_cap

port=47104
start_cap tcpdump tls12-rejected.pcap "tcp port $port"
session 127.0.0.1 $port -tls1_2 -Verify 1 -- -tls1_2
stop_cap

port=47105
start_cap tcpdump tls11-refused.pcap "tcp port $port"
session 127.0.0.1 $port -tls1_2 -- -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
stop_cap

port=47107
start_cap tcpdump tls12-clientcert.pcap "tcp port $port"
session 127.0.0.1 $port -tls1_2 -Verify 1 -verify_return_error -- -tls1_2 -cert both.pem -key both.key
stop_cap

port=47108
start_cap tcpdump tls12-clientcert-noclientauth.pcap "tcp port $port"
session 127.0.0.1 $port -tls1_2 -Verify 1 -verify_return_error -- -tls1_2 -cert srv.pem -key srv.key
stop_cap

port=47106
start_cap tshark two-conns.pcapng "tcp port $port"
session 127.0.0.1 $port -tls1_2 -verify 1 -- -tls1_2
session "[::1]" $port -tls1_2 -cert srv.pem -key srv.key -- -tls1_2
stop_cap
fi

if [ "$which" != openssl ]; then
# --- other stacks as the server ---

# client host port args...: openssl s_client offering only TLS 1.2; it sends
# $req (the request the server expects) and closes a second later.
client() {
  local host=$1 port=$2; shift 2
  (printf '%s' "$req"; sleep 1) | timeout 5 openssl s_client -quiet -connect "$host:$port" \
    -servername sbc.example.test -CAfile ca.pem -tls1_2 "$@" >/dev/null 2>&1 || true
}
req=$'hello\n'

# GnuTLS: one gnutls-serv for both captures.
port=47109
gnutls-serv --port $port --require-client-cert --x509certfile chain.pem --x509keyfile both.key \
  --x509cafile cas.pem >gnutls.log 2>&1 &
gpid=$!
wait_listen $port
start_cap tcpdump gnutls-rejected.pcap "tcp port $port"
client 127.0.0.1 $port
stop_cap
start_cap tcpdump gnutls-clientcert.pcap "tcp port $port"
client 127.0.0.1 $port -cert both.pem -key both.key
stop_cap
kill $gpid; wait $gpid 2>/dev/null || true

# Java JSSE: EchoServer listens on a port the OS chooses; this copy takes
# the port from the system property "port" instead, for the port filter.
mkdir java
sed 's/createServerSocket(0, 50,/createServerSocket(Integer.getInteger("port", 0), 50,/' \
  "$src/EchoServer.java" > java/EchoServer.java
grep -q 'Integer.getInteger("port"' java/EchoServer.java || { echo "EchoServer.java: port patch failed" >&2; exit 1; }
javac -d java java/EchoServer.java
port=47111
mkfifo java.in
java -Dport=$port -cp java EchoServer chain.pem both.pk8 cas.pem need:TLSv1.2 <java.in >java.log 2>&1 &
jpid=$!
exec 3>java.in # holds the server's stdin open; closing it stops the server
wait_listen $port
start_cap tcpdump java-rejected.pcap "tcp port $port"
echo hello | timeout 5 gnutls-cli --port $port --x509cafile ca.pem --sni-hostname sbc.example.test --verify-hostname sbc.example.test \
  --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2' 127.0.0.1 >/dev/null 2>&1 || true
stop_cap
exec 3>&-
wait $jpid 2>/dev/null || true
cat java.log >&2

# NSS: selfserv -r with a fresh database (built as internal/stacks/nss.go does).
port=47112
mkdir nssdb
certutil -N -d sql:nssdb --empty-password
openssl pkcs12 -export -in chain.pem -inkey both.key -name capture-server -passout pass: -out server.p12
pk12util -i server.p12 -d sql:nssdb -W ''
certutil -A -d sql:nssdb -n capture-ca -t T,, -a -i ca.pem
certutil -A -d sql:nssdb -n capture-client-ca -t T,, -a -i ca2.pem
selfserv -d sql:nssdb -n capture-server -p $port -r -V tls1.2:tls1.2 >nss.log 2>&1 &
npid=$!
wait_listen $port
start_cap tcpdump nss-request.pcap "tcp port $port"
req=$'GET / HTTP/1.0\r\n\r\n' client 127.0.0.1 $port
stop_cap
kill $npid; wait $npid 2>/dev/null || true

# Kamailio: require_certificate, with a minimal kamailio.cfg (as
# internal/stacks/kamailio.go writes it) that answers every request 200 OK.
port=47113
mkdir kam
modules=$(dirname /usr/lib/*/kamailio/modules/tls.so)
printf '%s\n' '[server:default]' 'method = TLSv1.2' 'verify_certificate = yes' 'require_certificate = yes' \
  'verify_depth = 5' "certificate = $PWD/chain.pem" "private_key = $PWD/both.key" \
  "ca_list = $PWD/cas.pem" > kam/tls.cfg
printf '%s\n' '#!KAMAILIO' 'debug=2' 'log_stderror=yes' 'children=1' 'tcp_children=1' 'auto_aliases=no' \
  'dns=no' 'rev_dns=no' 'use_dns_cache=no' 'disable_sctp=yes' 'enable_tls=yes' "listen=tls:127.0.0.1:$port" \
  'loadmodule "tls.so"' 'loadmodule "sl.so"' "modparam(\"tls\", \"config\", \"$PWD/kam/tls.cfg\")" \
  'request_route {' '	sl_send_reply("200", "OK");' '	exit;' '}' > kam/kamailio.cfg
kamailio -f kam/kamailio.cfg -DD -E -m 64 -M 8 -L "$modules" -Y "$PWD/kam" -P "$PWD/kam/kamailio.pid" \
  -w "$PWD/kam" >kam.log 2>&1 &
kpid=$!
wait_listen $port
req="OPTIONS sip:127.0.0.1:$port;transport=tls SIP/2.0"$'\r\n'
req+=$'Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKcapture;rport\r\nMax-Forwards: 70\r\n'
req+=$'From: <sip:tlscompat@127.0.0.1>;tag=capture\r\n'"To: <sip:127.0.0.1:$port>"$'\r\n'
req+=$'Call-ID: capture@tlscompat\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n'
start_cap tcpdump kamailio-clientcert.pcap "tcp port $port"
client 127.0.0.1 $port -cert both.pem -key both.key
stop_cap
start_cap tcpdump kamailio-rejected.pcap "tcp port $port"
client 127.0.0.1 $port
stop_cap
kill $kpid; wait $kpid 2>/dev/null || true
fi

shopt -s nullglob
chmod a+r "$out"/*.pcap "$out"/*.pcapng
ls -l "$out"/*.pcap "$out"/*.pcapng
