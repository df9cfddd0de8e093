/*
 * smime: a fax mail encrypted to its recipients' certificates with
 * OpenSSL CMS (RFC 5751 enveloped-data, AES-256-CBC), so that the mail
 * servers on the way never see the fax in clear.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "onramp.h"

#define SMIME_MAXCERTS	64

static void
sslerr(char *err, size_t errsz, const char *what, const char *file)
{
	char e[256];
	unsigned long code = ERR_get_error();

	if (code != 0)
		ERR_error_string_n(code, e, sizeof(e));
	else
		(void)snprintf(e, sizeof(e), "no detail");
	ERR_clear_error();
	(void)snprintf(err, errsz, "%s: %s: %s", file, what, e);
}

/* every certificate in the file; NULL with err if none or unreadable */
static STACK_OF(X509) *
certs_read(const char *file, char *err, size_t errsz)
{
	STACK_OF(X509) *sk;
	X509 *x;
	BIO *b;

	if ((b = BIO_new_file(file, "r")) == NULL) {
		sslerr(err, errsz, "cannot read", file);
		return NULL;
	}
	if ((sk = sk_X509_new_null()) == NULL) {
		BIO_free(b);
		sslerr(err, errsz, "out of memory", file);
		return NULL;
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (sk_X509_num(sk) == SMIME_MAXCERTS ||
		    !sk_X509_push(sk, x)) {
			X509_free(x);
			break;
		}
	}
	ERR_clear_error();	/* the end of the file */
	BIO_free(b);
	if (sk_X509_num(sk) == 0) {
		sk_X509_free(sk);
		(void)snprintf(err, errsz, "%s: no PEM certificate in it",
		    file);
		return NULL;
	}
	for (int i = 0; i < sk_X509_num(sk); i++) {
		X509 *c = sk_X509_value(sk, i);
		EVP_PKEY *k = X509_get0_pubkey(c);

		if (k == NULL || (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA &&
		    EVP_PKEY_get_base_id(k) != EVP_PKEY_EC)) {
			(void)snprintf(err, errsz, "%s: certificate %d has no "
			    "RSA or EC key", file, i + 1);
			sk_X509_pop_free(sk, X509_free);
			return NULL;
		}
		if (X509_cmp_current_time(X509_get0_notAfter(c)) < 0) {
			(void)snprintf(err, errsz, "%s: certificate %d has "
			    "expired", file, i + 1);
			sk_X509_pop_free(sk, X509_free);
			return NULL;
		}
	}
	return sk;
}

int
smime_check(const char *certfile, char *err, size_t errsz)
{
	STACK_OF(X509) *sk = certs_read(certfile, err, errsz);

	if (sk == NULL)
		return -1;
	sk_X509_pop_free(sk, X509_free);
	return 0;
}

int
smime_encrypt(const char *certfile, const void *in, size_t len,
    GByteArray **der, char *err, size_t errsz)
{
	STACK_OF(X509) *sk;
	CMS_ContentInfo *cms = NULL;
	BIO *bin = NULL, *bout = NULL;
	BUF_MEM *bm;
	int ret = -1;

	*der = NULL;
	if ((sk = certs_read(certfile, err, errsz)) == NULL)
		return -1;
	if ((bin = BIO_new_mem_buf(in, (int)len)) == NULL ||
	    (bout = BIO_new(BIO_s_mem())) == NULL) {
		sslerr(err, errsz, "out of memory", certfile);
		goto out;
	}
	/* the entity is canonical already (CRLF): no text translation */
	if ((cms = CMS_encrypt(sk, bin, EVP_aes_256_cbc(), CMS_BINARY)) ==
	    NULL || i2d_CMS_bio(bout, cms) != 1) {
		sslerr(err, errsz, "CMS encryption failed", certfile);
		goto out;
	}
	BIO_get_mem_ptr(bout, &bm);
	*der = g_byte_array_sized_new((guint)bm->length);
	g_byte_array_append(*der, (const guint8 *)bm->data,
	    (guint)bm->length);
	ret = 0;
out:
	CMS_ContentInfo_free(cms);
	BIO_free(bin);
	BIO_free(bout);
	sk_X509_pop_free(sk, X509_free);
	return ret;
}
