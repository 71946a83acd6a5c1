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
# Server chains:
#   "genesys-style" leaf: EKU serverAuth + clientAuth, issued by a test CA
#   "renewed" leaf:       EKU serverAuth only (certificates issued after
#                         February 2026 per the Genesys notice)
set -euo pipefail
cd "$(dirname "$0")"
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

chmod a+r "$out"/*.pcap "$out"/*.pcapng
ls -l "$out"/*.pcap "$out"/*.pcapng
