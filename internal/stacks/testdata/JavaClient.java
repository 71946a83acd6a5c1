// JavaClient is the Java JSSE client of the tlscompat interoperability tests.
//
// Usage: java JavaClient
// It reads jobs from standard input, one per line: "<id> <host:port>
// <protocols> [<ca.pem>]", with protocols a comma-separated list such as
// TLSv1,TLSv1.2 passed to SSLSocket.setEnabledProtocols. For each job it
// connects, completes a handshake and prints "RESULT <id> ok <protocol>" or
// "RESULT <id> fail <exception>". Without a CA file the server's certificate
// is not checked (version negotiation jobs); with one, the default PKIX
// trust manager checks it against that file's certificates, and the job
// writes a line and reads the echo before it reports ok. It prints
// "READY" once it reads jobs and exits at end of input, so no JVM outlives
// a test.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public final class JavaClient {
    private static final class TrustAll implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    public static void main(String[] args) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        System.out.println("READY");
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] job = line.trim().split(" ");
            if (job.length != 3 && job.length != 4) {
                System.out.println("RESULT ? fail bad job line: " + line);
                System.out.flush();
                continue;
            }
            String result;
            try {
                int colon = job[1].lastIndexOf(':');
                String host = job[1].substring(0, colon);
                int port = Integer.parseInt(job[1].substring(colon + 1));
                SSLContext jctx = ctx;
                if (job.length == 4) {
                    jctx = SSLContext.getInstance("TLS");
                    jctx.init(null, EchoServer.trustManagers(java.security.cert.CertificateFactory.getInstance("X.509"), job[3]), null);
                }
                try (SSLSocket s = (SSLSocket) jctx.getSocketFactory().createSocket()) {
                    s.connect(new InetSocketAddress(host, port), 10000);
                    s.setSoTimeout(10000);
                    s.setEnabledProtocols(job[2].split(","));
                    s.startHandshake();
                    result = "ok " + s.getSession().getProtocol();
                    if (job.length == 4) {
                        s.getOutputStream().write("tlscompat ping\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        if (r.readLine() == null) {
                            result = "fail no echo";
                        }
                    }
                }
            } catch (Exception e) {
                result = "fail " + String.valueOf(e).replace('\n', ' ');
            }
            System.out.println("RESULT " + job[0] + " " + result);
            System.out.flush();
        }
    }
}
