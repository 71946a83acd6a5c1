/*
 * mbedtls_server: a small TLS echo server on the Mbed TLS library's normal
 * server path, for the tlscompat interop tests (internal/stacks/mbedtls.go).
 *
 *   mbedtls_server CHAIN.pem KEY.pem CA.pem none|optional|required MIN MAX
 *   mbedtls_server -version
 *
 * MIN and MAX are TLS wire versions in hex (0301 = TLS 1.0 ... 0304 =
 * TLS 1.3). The server listens on 127.0.0.1, port 0, prints
 *
 *   MBEDTLS version=2.28.3 tls1_3=no tls1_3_lib=no
 *   READY <port>
 *
 * and then serves connections, each in a forked child (so that a slow or
 * stuck client does not hold up the others). Per connection it logs one
 * line:
 *
 *   CONN <n> ok version=TLSv1.2 verify=0x00000000 peer_cert=yes
 *   CONN <n> fail ret=-0x2700 verify=0x00008000 peer_cert=yes
 *
 * verify is mbedtls_ssl_get_verify_result(): the flags the library set while
 * verifying the client certificate (MBEDTLS_X509_BADCERT_*), followed by
 * mbedtls_x509_crt_verify_info's text on the same line. With authmode
 * optional the server does what a typical application does: it logs the
 * flags and carries on. After the handshake it reads one line and writes it
 * back (the echo the test client requires as positive evidence of success),
 * then sends close_notify.
 *
 * -version prints the MBEDTLS line only.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#if MBEDTLS_VERSION_MAJOR >= 3
#error "mbedtls_server.c is written for the Mbed TLS 2.28 API"
#endif

/* say writes one log line with a single write(2), so that lines from
 * concurrent children do not interleave. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t) n > sizeof buf - 2) {
        n = sizeof buf - 2;
    }
    buf[n++] = '\n';
    ssize_t off = 0;
    while (off < n) {
        ssize_t w = write(1, buf + off, (size_t) (n - off));
        if (w <= 0) {
            if (w < 0 && errno == EINTR) {
                continue;
            }
            return;
        }
        off += w;
    }
}

static void die(const char *what, int ret)
{
    char err[200];
    mbedtls_strerror(ret, err, sizeof err);
    say("ERROR %s: -0x%04x %s", what, (unsigned) -ret, err);
    exit(1);
}

static int tls13_compiled(void)
{
#if defined(MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL)
    return 1;
#else
    return 0;
#endif
}

static void print_version(void)
{
    char v[18]; /* 9 bytes are enough, per version.h */
    mbedtls_version_get_string(v);
    /* tls1_3 is what the headers say; tls1_3_lib asks the shared library
     * (MBEDTLS_VERSION_FEATURES), which could differ if they do not
     * match. */
    int lib = mbedtls_version_check_feature("MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL");
    say("MBEDTLS version=%s tls1_3=%s tls1_3_lib=%s", v, tls13_compiled() ? "yes" : "no",
        lib == 0 ? "yes" : lib == -1 ? "no" : "unknown");
}

/* minor maps a wire version to the 2.28 API's minor number (1 = TLS 1.0,
 * 2 = TLS 1.1, 3 = TLS 1.2, 4 = TLS 1.3 where compiled in); -1 if the
 * library cannot do it. */
static int minor(const char *arg)
{
    unsigned long v = strtoul(arg, NULL, 16);
    switch (v) {
#if defined(MBEDTLS_SSL_PROTO_TLS1)
    case 0x0301:
        return MBEDTLS_SSL_MINOR_VERSION_1;
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_1)
    case 0x0302:
        return MBEDTLS_SSL_MINOR_VERSION_2;
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_2)
    case 0x0303:
        return MBEDTLS_SSL_MINOR_VERSION_3;
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_3_EXPERIMENTAL)
    case 0x0304:
        return MBEDTLS_SSL_MINOR_VERSION_4;
#endif
    }
    return -1;
}

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static mbedtls_ssl_config conf;

