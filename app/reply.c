/*
 * reply: the answers of the portal's handlers. Every answer carries the
 * security headers; every error is JSON in the shape of ARCHITECTURE.md, Errors.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "qs.h"
#include "reply.h"
#include "route.h"

static void	reply_headers(struct http_request *, const char *);

static const char reply_csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

/*
 * Send `body` as JSON with `status`. Takes ownership of `body` (frees it).
 * A body that cannot be printed becomes a 500 error.
 */
void
reply_json(struct http_request *req, int status, cJSON *body)
{
	char	*text;

	text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (text == NULL) {
		reply_error(req, 500, "internal", "The answer could not be "
		    "written.", NULL);
		return;
	}
	reply_headers(req, "application/json");
	http_response(req, status, text, strlen(text));
	cJSON_free(text);
}

/*
 * Send the JSON error shape. `fields` (may be NULL) names each wrong
 * field with what is wrong; it is owned by this call from here on.
 */
void
reply_error(struct http_request *req, int status, const char *code,
    const char *message, cJSON *fields)
{
	cJSON	*root, *err;
	char	*text;

	root = cJSON_CreateObject();
	err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", message);
	if (fields == NULL)
		fields = cJSON_CreateObject();
	cJSON_AddItemToObject(err, "fields", fields);

	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	reply_headers(req, "application/json");
	if (text == NULL) {
		http_response(req, 500, NULL, 0);
		return;
	}
	http_response(req, status, text, strlen(text));
	cJSON_free(text);
}

/* Send `len` bytes of `data` with media type `type`. */
void
reply_bytes(struct http_request *req, int status, const char *type,
    const void *data, size_t len)
{
	reply_headers(req, type);
	http_response(req, status, data, len);
}

/*
 * Answer 405 with an Allow header unless the request's method is one of
 * `methods` (REPLY_GET, ...). Returns 1 when the handler may go on.
 */
int
reply_method_allowed(struct http_request *req, int methods)
{
	char	allow[64];
	int	ok;

	switch (req->method) {
	case HTTP_METHOD_GET:
	case HTTP_METHOD_HEAD:
		ok = methods & REPLY_GET;
		break;
	case HTTP_METHOD_POST:
		ok = methods & REPLY_POST;
		break;
	case HTTP_METHOD_PUT:
		ok = methods & REPLY_PUT;
		break;
	case HTTP_METHOD_PATCH:
		ok = methods & REPLY_PATCH;
		break;
	case HTTP_METHOD_DELETE:
		ok = methods & REPLY_DELETE;
		break;
	default:
		ok = 0;
		break;
	}
	if (ok)
		return (1);

	snprintf(allow, sizeof(allow), "%s%s%s%s%s",
	    (methods & REPLY_GET) ? "GET, HEAD, " : "",
	    (methods & REPLY_POST) ? "POST, " : "",
	    (methods & REPLY_PUT) ? "PUT, " : "",
	    (methods & REPLY_PATCH) ? "PATCH, " : "",
	    (methods & REPLY_DELETE) ? "DELETE, " : "");
	if (strlen(allow) >= 2)
		allow[strlen(allow) - 2] = '\0';
	http_response_header(req, "allow", allow);
	reply_error(req, 405, "method_not_allowed",
	    "This method is not allowed here.", NULL);
	return (0);
}

/*
 * Read the request's body as a JSON value into `*out` (caller owns it,
 * cJSON_Delete). On failure the error has been answered (413 over
 * REPLY_JSON_BODY_MAX, 415 not JSON, 400 malformed, 422 naming the member
 * whose text is not UTF-8) and 0 is returned.
 */
