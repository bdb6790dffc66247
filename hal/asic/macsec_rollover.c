/* SPDX-License-Identifier: MIT */
/*
 * MACsec key rollover without loss (lb_macsec_rollover), and the small pure helpers of
 * lightbridge/macsec.h: key lengths, last PNs, cipher names, counter sums, key zeroising.
 */
#include <string.h>
#include <lightbridge/macsec.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/asic/macsec_internal.h"
#include "hal/core/ctx_internal.h"

LB_API int lb_macsec_rollover(struct lb_switch *sw, uint32_t port, const struct lb_macsec_sa_config *cfg,
			      uint64_t rx_pn, const struct lb_macsec_key *key)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_macsec_sa_config c;
	if (LB_SIZED_READ(c, cfg, LB_MACSEC_SA_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: macsec: SA config NULL or its size "
				    "below %zu", port, (size_t)LB_MACSEC_SA_CONFIG_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	struct lb_macsec_port *m;
	int rc = lb_macsec_port(sw, port, &m);
	if (rc)
		goto out;
	uint32_t old = m->tx_an;
	if (old == c.an) {
		rc = lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: macsec: rollover to AN %u: transmit "
				  "uses it now: take the next AN", port, c.an);
		goto out;
	}
	/* 1. receive first: the peer may switch before we do */
	struct lb_macsec_sa_config rx = c;
	rx.pn = rx_pn;
	if ((rc = lb_macsec_sa_install_locked(sw, port, m, LB_MACSEC_RX, &rx, key)))
		goto wipe;
	/* 2. transmit: install, then switch */
	if ((rc = lb_macsec_sa_install_locked(sw, port, m, LB_MACSEC_TX, &c, key))) {
		lb_macsec_sa_retire_locked(sw, port, m, LB_MACSEC_RX, c.an); /* nothing used it */
		goto wipe;
	}
	if (old != LB_MACSEC_AN_SC && (rc = lb_macsec_tx_activate_locked(sw, port, m, c.an))) {
		lb_macsec_sa_retire_locked(sw, port, m, LB_MACSEC_TX, c.an);
		lb_macsec_sa_retire_locked(sw, port, m, LB_MACSEC_RX, c.an);
		goto wipe;
	}
	/* 3. the old SA goes, on both sides (what remains of it on receive is late anyway) */
	if (old != LB_MACSEC_AN_SC) {
		if ((rc = lb_macsec_sa_retire_locked(sw, port, m, LB_MACSEC_TX, old)))
			goto wipe;
		if ((m->installed[LB_MACSEC_RX] & (1u << old)) &&
		    (rc = lb_macsec_sa_retire_locked(sw, port, m, LB_MACSEC_RX, old)))
			goto wipe;
	}
wipe:
	explicit_bzero(&rx, sizeof(rx));
out:
	pthread_mutex_unlock(&sw->lock);
	explicit_bzero(&c, sizeof(c));
	return rc;
}

void lb_macsec_counters_add(struct lb_macsec_counters *s, const struct lb_macsec_counters *o)
{
	s->out_pkts_protected += o->out_pkts_protected;
	s->out_pkts_encrypted += o->out_pkts_encrypted;
	s->out_octets_protected += o->out_octets_protected;
	s->out_octets_encrypted += o->out_octets_encrypted;
	s->out_pkts_sa_not_in_use += o->out_pkts_sa_not_in_use;
	s->in_pkts_ok += o->in_pkts_ok;
	s->in_octets_validated += o->in_octets_validated;
	s->in_octets_decrypted += o->in_octets_decrypted;
	s->in_pkts_late += o->in_pkts_late;
	s->in_pkts_invalid += o->in_pkts_invalid;
	s->in_pkts_not_valid += o->in_pkts_not_valid;
	s->in_pkts_not_using_sa += o->in_pkts_not_using_sa;
	s->in_pkts_unused_sa += o->in_pkts_unused_sa;
}

LB_API void lb_macsec_key_clear(struct lb_macsec_key *key)
{
	if (key)
		explicit_bzero(key, sizeof(*key));
}

LB_API size_t lb_macsec_key_len(enum lb_macsec_cipher cipher)
{
	switch (cipher) {
	case LB_MACSEC_GCM_AES_128:
	case LB_MACSEC_GCM_AES_XPN_128: return 16;
	case LB_MACSEC_GCM_AES_256:
	case LB_MACSEC_GCM_AES_XPN_256: return 32;
	}
	return 0;
}

LB_API uint64_t lb_macsec_pn_max(enum lb_macsec_cipher cipher)
{
	return cipher == LB_MACSEC_GCM_AES_XPN_128 || cipher == LB_MACSEC_GCM_AES_XPN_256 ? LB_MACSEC_XPN_MAX
											    : LB_MACSEC_PN_MAX;
}

static const char *const cipher_names[LB_MACSEC_CIPHER_COUNT] = {
	"gcm-aes-128", "gcm-aes-256", "gcm-aes-xpn-128", "gcm-aes-xpn-256",
};

LB_API const char *lb_macsec_cipher_name(enum lb_macsec_cipher cipher)
{
	return (unsigned)cipher < LB_MACSEC_CIPHER_COUNT ? cipher_names[cipher] : "?";
}

LB_API int lb_macsec_cipher_parse(const char *name, enum lb_macsec_cipher *cipher)
{
	if (!name || !cipher)
		return LB_E_INVAL;
	for (unsigned i = 0; i < LB_MACSEC_CIPHER_COUNT; i++)
		if (strcmp(name, cipher_names[i]) == 0) {
			*cipher = (enum lb_macsec_cipher)i;
			return LB_OK;
		}
	return LB_E_NOTFOUND;
}
