/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "synth_module.h"

void lb_test_put_string(struct lb_test_image *img, int p, unsigned off, const char *s, unsigned n)
{
	uint8_t *dst = p < 0 ? &img->lower[off] : &img->page[p][off - 128];
	size_t len = strlen(s);

	memset(dst, ' ', n);
	memcpy(dst, s, len < n ? len : n);
}

void lb_test_fix_checksums(struct lb_test_image *img)
{
	unsigned sum = 0;

	for (unsigned i = 128; i <= 221; i++)
		sum += img->page[0][i - 128];
	img->page[0][222 - 128] = (uint8_t)sum;
	sum = 0;
	for (unsigned i = 130; i <= 254; i++)
		sum += img->page[1][i - 128];
	img->page[1][255 - 128] = (uint8_t)sum;
}

void lb_test_synth_cmis(struct lb_test_image *img)
{
	memset(img, 0, sizeof(*img));
	img->has_page[0] = img->has_page[1] = img->has_page[2] = img->has_page[0x11] = true;
	uint8_t *lo = img->lower, *p00 = img->page[0], *p01 = img->page[1];

	lo[0] = 0x18;        /* QSFP-DD */
	lo[1] = 0x52;        /* CMIS 5.2 */
	lo[2] = 0x04;        /* paged, MciMaxSpeed 1 (1 MHz) */
	lo[3] = 0x07;        /* ModuleReady */
	lo[39] = 2;
	lo[40] = 7;          /* firmware 2.7 */
	lo[85] = 0x02;       /* SMF */
	const uint8_t apps[] = { 0x11, 0x1d, 0x84, 0x01,   /* 400GAUI-8 / 400G-FR4 */
				 0x0d, 0x15, 0x21, 0x55,   /* 100GAUI-2 / 100G-FR */
				 0xff };
	memcpy(&lo[86], apps, sizeof(apps));

	p00[0] = 0x18;
	lb_test_put_string(img, 0, 129, "LIGHTBRIDGE", 16);
	p00[145 - 128] = 0x00;
	p00[146 - 128] = 0x90;
	p00[147 - 128] = 0x65;
	lb_test_put_string(img, 0, 148, "LB-400G-FR4", 16);
	lb_test_put_string(img, 0, 164, "A1", 2);
	lb_test_put_string(img, 0, 166, "SN0001", 16);
	lb_test_put_string(img, 0, 182, "260102", 8);
	lb_test_put_string(img, 0, 190, "", 10);
	p00[200 - 128] = 0x80;  /* power class 5 */
	p00[201 - 128] = 40;    /* 10 W */
	p00[203 - 128] = 0x07;  /* LC */
	p00[212 - 128] = 0x06;  /* 1310 nm EML */

	p01[130 - 128] = 3;
	p01[131 - 128] = 1;     /* hardware 3.1 */
	p01[142 - 128] = 0x00;  /* one bank */
	p01[159 - 128] = 0x03;  /* temperature, Vcc */
	p01[160 - 128] = 0x0f;  /* bias x2, Rx/Tx power, bias */
	p01[176 - 128] = 0x01;
	p01[177 - 128] = 0x0f;
	p01[251 - 128] = 0x01;  /* full-page reads not supported */
	lb_test_fix_checksums(img);
}