int
reply_read_json(struct http_request *req, cJSON **out)
{
	struct kore_buf	*buf;
	const char	*type, *end;
	cJSON		*fields;
	char		 chunk[4096], name[64];
	ssize_t		 n;
	int		 ok;

	*out = NULL;
	if (req->content_length > REPLY_JSON_BODY_MAX) {
		reply_error(req, 413, "body_too_large",
		    "The request body is larger than this service accepts.",
		    NULL);
		return (0);
	}
	if (!http_request_header(req, "content-type", &type) ||
	    strncasecmp(type, "application/json", 16) != 0) {
		reply_error(req, 415, "unsupported_media_type",
		    "Send the request body as application/json.", NULL);
		return (0);
	}

	ok = 0;
	buf = kore_buf_alloc(1024);
	for (;;) {
		n = http_body_read(req, chunk, sizeof(chunk));
		if (n == -1) {
			reply_error(req, 400, "bad_request",
			    "The request body could not be read.", NULL);
			goto out;
		}
		if (n == 0)
			break;
		if (buf->offset + (size_t)n > REPLY_JSON_BODY_MAX) {
			reply_error(req, 413, "body_too_large", "The request "
			    "body is larger than this service accepts.", NULL);
			goto out;
		}
		kore_buf_append(buf, chunk, (size_t)n);
	}
	*out = cJSON_ParseWithLengthOpts((const char *)buf->data, buf->offset,
	    &end, 0);
	/* Only white space may follow the value. */
	while (*out != NULL && end < (const char *)buf->data + buf->offset) {
		if (strchr(" \t\r\n", *end++) == NULL) {
			cJSON_Delete(*out);
			*out = NULL;
		}
	}
	if (*out == NULL) {
		reply_error(req, 400, "malformed_json",
		    "The request body is not valid JSON.", NULL);
		goto out;
	}
	if (field_text_wrong(*out, name, sizeof(name)) == -1) {
		cJSON_Delete(*out);
		*out = NULL;
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, name, "Must be text in UTF-8.");
		reply_invalid(req, fields);
		goto out;
	}
	ok = 1;
out:
	kore_buf_free(buf);
	return (ok);
}

/*
 * Parse the request's query string into `q` (the caller frees it with
 * qs_free). Returns 1, or answers 422 naming the parameter that cannot be
 * read (a bad escape, a control character, not UTF-8) and returns 0.
 */
int
reply_parse_query(struct http_request *req, struct qs *q)
{
	cJSON	*fields;

	if (qs_parse(req->query_string, q) == 0)
		return (1);
	fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, q->wrong, "Must be text in UTF-8, "
	    "percent-encoded, without control characters.");
	reply_invalid(req, fields);
	return (0);
}

/*
 * Read the id that follows `prefix` in the request's path into `*id`,
 * and what follows it into `*rest` (may be NULL), as route_id() does.
 * Returns 1, or answers 422 naming "id" when the path's id is not a whole
 * number from 1 to 2^53 - 1 (1.9, 1e300, 0, 99999999999999999999) and
 * returns 0.
 */
int
reply_route_id(struct http_request *req, const char *prefix, long long *id,
    const char **rest)
{
	cJSON	*fields;

	if (route_id(req->path, prefix, id, rest) == 0)
		return (1);
	fields = cJSON_CreateObject();
	cJSON_AddStringToObject(fields, "id", "The id in the path must be a "
	    "whole number from 1 to 9007199254740991.");
	reply_invalid(req, fields);
	return (0);
}

/* Whether the request is for the JSON API (errors there are JSON). */
int
reply_is_api(const struct http_request *req)
{
	return (strncmp(req->path, "/api/", 5) == 0);
}

/*
 * Answer a database operation that did not succeed and is not the
 * handler's to explain: 503 while the database is away, else 500.
 */
void
reply_db_failure(struct http_request *req, enum db_status st)
{
	if (st == DB_UNAVAILABLE) {
		http_response_header(req, "retry-after", "5");
		reply_error(req, 503, "database_unavailable", "The service is "
		    "unavailable for a moment. Try again shortly.", NULL);
		return;
	}
	reply_error(req, 500, "internal", "Something went wrong on our side.",
	    NULL);
}

/*
 * Answer 422 "invalid": some values are not valid, each named in
 * `fields` (owned by this call from here on).
 */
void
reply_invalid(struct http_request *req, cJSON *fields)
{
	reply_error(req, 422, "invalid", "Some values are not valid.",
	    fields);
}

/* Answer 429 `code` with `message`, to try again in `secs` seconds. */
void
reply_throttled(struct http_request *req, int secs, const char *code,
    const char *message)
{
	char	wait[16];

	snprintf(wait, sizeof(wait), "%d", secs > 0 ? secs : 1);
	http_response_header(req, "retry-after", wait);
	reply_error(req, 429, code, message, NULL);
}

/*
 * The client's address as text into `buf` (at least 64 bytes). Behind
 * the TLS proxy (PORTAL_TRUST_PROXY=1), the right-most address of
 * X-Forwarded-For, the one the proxy added; one that is not an IPv4 or
 * IPv6 address is ignored. Otherwise, or then, the connection's peer.
 */