static void serve(int fd, unsigned long n)
{
    mbedtls_net_context client;
    mbedtls_ssl_context ssl;
    unsigned char buf[4096];
    size_t len = 0;
    int ret;

    client.fd = fd;
    mbedtls_ssl_init(&ssl);
    if ((ret = mbedtls_ssl_setup(&ssl, &conf)) != 0) {
        die("mbedtls_ssl_setup", ret);
    }
    mbedtls_ssl_set_bio(&ssl, &client, mbedtls_net_send, mbedtls_net_recv, NULL);
    while ((ret = mbedtls_ssl_handshake(&ssl)) != 0) {
        if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) {
            break;
        }
    }
    uint32_t flags = mbedtls_ssl_get_verify_result(&ssl);
    char info[512] = "";
    if (flags != 0 && flags != (uint32_t) -1) {
        mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
        for (char *p = info; *p; p++) {
            if (*p == '\n') {
                *p = ';';
            }
        }
    }
    const char *peer = mbedtls_ssl_get_peer_cert(&ssl) != NULL ? "yes" : "no";
    if (ret != 0) {
        char err[200];
        mbedtls_strerror(ret, err, sizeof err);
        say("CONN %lu fail ret=-0x%04x (%s) verify=0x%08x peer_cert=%s %s", n, (unsigned) -ret, err, flags, peer, info);
        goto out;
    }
    say("CONN %lu ok version=%s suite=%s verify=0x%08x peer_cert=%s %s", n, mbedtls_ssl_get_version(&ssl),
        mbedtls_ssl_get_ciphersuite(&ssl), flags, peer, info);
    /* Echo one line. */
    while (len < sizeof buf) {
        ret = mbedtls_ssl_read(&ssl, buf + len, sizeof buf - len);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
            continue;
        }
        if (ret <= 0) {
            break;
        }
        len += (size_t) ret;
        if (memchr(buf, '\n', len) != NULL) {
            break;
        }
    }
    if (len > 0) {
        size_t off = 0;
        while (off < len) {
            ret = mbedtls_ssl_write(&ssl, buf + off, len - off);
            if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
                continue;
            }
            if (ret <= 0) {
                break;
            }
            off += (size_t) ret;
        }
        say("CONN %lu echoed %zu bytes", n, off);
    } else {
        say("CONN %lu read ret=-0x%04x", n, (unsigned) -ret);
    }
    mbedtls_ssl_close_notify(&ssl);
out:
    mbedtls_ssl_free(&ssl);
    close(fd);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 2 && strcmp(argv[1], "-version") == 0) {
        print_version();
        return 0;
    }
    if (argc != 7) {
        say("usage: %s CHAIN.pem KEY.pem CA.pem none|optional|required MIN MAX", argv[0]);
        return 2;
    }
    int authmode;
    if (strcmp(argv[4], "none") == 0) {
        authmode = MBEDTLS_SSL_VERIFY_NONE;
    } else if (strcmp(argv[4], "optional") == 0) {
        authmode = MBEDTLS_SSL_VERIFY_OPTIONAL;
    } else if (strcmp(argv[4], "required") == 0) {
        authmode = MBEDTLS_SSL_VERIFY_REQUIRED;
    } else {
        say("ERROR authmode \"%s\": want none, optional or required", argv[4]);
        return 2;
    }
    int lo = minor(argv[5]), hi = minor(argv[6]);
    if (lo < 0 || hi < 0 || lo > hi) {
        print_version();
        say("ERROR version range %s-%s: not supported by this Mbed TLS build", argv[5], argv[6]);
        return 2;
    }
    signal(SIGCHLD, SIG_IGN); /* children are reaped automatically */
    signal(SIGPIPE, SIG_IGN);

    int ret;
    mbedtls_x509_crt chain, ca;
    mbedtls_pk_context key;
    mbedtls_x509_crt_init(&chain);
    mbedtls_x509_crt_init(&ca);
    mbedtls_pk_init(&key);
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ssl_config_init(&conf);

    const char *pers = "tlscompat mbedtls_server";
    if ((ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *) pers, strlen(pers))) != 0) {
        die("mbedtls_ctr_drbg_seed", ret);
    }
    if ((ret = mbedtls_x509_crt_parse_file(&chain, argv[1])) != 0) {
        die(argv[1], ret);
    }
    if ((ret = mbedtls_pk_parse_keyfile(&key, argv[2], NULL)) != 0) {
        die(argv[2], ret);
    }
    if ((ret = mbedtls_x509_crt_parse_file(&ca, argv[3])) != 0) {
        die(argv[3], ret);
    }
    if ((ret = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
        die("mbedtls_ssl_config_defaults", ret);
    }
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_authmode(&conf, authmode);
    mbedtls_ssl_conf_ca_chain(&conf, &ca, NULL);
    if ((ret = mbedtls_ssl_conf_own_cert(&conf, &chain, &key)) != 0) {
        die("mbedtls_ssl_conf_own_cert", ret);
    }
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, lo);
    mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, hi);

    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0) {
        say("ERROR socket: %s", strerror(errno));
        return 1;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    socklen_t sl = sizeof sa;
    if (bind(ls, (struct sockaddr *) &sa, sizeof sa) != 0 || listen(ls, 64) != 0 ||
        getsockname(ls, (struct sockaddr *) &sa, &sl) != 0) {
        say("ERROR listen on 127.0.0.1: %s", strerror(errno));
        return 1;
    }
    print_version();
    say("READY %u", (unsigned) ntohs(sa.sin_port));

    for (unsigned long n = 1;; n++) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            say("ERROR accept: %s", strerror(errno));
            return 1;
        }
        pid_t pid = fork();
        if (pid < 0) {
            say("ERROR fork: %s", strerror(errno));
            close(fd);
            continue;
        }
        if (pid == 0) {
            close(ls);
            /* Die with the parent (which the test kills at cleanup), and
             * never hang around for a silent client. */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() == 1) {
                _exit(0);
            }
            alarm(30);
            /* Fresh randomness for this child, not a copy of the parent's
             * DRBG state. */
            if ((ret = mbedtls_ctr_drbg_reseed(&drbg, (const unsigned char *) &n, sizeof n)) != 0) {
                die("mbedtls_ctr_drbg_reseed", ret);
            }
            serve(fd, n);
            _exit(0);
        }
        close(fd);
    }
}
