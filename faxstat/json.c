/*
 * json: the JSON shapes of faxstat(1), built with json-c.  Strings are
 * the spool's values unescaped when they are valid UTF-8 (json-c escapes
 * control characters), or left escaped when they are not, so the output
 * is always valid JSON.  Times are ISO 8601 UTC strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "faxstat.h"

static int
utf8_ok(const unsigned char *s)
{
	int n;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
			n = 1;
		else if ((*s & 0xf0) == 0xe0)
			n = 2;
		else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
			n = 3;
		else
			return 0;
		/* overlong three- and four-byte forms and surrogates */
		if ((s[0] == 0xe0 && s[1] < 0xa0) ||
		    (s[0] == 0xed && s[1] >= 0xa0) ||
		    (s[0] == 0xf0 && s[1] < 0x90) ||
		    (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		for (s++; n > 0; n--, s++)
			if ((*s & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

struct json_object *
json_str(const char *escaped)
{
	struct json_object *o;
	char *s;

	if (escaped == NULL)
		return NULL;
	if ((s = strdup(escaped)) == NULL)
		return json_object_new_string(escaped);
	if (kv_unescape(s) == -1 || !utf8_ok((unsigned char *)s))
		o = json_object_new_string(escaped);
	else
		o = json_object_new_string(s);
	free(s);
	return o;
}

struct json_object *
json_time(long long t)
{
	char buf[32];

	if (t <= 0)
		return NULL;
	fmt_iso(buf, sizeof(buf), t);
	return json_object_new_string(buf);
}

static void
add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *
opt_str(const char *s)
{
	return s != NULL && *s != '\0' ? json_str(s) : NULL;
}

/* one modem, as in the modems list */
struct json_object *
json_modem(const struct modem *m)
{
	struct json_object *o = json_object_new_object();

	add(o, "device", json_str(m->dev));
	add(o, "state", json_str(m->stale ? "down" : m->state));
	add(o, "reported_state", json_str(m->state));
	add(o, "stale", json_object_new_boolean(m->stale != 0));
	add(o, "pid", json_object_new_int64(m->pid));
	add(o, "time", json_time(m->time));
	add(o, "job", opt_str(m->id));
	add(o, "number", opt_str(m->number));
	add(o, "remote", m->remote != NULL && strcmp(m->remote, "-") != 0 ?
	    json_str(m->remote) : NULL);
	add(o, "page", m->page >= 0 ? json_object_new_int64(m->page) : NULL);
	add(o, "pages", m->pages >= 0 ? json_object_new_int64(m->pages) :
	    NULL);
	add(o, "bit_rate", m->rate >= 0 ? json_object_new_int64(m->rate) :
	    NULL);
	add(o, "ecm", m->ecm >= 0 ? json_object_new_boolean(m->ecm != 0) :
	    NULL);
	add(o, "rings", m->rings != NULL ?
	    json_object_new_int64(atoll(m->rings)) : NULL);
	add(o, "retry", m->retry != NULL ?
	    json_object_new_int64(atoll(m->retry)) : NULL);
	return o;
}

void
json_modems(struct fs *fs, const struct modem *m, size_t n)
{
	size_t i;

	json_section(fs, "modems");
	for (i = 0; i < n; i++)
		json_item(fs, json_modem(&m[i]));
	json_section_end(fs);
}

/* the queue's status word, beside the phrase the table shows */
const char *
json_status_word(const struct fs *fs, const struct rec *r)
{
	if (r->kind == REC_MSG)
		return "converting";
	if (strcmp(r->state, "ready") == 0)
		return r->not_before > fs->now ? "retry" : "waiting";
	return r->state;
}

static struct json_object *
json_job(struct fs *fs, const struct rec *r)
{
	struct json_object *o = json_object_new_object();

	add(o, "id", json_object_new_string(r->id));
	if (r->kind == REC_MSG) {
		add(o, "status", json_object_new_string("converting"));
		add(o, "created", json_time(r->created));
		return o;
	}
	add(o, "account", json_str(r->account));
	add(o, "number", json_str(r->number));
	add(o, "e164", opt_str(r->e164));
	add(o, "subject", json_str(r->subject));
	add(o, "pages", json_object_new_int64(r->pages));
	add(o, "pages_confirmed", json_object_new_int64(fs_confirmed(r)));
	add(o, "tries", json_object_new_int64(fs_tries(r)));
	add(o, "created", json_time(r->created));
	if (r->kind == REC_JOB) {
		add(o, "status", json_str(json_status_word(fs, r)));
		add(o, "device", opt_str(r->device));
		add(o, "not_before", json_time(r->not_before));
		add(o, "last_reason", opt_str(r->last_reason));
	} else {
		add(o, "outcome", json_str(r->outcome));
		add(o, "reason", opt_str(r->reason));
		add(o, "finished", json_time(r->finished));
	}
	return o;
}

static struct json_object *
json_fax(const struct rec *r)
{
	struct json_object *o = json_object_new_object();

	add(o, "id", json_object_new_string(r->id));
	add(o, "started", json_time(r->started));
	add(o, "device", json_str(r->device));
	add(o, "caller_id", opt_str(r->caller_id));
	add(o, "tsi", opt_str(r->tsi));
	add(o, "did", opt_str(r->did));
	add(o, "pages", json_object_new_int64(r->pages));
	add(o, "complete", json_object_new_boolean(r->complete != 0));
	add(o, "bit_rate", json_object_new_int64(r->bit_rate));
	add(o, "duration", json_object_new_int64(r->duration));
	add(o, "authorized", r->authorized >= 0 ?
	    json_object_new_boolean(r->authorized != 0) : NULL);
	add(o, "route", opt_str(r->authorized >= 0 ? r->route : NULL));
	add(o, "rcpt", opt_str(r->authorized >= 0 ? r->route_to : NULL));
	return o;
}

struct json_object *
json_rec(struct fs *fs, const struct rec *r)
{
	return r->kind == REC_RECV ? json_fax(r) : json_job(fs, r);
}

/*
 * The list views' document is written as it goes, one record at a time
 * (each made and written by json-c, then freed): 100,000 jobs held as one
 * json-c tree took 380 MB and five seconds.  The shape is the same.
 */
void
json_begin(struct fs *fs)
{
	char t[32];

	fmt_iso(t, sizeof(t), fs->now);
	printf("{\n  \"version\": 1,\n  \"generated\": \"%s\"", t);
	fs->json_items = -1;
}

void
json_section(struct fs *fs, const char *name)
{
	printf(",\n  \"%s\": [", name);
	fs->json_items = 0;
}

/* writes o as the next element of the open section, and frees it */
void
json_item(struct fs *fs, struct json_object *o)
{
	fputs(fs->json_items++ > 0 ? ",\n    " : "\n    ", stdout);
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	json_object_put(o);
}

void
json_section_end(struct fs *fs)
{
	fputs(fs->json_items > 0 ? "\n  ]" : "]", stdout);
}

void
json_end(struct fs *fs)
{
	(void)fs;
	fputs("\n}\n", stdout);
}

/* keys whose values are numbers, and keys whose values are times */
static const char *const numeric[] = {
	"version", "pages", "first_page", "try", "recipients",
	"notify_success", "priority", "busy_tries", "t30_status",
	"pages_total", "pages_sent", "pages_confirmed", "next_page",
	"bit_rate", "ecm", "rtn", "duration", "size", "authorized",
	"encrypted", "complete", "tries", NULL
};
static const char *const times[] = {
	"time", "created", "finished", "not_before", "started", NULL
};
/* keys that may repeat, always arrays */
static const char *const lists[] = {
	"rcpt", "document", "notice", NULL
};

static int
in(const char *const *set, const char *k)
{
	for (; *set != NULL; set++)
		if (strcmp(*set, k) == 0)
			return 1;
	return 0;
}

static struct json_object *
json_value(const char *k, const char *v)
{
	char *end;
	long long n;

	if (in(numeric, k) || in(times, k)) {
		n = strtoll(v, &end, 10);
		if (*v != '\0' && *end == '\0')
			return in(times, k) ? json_time(n) :
			    json_object_new_int64(n);
	}
	return json_str(v);
}

/*
 * The first key of l that should be a number or a time and is not
 * decimal digits (leading zeros allowed, at most 18 significant), or
 * NULL if all are.
 */
const char *
json_kv_bad_number(const struct kvlist *l)
{
	const char *v;
	size_t i, sig;

	for (i = 0; i < l->n; i++) {
		if (!in(numeric, l->v[i].key) && !in(times, l->v[i].key))
			continue;
		v = l->v[i].val;
		if (*v == '\0' || strspn(v, "0123456789") != strlen(v))
			return l->v[i].key;
		while (*v == '0' && v[1] != '\0')
			v++;
		if ((sig = strlen(v)) > 18)
			return l->v[i].key;
	}
	return NULL;
}

/* every key of a spool file, as the page names them */
struct json_object *
json_kv(const struct kvlist *l)
{
	struct json_object *o = json_object_new_object(), *a;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const char *k = l->v[i].key;

		if (in(lists, k)) {
			if (!json_object_object_get_ex(o, k, &a)) {
				a = json_object_new_array();
				add(o, k, a);
			}
			json_object_array_add(a, json_value(k, l->v[i].val));
		} else if (!json_object_object_get_ex(o, k, NULL))
			add(o, k, json_value(k, l->v[i].val));
	}
	return o;
}

void
json_print(struct json_object *o)
{
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	putchar('\n');
}
