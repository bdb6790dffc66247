/* SPDX-License-Identifier: MIT */
/*
 * The emulated chip's keyed hash of an SA's key material: SipHash-2-4 (Aumasson and
 * Bernstein), run twice with a domain byte for 128 bits, keyed with a secret the chip draws
 * at power-on. The chip keeps this tag instead of the key: two SAs hold the same key, salt and
 * SSCI when their tags agree, and neither the key nor a way back to it is in the chip's memory.
 */
#include <string.h>
#include "emulator/asic/emu_macsec.h"

static uint64_t rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);                          \
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                                             \
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                                             \
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);                          \
	} while (0)

static uint64_t siphash24(const uint8_t k[16], const uint8_t *in, size_t len)
{
	uint64_t k0 = le64(k), k1 = le64(k + 8);
	uint64_t v0 = 0x736f6d6570736575ull ^ k0, v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0, v3 = 0x7465646279746573ull ^ k1;
	size_t whole = len - len % 8;
	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t b = (uint64_t)len << 56;
	for (size_t i = 0; i < len % 8; i++)
		b |= (uint64_t)in[whole + i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void emu_macsec_tag(const uint8_t secret[16], const uint8_t *key, uint32_t key_len, const uint8_t salt[12],
		    uint32_t ssci, uint64_t tag[2])
{
	uint8_t buf[1 + 32 + 12 + 4 + 1];
	size_t n = 0;
	buf[n++] = 0; /* domain */
	memcpy(buf + n, key, key_len);
	n += key_len;
	memcpy(buf + n, salt, 12);
	n += 12;
	for (unsigned i = 0; i < 4; i++)
		buf[n++] = (uint8_t)(ssci >> (8 * i));
	buf[n++] = (uint8_t)key_len;
	tag[0] = siphash24(secret, buf, n);
	buf[0] = 1;
	tag[1] = siphash24(secret, buf, n);
	explicit_bzero(buf, sizeof(buf));
}
