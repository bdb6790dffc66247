/* SPDX-License-Identifier: MIT */
/*
 * Human output that fits the terminal (docs/lbctl.md, "Output width"): app->columns is the
 * terminal's width when stdout is one and wider than 80, else 80. Text that would run past it
 * is wrapped at spaces, or abbreviated where a table cell must stay on its line.
 */
#include <stdarg.h>
#include <string.h>
#include "lbctl.h"

void lbctl_wrap(struct lbctl *app, unsigned col, unsigned indent, const char *text)
{
	unsigned width = app->columns ? app->columns : 80;
	unsigned room = width > col ? width - col : 1;
	while (strlen(text) > room) {
		/* the last space that keeps the line inside the width, else the first one after */
		size_t cut = room;
		while (cut > 0 && text[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = strcspn(text, " ");
		fprintf(app->out, "%.*s\n", (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
		if (!*text)
			return;
		fprintf(app->out, "%*s", (int)indent, "");
		room = width > indent ? width - indent : 1;
	}
	fprintf(app->out, "%s\n", text);
}

const char *lbctl_fit(const char *s, unsigned width, char *buf, size_t len)
{
	size_t n = strlen(s);
	if (n <= width || width < 4 || len <= width)
		return s;
	snprintf(buf, len, "%.*s...", (int)(width - 3), s);
	return buf;
}

void lbctl_kv(struct lbctl *app, const char *key, const char *fmt, ...)
{
	char value[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	fprintf(app->out, "  %-*s: ", LBCTL_KEY_WIDTH, key);
	lbctl_wrap(app, LBCTL_VALUE_COL, LBCTL_VALUE_COL, value);
}

/* "505,127,936" */
const char *lbctl_grouped(uint64_t v, char *buf, size_t len)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	size_t k = 0;
	for (int i = 0; i < n && k + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	buf[k] = 0;
	return buf;
}
