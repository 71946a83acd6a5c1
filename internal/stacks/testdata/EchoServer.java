// EchoServer is the Java JSSE server of the tlscompat interoperability tests.
//
// Usage: java EchoServer <chain.pem> <key.pem> <ca.pem> <listener>...
// where each listener is "<clientAuth>:<protocols>" with clientAuth one of
// none, want, need and protocols a comma-separated list such as
// TLSv1.2,TLSv1.3, optionally followed by ":<ca.pem>", a trust store for that
// listener only. One JVM serves every listener (JVM start-up is slow), each
// on its own 127.0.0.1 port chosen by the OS. For listener i the program
// prints "READY <i> <port>" once it accepts connections, then serves each
// connection on its own thread: handshake, then echo lines until EOF. Each
// handshake outcome is logged as "HANDSHAKE <port> ok <protocol>" or
// "HANDSHAKE <port> fail <exception>".
//
// The key store is built from PEM files (PKCS #8 key, certificate chain) with
// KeyFactory and CertificateFactory, so the tests need no keytool or PKCS #12.

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public final class EchoServer {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: EchoServer chain.pem key.pem ca.pem clientAuth:protocols...");
            System.exit(2);
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Collection<? extends Certificate> chain = cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(Paths.get(args[0]))));
        PrivateKey key = readKey(args[1], chain.iterator().next().getPublicKey().getAlgorithm());
        Collection<? extends Certificate> cas = cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(Paths.get(args[2]))));

        char[] pw = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, pw, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);

        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (Certificate c : cas) {
            ts.setCertificateEntry("ca" + (i++), c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);

        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        List<Thread> acceptors = new ArrayList<>();
        for (int l = 3; l < args.length; l++) {
            String[] spec = args[l].split(":", 3);
            SSLContext lctx = ctx;
            if (spec.length == 3) {
                lctx = SSLContext.getInstance("TLS");
                lctx.init(kmf.getKeyManagers(), trustManagers(cf, spec[2]), null);
            }
            SSLServerSocket ss = (SSLServerSocket) lctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            switch (spec[0]) {
                case "none":
                    break;
                case "want":
                    ss.setWantClientAuth(true);
                    break;
                case "need":
                    ss.setNeedClientAuth(true);
                    break;
                default:
                    throw new IllegalArgumentException("unknown client auth mode " + spec[0]);
            }
            ss.setEnabledProtocols(spec[1].split(","));
            Thread t = new Thread(() -> acceptLoop(ss));
            t.setDaemon(true);
            t.start();
            acceptors.add(t);
            synchronized (System.out) {
                System.out.println("READY " + (l - 3) + " " + ss.getLocalPort());
                System.out.flush();
            }
        }
        // Exit when the parent closes stdin (or dies), so no JVM outlives a test.
        while (System.in.read() >= 0) {
        }
        System.exit(0);
    }

    static javax.net.ssl.TrustManager[] trustManagers(CertificateFactory cf, String file) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(Paths.get(file))))) {
            ts.setCertificateEntry("ca" + (i++), c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    private static PrivateKey readKey(String file, String alg) throws Exception {
        String pem = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.US_ASCII);
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static void acceptLoop(SSLServerSocket ss) {
        while (true) {
            try {
                Socket s = ss.accept();
                Thread t = new Thread(() -> serve((SSLSocket) s, ss.getLocalPort()));
                t.setDaemon(true);
                t.start();
            } catch (Exception e) {
                return;
            }
        }
    }

    private static void serve(SSLSocket s, int port) {
        try (s) {
            s.setSoTimeout(10000);
            try {
                s.startHandshake();
            } catch (Exception e) {
                log("HANDSHAKE " + port + " fail " + e);
                return;
            }
            log("HANDSHAKE " + port + " ok " + s.getSession().getProtocol());
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream w = s.getOutputStream();
            String line;
            while ((line = r.readLine()) != null) {
                w.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                w.flush();
            }
        } catch (Exception e) {
            log("CONN " + port + " " + e);
        }
    }

    private static void log(String msg) {
        synchronized (System.out) {
            System.out.println(msg.replace('\n', ' '));
            System.out.flush();
        }
    }
}
