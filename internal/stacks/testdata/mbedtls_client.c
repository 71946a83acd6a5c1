/*
 * mbedtls_client: a TLS 1.2 client on the Mbed TLS library's normal client
 * path (authmode REQUIRED, the client default), for the tlscompat trust
 * interop tests (internal/stacks/cliclient.go).
 *
 *   mbedtls_client CA.pem HOST PORT NAME
 *
 * It verifies the server's chain against CA.pem and the server name NAME
 * (mbedtls_ssl_set_hostname), then writes "tlscompat ping\n" and prints the
 * line it reads back. Errors go to standard error as
 * "ERROR <what>: -0x<code> <text> verify=0x<flags> <info>".
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

static int fail(const char *what, int ret, mbedtls_ssl_context *ssl)
{
    char err[200], info[512] = "";
    uint32_t flags = 0;
    mbedtls_strerror(ret, err, sizeof err);
    if (ssl != NULL) {
        flags = mbedtls_ssl_get_verify_result(ssl);
        if (flags != 0 && flags != (uint32_t) -1) {
            mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
            for (char *p = info; *p; p++) {
                if (*p == '\n') {
                    *p = ' ';
                }
            }
        }
    }
    fprintf(stderr, "ERROR %s: -0x%04x %s verify=0x%08x %s\n", what, (unsigned) -ret, err, flags, info);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s CA.pem HOST PORT NAME\n", argv[0]);
        return 2;
    }
    int ret;
    mbedtls_net_context net;
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_net_init(&net);
    mbedtls_ssl_init(&ssl);
    mbedtls_ssl_config_init(&conf);
    mbedtls_x509_crt_init(&ca);
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    const char *pers = "tlscompat mbedtls_client";
    if ((ret = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *) pers, strlen(pers))) != 0) {
        return fail("mbedtls_ctr_drbg_seed", ret, NULL);
    }
    if ((ret = mbedtls_x509_crt_parse_file(&ca, argv[1])) != 0) {
        return fail(argv[1], ret, NULL);
    }
    if ((ret = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
        return fail("mbedtls_ssl_config_defaults", ret, NULL);
    }
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
    mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&conf, &ca, NULL);
    mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    if ((ret = mbedtls_ssl_setup(&ssl, &conf)) != 0) {
        return fail("mbedtls_ssl_setup", ret, NULL);
    }
    if ((ret = mbedtls_ssl_set_hostname(&ssl, argv[4])) != 0) {
        return fail("mbedtls_ssl_set_hostname", ret, NULL);
    }
    if ((ret = mbedtls_net_connect(&net, argv[2], argv[3], MBEDTLS_NET_PROTO_TCP)) != 0) {
        return fail("mbedtls_net_connect", ret, NULL);
    }
    mbedtls_ssl_set_bio(&ssl, &net, mbedtls_net_send, mbedtls_net_recv, NULL);
    while ((ret = mbedtls_ssl_handshake(&ssl)) != 0) {
        if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) {
            return fail("mbedtls_ssl_handshake", ret, &ssl);
        }
    }
    const char *ping = "tlscompat ping\n";
    if ((ret = mbedtls_ssl_write(&ssl, (const unsigned char *) ping, strlen(ping))) < 0) {
        return fail("mbedtls_ssl_write", ret, &ssl);
    }
    unsigned char buf[256];
    size_t len = 0;
    while (len < sizeof buf - 1) {
        ret = mbedtls_ssl_read(&ssl, buf + len, sizeof buf - 1 - len);
        if (ret <= 0) {
            return fail("mbedtls_ssl_read", ret, &ssl);
        }
        len += (size_t) ret;
        if (buf[len - 1] == '\n') {
            break;
        }
    }
    buf[len] = 0;
    fputs((const char *) buf, stdout);
    fflush(stdout);
    mbedtls_ssl_close_notify(&ssl);
    return 0;
}