const char *
reply_client_ip(struct http_request *req, char *buf, size_t len)
{
	struct connection	*c = req->owner;
	struct in6_addr		 a6;
	struct in_addr		 a4;
	const char		*fwd, *trust, *last, *end;
	size_t			 n;

	trust = getenv("PORTAL_TRUST_PROXY");
	if (trust != NULL && strcmp(trust, "1") == 0 &&
	    http_request_header(req, "x-forwarded-for", &fwd)) {
		last = strrchr(fwd, ',');
		last = last == NULL ? fwd : last + 1;
		while (*last == ' ' || *last == '\t')
			last++;
		end = last + strlen(last);
		while (end > last && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		n = (size_t)(end - last);
		if (n > 0 && n < len) {
			memcpy(buf, last, n);
			buf[n] = '\0';
			if (inet_pton(AF_INET, buf, &a4) == 1 ||
			    inet_pton(AF_INET6, buf, &a6) == 1)
				return (buf);
		}
	}
	buf[0] = '\0';
	if (c->family == AF_INET)
		inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, buf, len);
	else if (c->family == AF_INET6)
		inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, buf, len);
	else
		snprintf(buf, len, "127.0.0.1");
	return (buf);
}

static void
reply_headers(struct http_request *req, const char *type)
{
	http_response_header(req, "content-type", type);
	http_response_header(req, "content-security-policy", reply_csp);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "no-referrer");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "cross-origin-opener-policy", "same-origin");
	http_response_header(req, "permissions-policy",
	    "camera=(), microphone=(), geolocation=()");
	if (strncmp(req->path, "/assets/", 8) != 0)
		http_response_header(req, "cache-control", "no-store");
}

/*
 * Read an uploaded file of type `type` (e.g. "text/csv") of at most `max`
 * bytes: a buffer (caller frees with kore_buf_free), or NULL when the
 * refusal has been answered (413, 415, 400).
 */
struct kore_buf *
reply_read_upload(struct http_request *req, size_t max, const char *type)
{
	struct kore_buf	*buf;
	const char	*have;
	char		 chunk[8192], msg[64];
	ssize_t		 r;

	if (req->content_length > max) {
		snprintf(msg, sizeof(msg), "The file is larger than %zu MB.",
		    max / (1024 * 1024));
		reply_error(req, 413, "body_too_large", msg, NULL);
		return (NULL);
	}
	if (!http_request_header(req, "content-type", &have) ||
	    strncasecmp(have, type, strlen(type)) != 0) {
		snprintf(msg, sizeof(msg), "Send the file as %s.", type);
		reply_error(req, 415, "unsupported_media_type", msg, NULL);
		return (NULL);
	}
	/* Sized for the whole body at once: no copies as it grows. */
	buf = kore_buf_alloc(req->content_length > 8192 ?
	    req->content_length : 8192);
	while ((r = http_body_read(req, chunk, sizeof(chunk))) > 0) {
		if (buf->offset + (size_t)r > max) {
			kore_buf_free(buf);
			snprintf(msg, sizeof(msg), "The file is larger than "
			    "%zu MB.", max / (1024 * 1024));
			reply_error(req, 413, "body_too_large", msg, NULL);
			return (NULL);
		}
		kore_buf_append(buf, chunk, (size_t)r);
	}
	if (r == -1) {
		kore_buf_free(buf);
		reply_error(req, 400, "bad_request", "The file could not be "
		    "read.", NULL);
		return (NULL);
	}
	return (buf);
}

/*
 * Answer a read that gave `st` and `out`: 422 when `fields` (may be NULL)
 * names anything wrong, else 200 `out`, or the failure. Owns `out` and
 * `fields`.
 */
void
reply_read(struct http_request *req, enum db_status st, cJSON *out,
    cJSON *fields)
{
	if (cJSON_GetArraySize(fields) > 0 && (st == DB_OK ||
	    st == DB_INVALID)) {
		cJSON_Delete(out);
		reply_error(req, 422, "invalid", "Some values are not valid.",
		    fields);
	} else if (st == DB_OK) {
		cJSON_Delete(fields);
		reply_json(req, 200, out);
	} else {
		cJSON_Delete(fields);
		reply_db_failure(req, st);
	}
}
